"""The error contract, swept: every public method of every context's facade (found on the app by
introspection, so contexts added later are swept too), called with wrong and extreme input on
every adapter, answers with its result or a DomainError, and a refused call writes nothing."""

from __future__ import annotations

import inspect
import os
import tempfile
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from nexus.app import Nexus
from nexus.identity import OPERATOR
from nexus.lab.samples import SAMPLE_INSTRUMENT
from nexus.records import metadata
from nexus.shared.arguments import is_checked_facade
from nexus.shared.errors import DomainError, NotFoundError, ValidationError
from tests.hostile import aware_datetimes, hostile, json_values, nasty_text, unwrap

# NEXUS_FUZZ_SCALE multiplies the slow variant for a big run (e.g. 10 for 60 000 calls each).
# The normal run keeps the suite short; the slow subset (run by .ci/run) makes 6,000 calls.
NORMAL_CALLS = 1_200
SLOW_CALLS = 6_000 * int(os.environ.get("NEXUS_FUZZ_SCALE", "1"))
PASSWORD = "correct horse battery"

# Refusals that must leave every table as it was. (A refused login writes on purpose: the
# failed attempt is counted and audited.)
WRITE_FREE_REFUSALS = (ValidationError, NotFoundError)


def facades(app: Nexus) -> dict[str, Any]:
    """Every context facade the app exposes (`app.identity`, `app.lab`, later ones too)."""
    return {
        name: value
        for name, value in vars(app).items()
        if not name.startswith("_") and type(value).__module__.endswith(".application.facade")
    }


def public_methods(app: Nexus) -> list[tuple[str, Callable[..., Any]]]:
    found = []
    for context, facade in facades(app).items():
        for name, method in inspect.getmembers(facade, inspect.ismethod):
            if not name.startswith("_"):
                found.append((f"{context}.{name}", method))
    return sorted(found, key=lambda pair: pair[0])


def seed(app: Nexus, workdir: Path) -> dict[str, list[Any]]:
    """Real rows to aim at, so calls reach past the first lookup; by parameter name."""
    user = app.identity.register_user(email="seed@example.org", name="Seed", password=PASSWORD)
    org = app.identity.create_organization(name="Seed Org", slug="seed-org", owner_id=user.id)
    key = app.identity.create_api_key(user.id, name="seed", actor=user.id)
    login = app.identity.login(email="seed@example.org", password=PASSWORD)
    link = app.identity.issue_magic_link("seed@example.org")
    reset = app.identity.request_password_reset("seed@example.org")
    domain = app.identity.add_domain(org.id, "seed.example.org", actor=OPERATOR)
    app.lab.register_instrument(**SAMPLE_INSTRUMENT)
    pid = SAMPLE_INSTRUMENT["instrument_pid"]
    started = datetime(2026, 3, 1, 9, tzinfo=UTC)
    app.lab.insert_log(
        session_identifier="seed-session", instrument=pid, timestamp=started, event_type="START"
    )
    events = workdir / "events.json"
    events.write_text('{"count": 0, "results": []}')
    assert link is not None
    assert reset is not None
    return {
        "email": ["seed@example.org", "SEED@example.org"],
        "password": [PASSWORD],
        "current_password": [PASSWORD],
        "user_id": [user.id, str(user.id)],
        "owner_id": [user.id],
        "actor": [OPERATOR, user.id],
        "organization_id": [org.id, str(org.id)],
        "slug": ["seed-org"],
        "domain_id": [domain.domain.id],
        "domain": ["seed.example.org", "other.example.org"],
        "key_id": [key.key.id],
        "raw_key": [key.raw_key],
        "refresh_token": [login.refresh_token],
        "token": [link.token, reset, domain.verification_token],
        "code": [link.code],
        "role": ["member", "admin", "owner"],
        "instrument_pid": [pid],
        "instrument": [pid],
        "session_identifier": ["seed-session"],
        "event_type": ["START", "END", "RECORD_GENERATION"],
        "status": ["TO_BE_BUILT", "COMPLETED", "ERROR"],
        "system": ["nemo", "cdcs", "labarchives_eln"],
        "destinations": [["cdcs"], []],
        "path": [events, str(events), workdir / "missing.json"],
        "timezone": ["America/New_York", "UTC", "Mars/Olympus"],
    }


def typed(annotation: str) -> st.SearchStrategy[Any]:
    """A plausible value from the parameter's annotation (as written)."""
    if "datetime" in annotation:
        return aware_datetimes
    if "bool" in annotation:
        return st.booleans()
    if "int" in annotation:
        return st.integers() | st.integers(min_value=-(2**70), max_value=2**70)
    if "dict" in annotation or "Any" in annotation:
        return json_values
    if "Iterable" in annotation or "list" in annotation:
        return st.lists(nasty_text, max_size=3)
    if "Path" in annotation:
        return nasty_text.map(Path)
    return nasty_text


def argument(name: str, annotation: str, seeds: dict[str, list[Any]]) -> st.SearchStrategy[Any]:
    choices = [typed(annotation), hostile]
    if seeds.get(name):
        choices = [st.sampled_from(seeds[name]), st.sampled_from(seeds[name]), *choices]
    return st.one_of(choices)


UPDATE_KEYS = ["name", "slug", "description", "settings", "api_url", "location", "timezone"]


@st.composite
def calls(draw: st.DrawFn, methods: list[tuple[str, Callable[..., Any]]], seeds: Any) -> Any:
    label, method = draw(st.sampled_from(methods))
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    for param in inspect.signature(method).parameters.values():
        annotation = str(param.annotation)
        if param.kind is param.VAR_KEYWORD:
            names = draw(st.lists(st.sampled_from(UPDATE_KEYS) | nasty_text, max_size=3))
            for key in names:
                kwargs[key] = draw(argument(key, "Any", seeds))
            continue
        if param.kind is param.VAR_POSITIONAL:
            continue
        if param.default is not param.empty and draw(st.booleans()):
            continue  # leave an optional parameter out
        value = draw(argument(param.name, annotation, seeds))
        if param.kind is param.KEYWORD_ONLY:
            kwargs[param.name] = value
        else:
            args.append(value)
    return label, method, args, kwargs


def row_counts(app: Nexus) -> dict[str, int]:
    if app.settings.persistence == "memory":
        store = app.container.memory_store()
        with store.lock:
            return {name: len(rows) for name, rows in store.tables.items() if rows}
    names = [table.name for table in metadata.sorted_tables]
    counts = ", ".join(f'(SELECT count(*) FROM "{n}")' for n in names)  # noqa: S608 - our tables
    query = f"SELECT {counts}"
    with app.container.engine().connect() as connection:
        row = connection.execute(text(query)).one()
    return {n: c for n, c in zip(names, row, strict=True) if c}


def message(error: BaseException) -> str:
    try:
        return str(error)[:200].encode("unicode_escape").decode("ascii")
    except Exception:  # a raw driver error whose str() itself fails on a deep parameter
        return f"<{type(error).__name__}: str() failed>"


def sweep(app: Nexus, n_calls: int, figure: Callable[[str], None]) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="nexus-fuzz-"))
    seeds = seed(app, workdir)
    methods = public_methods(app)
    assert {label.split(".")[0] for label, _ in methods} >= {"identity", "lab"}
    unchecked = [name for name, facade in facades(app).items() if not is_checked_facade(facade)]
    assert not unchecked, f"facades without @checked_facade: {unchecked}"
    outcomes: Counter[str] = Counter()
    escapes: Counter[str] = Counter()
    writes: Counter[str] = Counter()
    examples: dict[str, str] = {}

    @settings(
        max_examples=n_calls,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(call=calls(methods, seeds))
    def one_call(call: Any) -> None:
        label, method, args, kwargs = call
        args = [unwrap(a) for a in args]
        kwargs = {k: unwrap(v) for k, v in kwargs.items()}
        before = row_counts(app)
        outcomes["calls"] += 1
        try:
            method(*args, **kwargs)
        except WRITE_FREE_REFUSALS as error:
            outcomes["refused"] += 1
            after = row_counts(app)
            if after != before:
                writes[f"{label} {type(error).__name__}"] += 1
                examples.setdefault(f"write:{label}", f"{error} {before} -> {after}")
        except DomainError:
            outcomes["refused"] += 1
        except Exception as error:
            kind = f"{label}: {type(error).__module__}.{type(error).__name__}"
            escapes[kind] += 1
            examples.setdefault(kind, message(error))
        else:
            outcomes["answered"] += 1

    one_call()
    figure(
        f"{outcomes['calls']} calls over {len(methods)} methods: {outcomes['answered']} answered, "
        f"{outcomes['refused']} refused with a DomainError, {sum(escapes.values())} unexpected "
        f"exceptions, {sum(writes.values())} refusals that wrote"
    )
    details = [f"{k} x{n}: {examples.get(k, '')}" for k, n in escapes.most_common()]
    details += [f"wrote on refusal: {k} x{n}" for k, n in writes.most_common()]
    details += [f"  {k}: {v}" for k, v in examples.items() if k.startswith("write:")]
    assert not escapes, "\n".join(details)
    assert not writes, "\n".join(details)


def test_every_facade_method_answers_any_input_with_a_result_or_a_domain_error(
    app: Nexus, figure: Callable[[str], None]
) -> None:
    sweep(app, NORMAL_CALLS, figure)


@pytest.mark.slow
def test_every_facade_method_answers_any_input_larger_run(
    app: Nexus, figure: Callable[[str], None]
) -> None:
    sweep(app, SLOW_CALLS, figure)
