"""Tenant isolation, swept: every public method of the tenant contexts' facades (workspaces,
conversations, knowledge, documents; found by introspection, so a new method joins) is called as
tenant A with tenant B's ids, on memory, SQLite and PostgreSQL. Two tenants hold mirrored data
built through the use cases. Each call must be refused with a DomainError, or answer with nothing
of B (no id, no text of B's rows, walked through the result, beyond what A's own rows hold); B's
rows, read from the store after every call, must be unchanged; and a refusal must read the same
as for an id or name that exists nowhere (no existence oracle). Each parameter is filled from a
table keyed by its name: a method with a parameter the table does not know fails the sweep
until the table learns it. A method naming several of B's rows is also called with each one
alone B's, so every lookup is reached."""

from __future__ import annotations

import contextlib
import enum
import functools
import inspect
import itertools
import json
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from sqlalchemy import select, text

from nexus.app import Nexus
from nexus.documents.application.query import ExhibitQuery
from nexus.knowledge.application.support import Need
from nexus.records import metadata
from nexus.shared.errors import DomainError, NotFoundError, PermissionDeniedError
from tests.factories.knowledge import SCHEMA
from tests.integration.workspaces_world import World, build, people
from tests.knowledge_world import write_graph
from tests.loading_support import doc, write_dat
from tests.unit.chat_export_builders import linear_gpt, write_json

TENANT_CONTEXTS = ("workspaces", "conversations", "knowledge", "documents")
TENANT_ROOTS = {"workspace_id": "workspaces", "npcase_id": "npcases"}

# Methods that are not "tenant A's": they take no tenant key and answer for the whole
# installation (the operator's view, or the global model catalog). They are still called, with
# A's owner as actor where they take one, and B's rows must stay unchanged; only the "nothing of
# B in the answer" rule does not apply, for the reason given.
GLOBAL_METHODS = {
    "documents.list_cases": "documents has no actor: the case list is the operator's "
    "(docs/documents.md; the CLI's `nexus documents cases list`)",
}

# A refusal other than NotFound / PermissionDenied is accepted only where listed, with why: so
# a sweep value that fails validation cannot pass for a refusal of B's ids.
SELF_ONLY = "user_id: a user acts only for themself"
OTHER_REFUSALS: dict[str, dict[str, str]] = {
    # label: {what the message says: why that is the refusal of B's id}
    "conversations.start_conversation": {SELF_ONLY: "user_id must be the actor"},
    "conversations.import_chat_export": {SELF_ONLY: "user_id must be the actor"},
    "conversations.queue_ingestion_job": {
        SELF_ONLY: "user_id must be the actor",
        # no lookup in the use case: the composite foreign key (workspace_id,
        # conversation_id) refuses B's conversation exactly as it refuses an unknown id
        "refers to a row that does not exist": "B's conversation is no conversation of A",
    },
    "documents.add_exhibit": {
        "parent_document_id: names no document of this case": "B's document is not in A's case"
    },
}


@attrs.define
class Tenant:
    """One tenant's rows in every tenant context, built through the use cases."""

    tag: str
    world: World
    conversation: uuid.UUID
    message: uuid.UUID
    job: uuid.UUID
    nodes: list[uuid.UUID]
    edge: uuid.UUID
    view: uuid.UUID
    node_key: str
    edge_key: str
    secret_key: str
    organization: uuid.UUID
    case: uuid.UUID
    batch: uuid.UUID
    exhibits: list[uuid.UUID]
    md5: str
    document: str
    message_id: str
    folder: uuid.UUID
    label: uuid.UUID
    field: uuid.UUID
    tag_id: uuid.UUID
    tag_name: str
    volume: uuid.UUID

    @property
    def workspace(self) -> uuid.UUID:
        return self.world.workspace

    @property
    def owner(self) -> uuid.UUID:
        return self.world.users["owner"]


def tenant(app: Nexus, tag: str) -> Tenant:
    """Tenant `tag`: the same shapes as its twin; every text it owns carries `tag`."""
    world = build(app, people(app), slug=f"world-{tag}")
    ws, me = world.workspace, world.users["owner"]
    secret_key = f"{tag.upper()}_ONLY_KEY"
    app.workspaces.set_secret(ws, secret_key, f"{tag}-secret-value", actor=me)
    organization = app.identity.create_organization(
        name=f"{tag} org", slug=f"{tag}-org", owner_id=me
    ).id
    chat = app.conversations
    conversation = chat.start_conversation(ws, title=f"{tag} trip planning", actor=me).id
    message = chat.post_message(ws, conversation, content=f"{tag} hello there", actor=me).id
    job = chat.queue_ingestion_job(ws, source_path=f"/exports/{tag}.zip", actor=me).id
    kn = app.knowledge
    kn.save_ontology(ws, name=f"{tag} ontology", schema=SCHEMA, actor=me)
    node_key, edge_key = f"{tag}-node-1", f"{tag}-edge-1"
    nodes = [
        kn.add_node(ws, type="person", label=f"{tag} Ada", key=node_key, actor=me).id,
        kn.add_node(
            ws, type="person", label=f"{tag} Bob", properties={"name": tag},
            key=f"{tag}-node-2", actor=me,
        ).id,
    ]  # fmt: skip
    edge = kn.add_edge(
        ws, source_id=nodes[0], target_id=nodes[1], type="knows", key=edge_key, actor=me
    ).id
    view = kn.save_view(ws, name=f"{tag} view", state={"t": tag}, actor=me).id
    docs = app.documents
    case = docs.create_case(name=f"{tag} v. Widget Co.").id
    batch = docs.create_batch(case, name=f"{tag}-PROD001", custodian=f"{tag} Jane").id
    md5 = (tag * 32)[:32].encode().hex()[:32]
    message_id = f"<{tag}@example.org>"
    exhibits = [
        docs.add_exhibit(
            case,
            {"prefix": tag.upper(), "number": "0001", "title": f"{tag} memo", "md5": md5,
             "message_id": message_id, "custodian": f"{tag} Jane", "batch_id": batch,
             "tags": [f"{tag} hot"], "nge_document_id": f"{tag}-P1"},
        ).exhibit_ids[0],
        docs.add_exhibit(
            case, {"prefix": tag.upper(), "number": "0002", "title": f"{tag} reply"}
        ).exhibit_ids[0],
    ]  # fmt: skip
    docs.relate(case, exhibits[0], exhibits[1], "thread")
    folder = docs.create_label(case, f"{tag} folder", kind="folder").id
    label = docs.create_label(case, f"{tag} label", parent_id=folder).id
    docs.designate(case, exhibits[0], label, page_start=1, notes=f"{tag} note")
    field = docs.create_custom_field(case, f"{tag} field", "text").id
    docs.set_custom_value(case, exhibits[0], field, f"{tag} value")
    tag_name = f"{tag} privileged"
    tag_id = docs.create_tag(case, tag_name).id
    docs.tag_exhibit(case, exhibits[0], tag_name)
    volume = docs.add_deposition_volume(case, name=f"{tag} volume 1", deponent=f"{tag} Smith").id
    docs.mark_deposition_exhibit(case, volume, exhibits[0], f"{tag}-EX-1")
    docs.add_custodian(case, f"{tag} Bob")
    return Tenant(
        tag, world, conversation, message, job, nodes, edge, view, node_key, edge_key,
        secret_key, organization, case, batch, exhibits, md5, f"{tag}-P1", message_id, folder,
        label, field, tag_id, tag_name, volume,
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------
# The parameter table: name -> value, as a function of (A, B, method label, workdir).
# SKIP leaves an optional parameter at its default (the table still has to name it).

SKIP = object()


class Variants(list[Any]):
    """Several values for one parameter: the method is called once with each."""


Fill = Callable[[Tenant, Tenant, str, Path], Any]


def _user(a: Tenant, b: Tenant, method: str, _: Path) -> Any:
    # add_member takes B's viewer, so the later calls naming B's member find no member of A
    user = b.world.users["viewer" if method.endswith("add_member") else "member"]
    # conversations refuse another user than the actor first: left out, the call goes on to
    # B's other ids (conversation_id) or writes into A
    return Variants([user, SKIP]) if method.startswith("conversations.") else user


def _server(a: Tenant, b: Tenant, method: str, _: Path) -> Any:
    return b.world.abi if "abi" in method else b.world.inference


def _key(a: Tenant, b: Tenant, method: str, _: Path) -> Any:
    if method.endswith("add_node"):  # B's other key: a later find looks for the first
        return f"{b.tag}-node-2"
    if "node" in method:
        return b.node_key
    if "edge" in method:
        return b.edge_key
    return Variants([b.secret_key, "OPENAI_API_KEY"])  # B's own key; a name both hold


def _type(a: Tenant, b: Tenant, method: str, _: Path) -> Any:
    verb = method.split(".")[1]
    if "inference" in verb:
        return "vllm"
    return "knows" if "edge" in verb else "person"


def _kind(a: Tenant, b: Tenant, method: str, _: Path) -> Any:
    return "label" if method.endswith("create_label") else SKIP


def _path(a: Tenant, b: Tenant, method: str, workdir: Path) -> Any:
    if method.endswith("import_graph"):
        nodes = [{"id": str(b.nodes[0]), "type": "person", "label": "sweep", "properties": {}}]
        edges = [{"id": str(b.edge), "source": str(b.nodes[0]), "target": str(b.nodes[0]),
                  "type": "knows", "properties": {}}]  # fmt: skip
        return write_graph(workdir / "graph.json", nodes, edges)
    return write_json(workdir / "conversations.json", [linear_gpt("sweep-1", "q", "a")])


def _data(a: Tenant, b: Tenant, method: str, _: Path) -> Any:
    return Variants(
        [
            {"title": "sweep md5", "md5": b.md5},  # dedupe against B's document?
            {"title": "sweep message", "message_id": b.message_id},
            {"title": "sweep batch", "batch_id": b.batch},
            {"title": "sweep child", "nge_document_id": "S1", "parent_document_id": b.document},
        ]
    )


def _source(a: Tenant, b: Tenant, method: str, workdir: Path) -> Any:
    """A load file whose documents carry B's MD5 and name B's document as their parent."""
    rows = [
        doc(1, md5=b.md5, CUSTODIAN=f"{b.tag} Jane"),
        doc(2, PARENTID=f"{b.tag.upper()}0001"),
    ]
    return write_dat(workdir / f"{method}.dat", rows)


def _value(a: Tenant, b: Tenant, method: str, _: Path) -> Any:
    return "sweep value" if method.endswith(("set_custom_value", "set_secret")) else 1


def _progress(a: Tenant, b: Tenant, method: str, _: Path) -> Any:
    return 50 if method.endswith("advance_job") else SKIP


def const(value: Any) -> Fill:
    return lambda a, b, method, workdir: value


def of_b(read: Callable[[Tenant], Any]) -> Fill:
    return lambda a, b, method, workdir: read(b)


PARAMETERS: dict[str, Fill] = {
    # the tenant keys and the caller: A's
    "workspace_id": lambda a, b, m, w: a.workspace,
    "case_id_": lambda a, b, m, w: a.case,
    "actor": lambda a, b, m, w: a.owner,
    # every other id: B's id of that kind
    "user_id": _user,
    "owner_id": of_b(lambda b: b.owner),
    "organization_id": of_b(lambda b: b.organization),
    "server_id": _server,
    "provider_id": of_b(lambda b: b.world.provider),
    "agent_id": of_b(lambda b: b.world.agent),
    "conversation_id": of_b(lambda b: b.conversation),
    "job_id": of_b(lambda b: b.job),
    "node_id": of_b(lambda b: b.nodes[0]),
    "source_id": of_b(lambda b: b.nodes[0]),
    "target_id": of_b(lambda b: b.nodes[1]),
    "node_ids": lambda a, b, m, w: Variants([list(b.nodes), [a.nodes[1], b.nodes[0]]]),
    "edge_id": of_b(lambda b: b.edge),
    "view_id": of_b(lambda b: b.view),
    "batch_id": of_b(lambda b: b.batch),
    "exhibit_id": of_b(lambda b: b.exhibits[0]),
    "from_id": of_b(lambda b: b.exhibits[0]),
    "to_id": of_b(lambda b: b.exhibits[1]),
    "label_id": of_b(lambda b: b.label),
    "parent_id": of_b(lambda b: b.folder),
    "field_id": of_b(lambda b: b.field),
    "custom_field_id": of_b(lambda b: b.field),
    "tag_id": of_b(lambda b: b.tag_id),
    "volume_id": of_b(lambda b: b.volume),
    # B's names that identify a row
    "key": _key,
    "slug": of_b(lambda b: f"world-{b.tag}"),
    "tag": of_b(lambda b: b.tag_name),
    "words": of_b(lambda b: b.tag),
    "query": of_b(lambda b: Variants([None, ExhibitQuery(batch_id=b.batch, trash="all")])),
    "data": _data,
    "path": _path,
    "source": _source,
    # everything else: a valid value
    "name": const("sweep name"),
    "title": const("sweep title"),
    "content": const("sweep content"),
    "label": const("sweep label"),
    "endpoint": const("https://sweep.example.org"),
    "type": _type,
    "provider_type": const("openai"),
    "model": const("gpt-4o"),
    "role": const("member"),
    "value": _value,
    "app_id": const("apps.graph"),
    "enabled": const(True),
    "agents": const([{"class_name": "agents.Helper", "name": "sweep"}]),
    "entries": const([]),
    "canonical_id": const("sweep/model"),
    "field": const("context_window"),
    "properties": const({"name": "sweep"}),
    "schema": const(SCHEMA),
    "state": const({"sweep": 1}),
    "depth": const(2),
    "max_depth": const(4),
    "direction": const("both"),
    "need": const(Need.MANAGE),
    "what": const("sweep"),
    "progress": _progress,
    "error_code": const("E_SWEEP"),
    "error_message": const("sweep failure"),
    "source_path": const("/exports/sweep.zip"),
    "archived": const(True),
    "pinned": const(True),
    "include_archived": const(True),
    "include_deleted": const(True),
    "field_type": const("text"),
    "relation": const("thread"),
    "exhibit_number": const("SWEEP-EX-1"),
    "older_than_days": const(0),
    "kind": _kind,
    "custodian": const("sweep custodian"),
    # left at their defaults
    **{
        name: const(SKIP)
        for name in (
            "api_key", "description", "category", "health_path", "models_path", "config",
            "is_default", "metadata", "agent", "page", "limit", "offset", "batch", "source_type",
            "file_sha256", "max_attempts", "force", "chunks_count", "collection_name",
            "edge_types", "format", "view_type", "visibility", "graph_id", "graph_uri",
            "import_type", "options", "position", "page_start", "line_start", "page_end",
            "line_end", "notes", "deponent", "taken_at", "field_map", "opt", "time_zone",
            "batch_name", "dedupe_scope", "dedupe_message_id", "dedupe_merge_fields",
            "near_dupe_info", "bulk_redaction_info",
        )
    },
}  # fmt: skip

# `**changes` / `**fields`: the keyword arguments an update is given.
EXTRA_KEYWORDS: dict[str, dict[str, Any]] = {"configure_case": {"name": "sweep name"}}
DEFAULT_EXTRA = {"name": "sweep name"}

# Run last: they remove or retire tenant A itself, which every later call needs.
LAST = ("delete_workspace", "delete_case", "delete_ontology")


def methods(app: Nexus) -> list[tuple[str, Callable[..., Any]]]:
    found = []
    for context in TENANT_CONTEXTS:
        for name, method in inspect.getmembers(getattr(app, context), inspect.ismethod):
            if not name.startswith("_"):
                found.append((f"{context}.{name}", method))
    return sorted(found, key=lambda pair: (pair[0].split(".")[1] in LAST, pair[0]))


# Parameters naming one row of the other tenant. A method taking two or more of them is also
# called with each one alone B's and the others A's, so every one is checked, not only the
# first the use case happens to look up.
ID_PARAMETERS = frozenset(
    {
        "user_id", "owner_id", "organization_id", "server_id", "provider_id", "agent_id",
        "conversation_id", "job_id", "node_id", "source_id", "target_id", "node_ids",
        "edge_id", "view_id", "batch_id", "exhibit_id", "from_id", "to_id", "label_id",
        "parent_id", "field_id", "custom_field_id", "tag_id", "volume_id", "tag",
    }
)  # fmt: skip


def argument_sets(
    label: str, method: Callable[..., Any], a: Tenant, b: Tenant, workdir: Path
) -> Iterator[dict[str, Any]]:
    """Every call to make: one per combination of the parameters' variants, with every id
    parameter B's; then, where there are several, each one alone B's."""
    names: list[str] = []
    of_b: list[list[Any]] = []
    of_a: list[list[Any]] = []
    extra: dict[str, Any] = {}
    for param in inspect.signature(method).parameters.values():
        if param.kind is param.VAR_KEYWORD:
            extra = EXTRA_KEYWORDS.get(label.split(".")[1], DEFAULT_EXTRA)
            continue
        fill = PARAMETERS.get(param.name)
        if fill is None:
            pytest.fail(
                f"{label}: parameter {param.name!r} is not in the sweep's PARAMETERS table "
                f"({__name__}); add what tenant A's call with B's ids passes for it"
            )
        value = fill(a, b, label, workdir)
        if value is SKIP and param.default is param.empty:
            pytest.fail(f"{label}: {param.name!r} is required; PARAMETERS must give a value")
        names.append(param.name)
        of_b.append(list(value) if isinstance(value, Variants) else [value])
        mine = fill(b, a, label, workdir) if param.name in ID_PARAMETERS else value  # A's own
        of_a.append(list(mine) if isinstance(mine, Variants) else [mine])
    ids = [i for i, name in enumerate(names) if name in ID_PARAMETERS]
    sets = [of_b]
    if len(ids) > 1:
        sets += [[of_b[j] if j == i or j not in ids else of_a[j] for j in range(len(names))]
                 for i in ids]  # fmt: skip
    for choices in sets:
        for combination in itertools.product(*choices):
            kwargs = {n: v for n, v in zip(names, combination, strict=True) if v is not SKIP}
            yield {**kwargs, **extra}


# ---------------------------------------------------------------------------------------------
# B's rows, and what of B an answer must not hold.


@functools.cache
def tenant_tables() -> list[tuple[str, str, str]]:
    """(table, column, tenant key kind) of every row that belongs to a tenant."""
    found = [(root, "id", key) for key, root in TENANT_ROOTS.items()]
    for table in metadata.sorted_tables:
        key = table.info.get("tenant")
        if key:
            found.append((table.name, key, key))
    return sorted(found)


@contextlib.contextmanager
def tenant_rows(app: Nexus, keys: dict[str, uuid.UUID]) -> Iterator[Callable[[], Any]]:
    """A reader of every row of the tenant whose keys are `keys`, on the store itself, each
    row as its text (SQL: one autocommit connection held for the sweep; PostgreSQL: one
    statement)."""
    tables = tenant_tables()
    if app.settings.persistence == "memory":
        store = app.container.memory_store()

        def from_memory() -> Any:
            with store.lock:
                return [
                    sorted(
                        repr(sorted(r.items()))
                        for r in store.tables.get(table, {}).values()
                        if r[column] == keys[kind]
                    )
                    for table, column, kind in tables
                ]

        yield from_memory
        return
    engine = app.container.engine()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        if engine.dialect.name == "postgresql":
            statement = text(_PG_SNAPSHOT)
            yield lambda: connection.execute(statement, keys).one()
            return
        statement = text(_SQLITE_SNAPSHOT)  # ids are stored as 32 hex digits
        hex_keys = {kind: key.hex for kind, key in keys.items()}
        yield lambda: connection.execute(statement, hex_keys).one()


def _sqlite_rows(table: str, column: str, kind: str) -> str:
    """Each row as SQLite's own literal of every column (quote(): text, numbers, X'blob')."""
    row = " || ',' || ".join(f'quote("{c.name}")' for c in metadata.tables[table].columns)
    return (
        f"(SELECT coalesce(group_concat(r, char(10)), '') FROM (SELECT {row} AS r "  # noqa: S608
        f'FROM "{table}" WHERE "{column}" = :{kind} ORDER BY r))'
    )


_SQLITE_SNAPSHOT = "SELECT " + ", ".join(_sqlite_rows(*t) for t in tenant_tables())


_PG_SNAPSHOT = "SELECT " + ", ".join(  # names from nexus's own metadata
    f"(SELECT coalesce(string_agg(x::text, E'\\n' ORDER BY x::text), '') "  # noqa: S608
    f'FROM "{table}" x WHERE x."{column}" = :{kind})'
    for table, column, kind in tenant_tables()
)


def raw_rows(app: Nexus, keys: dict[str, uuid.UUID]) -> Iterator[dict[str, Any]]:
    if app.settings.persistence == "memory":
        store = app.container.memory_store()
        with store.lock:
            tables = {name: list(rows.values()) for name, rows in store.tables.items()}
        for table, column, kind in tenant_tables():
            yield from (dict(r) for r in tables.get(table, ()) if r[column] == keys[kind])
        return
    with app.container.engine().connect() as connection:
        for table, column, kind in tenant_tables():
            t = metadata.tables[table]
            rows = connection.execute(select(t).where(t.c[column] == keys[kind]))
            yield from (dict(r._mapping) for r in rows)


def atoms(value: Any) -> Iterator[Any]:
    """Every UUID and string inside a value: rows' JSON, results, lists, dicts, secrets."""
    stack = [value]
    seen = 0
    while stack:
        item = stack.pop()
        seen += 1
        assert seen < 1_000_000, "result too large to walk"
        if isinstance(item, uuid.UUID | str):
            yield item
        elif isinstance(item, enum.Enum):
            stack.append(item.value)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set | frozenset):
            stack.extend(item)
        elif hasattr(item, "reveal"):
            stack.append(item.reveal())
        elif attrs.has(type(item)):
            stack.extend(getattr(item, f.name) for f in attrs.fields(type(item)))
        elif isinstance(item, bytes):
            yield item.hex()


def facts(app: Nexus, keys: dict[str, uuid.UUID]) -> tuple[set[uuid.UUID], set[str]]:
    ids: set[uuid.UUID] = set()
    texts: set[str] = set()
    for row in raw_rows(app, keys):
        for atom in atoms(row):
            if isinstance(atom, uuid.UUID):
                ids.add(atom)
            else:
                texts.add(atom)
    return ids, texts


def leaks(answer: Any, ids: set[uuid.UUID], texts: list[str]) -> list[str]:
    found = []
    shown = {str(i): i for i in ids}
    for atom in atoms(answer):
        if isinstance(atom, uuid.UUID):
            if atom in ids:
                found.append(f"id {atom}")
            continue
        found += [f"id {s} in text" for s in shown if s in atom]
        found += [f"text {t!r}" for t in texts if t in atom]
    return found


# ---------------------------------------------------------------------------------------------


def adapter(app: Nexus) -> str:
    if app.settings.persistence == "memory":
        return "memory"
    return str(app.container.engine().dialect.name)


ORACLE = "refusals compared with an unknown id's"


def existence_oracle(
    method: Callable[..., Any],
    kwargs: dict[str, Any],
    refusal: DomainError,
    b_ids: set[uuid.UUID],
    b_texts: list[str],
    compared: Counter[str],
) -> str | None:
    """The same call with each of B's ids and names swapped for one that exists nowhere must
    be refused the same way (type and message, up to the swapped value): otherwise the
    refusal tells whether B has that row."""
    swaps: dict[Any, Any] = {}
    texts = set(b_texts)

    def swap(value: Any) -> Any:
        if (isinstance(value, uuid.UUID) and value in b_ids) or (
            isinstance(value, str) and value in texts
        ):
            fresh = uuid.uuid4() if isinstance(value, uuid.UUID) else f"nowhere-{uuid.uuid4()}"
            return swaps.setdefault(value, fresh)
        if isinstance(value, list):
            return [swap(v) for v in value]
        if isinstance(value, dict):
            return {k: swap(v) for k, v in value.items()}
        return value

    unknown = {name: swap(value) for name, value in kwargs.items()}
    if not swaps:
        return None
    compared[ORACLE] += 1
    try:
        method(**unknown)
    except DomainError as other:
        message = str(other)
        for original, fresh in swaps.items():
            message = message.replace(str(fresh), str(original))
        if type(other) is type(refusal) and message == str(refusal):
            return None
        return f"refused B's row with {refusal!r} but an unknown one with {other!r}"
    return f"refused B's row with {refusal!r} but answered for an unknown one"


@attrs.define
class Sweep:
    """What the sweep saw: outcome counts and every failure, each naming the call."""

    outcomes: Counter[str] = attrs.Factory(Counter)
    failures: list[str] = attrs.Factory(list)


def sweep(app: Nexus, a: Tenant, b: Tenant, workdir: Path, caller: Tenant | None = None) -> Sweep:
    """Call every method as `caller` (A unless told) with B's ids; judge against B's rows."""
    b_keys = {"workspace_id": b.workspace, "npcase_id": b.case}
    b_ids, b_texts = facts(app, b_keys)
    a_ids, a_texts = facts(app, {"workspace_id": a.workspace, "npcase_id": a.case})
    b_ids = (b_ids - a_ids) | set(b.world.users.values())
    # B's own texts: those A does not hold too, long enough not to occur by chance.
    own_texts = sorted(t for t in b_texts - a_texts if len(t) >= 6)
    assert any("bravo" in t for t in own_texts)
    assert b.workspace in b_ids
    assert sum(1 for _ in raw_rows(app, b_keys)) >= 40, "B's world is too thin to sweep"
    seen = Sweep()
    a_keys = {"workspace_id": a.workspace, "npcase_id": a.case}
    with tenant_rows(app, b_keys) as b_rows, tenant_rows(app, a_keys) as a_rows:
        before = b_rows()
        assert sum(1 for rows in before if rows) >= 20, "the reader finds B's rows"
        for label, method in methods(app):
            for kwargs in argument_sets(label, method, caller or a, b, workdir):
                call = f"{label}({kwargs})"
                try:
                    answer = method(**kwargs)
                except DomainError as refusal:
                    # a refusal may name what the caller gave ("exhibit not found: <id>")
                    passed = set(atoms(list(kwargs.values())))
                    ids, texts = b_ids - passed, [t for t in own_texts if t not in passed]
                    outcome, found = "refused", leaks(str(refusal), ids, texts)
                    expected = isinstance(refusal, NotFoundError | PermissionDeniedError)
                    if not expected and not any(
                        m in str(refusal) for m in OTHER_REFUSALS.get(label, ())
                    ):
                        seen.failures.append(f"{call}: {type(refusal).__name__}: {refusal}")
                    if oracle := existence_oracle(
                        method, kwargs, refusal, b_ids, own_texts, seen.outcomes
                    ):
                        seen.failures.append(f"{call}: {oracle}")
                else:
                    # What the caller wrote into A is A's now (B's member added to A, B's MD5
                    # in A's document): the answer may hold what A's rows hold, nothing else.
                    mine = "\n".join(map(str, a_rows()))
                    ids = {i for i in b_ids if str(i) not in mine and i.hex not in mine}
                    texts = [t for t in own_texts if t not in mine]
                    outcome = "answered"
                    found = [] if label in GLOBAL_METHODS else leaks(answer, ids, texts)
                seen.outcomes[outcome] += 1
                if found:
                    seen.failures.append(f"{call} {outcome}, holding B's {found[:3]}")
                after = b_rows()
                if after != before:
                    pairs = zip(tenant_tables(), before, after, strict=True)
                    changed = [table for (table, _, _), x, y in pairs if x != y]
                    seen.failures.append(f"{call} changed B's rows in {changed}")
                    before = after
    return seen


def test_every_tenant_method_called_with_another_tenants_ids_gives_nothing_of_it(
    app: Nexus, tmp_path: Path, figure: Callable[[str], None]
) -> None:
    swept = methods(app)
    assert {label.split(".")[0] for label, _ in swept} == set(TENANT_CONTEXTS)
    a, b = tenant(app, "alpha"), tenant(app, "bravo")
    workdir = tmp_path / "sweep"
    workdir.mkdir()
    seen = sweep(app, a, b, workdir)
    refused, answered = seen.outcomes["refused"], seen.outcomes["answered"]
    figure(
        f"tenant isolation sweep on {adapter(app)}: {len(swept)} methods, "
        f"{refused + answered} calls as tenant A with B's ids: {refused} refused, "
        f"{answered} clean answers, {len(seen.failures)} failures; "
        f"{seen.outcomes[ORACLE]} refusals identical for an id or name that exists nowhere"
    )
    assert not seen.failures, "\n".join(seen.failures)
    assert refused >= len(swept) // 2, seen.outcomes  # most calls reach B's ids and stop


def test_the_sweep_sees_what_b_itself_would_get(memory_app: Nexus, tmp_path: Path) -> None:
    """The sweep is not vacuous: called as B's owner on B's own tenant, the same calls answer
    with B's ids and texts and change B's rows, and the sweep reports them."""
    a, b = tenant(memory_app, "alpha"), tenant(memory_app, "bravo")
    ids, texts = facts(memory_app, {"workspace_id": b.workspace, "npcase_id": b.case})
    own = [t for t in texts if "bravo" in t]
    exported = memory_app.knowledge.export_graph(b.workspace, actor=b.owner)
    assert leaks(exported, ids, own)  # ids and texts inside a JSON string are found too
    assert not leaks(json.dumps({"x": "alpha"}), ids, own)
    seen = sweep(memory_app, a, b, tmp_path, caller=b)
    holding = [f for f in seen.failures if "holding B's" in f]
    changed = [f for f in seen.failures if "changed B's rows" in f]
    assert len(holding) >= 20, seen.failures
    assert len(changed) >= 30, seen.failures
    for context in TENANT_CONTEXTS:
        assert any(f.startswith(f"{context}.") for f in changed), context
