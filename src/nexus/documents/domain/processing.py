"""The loader's bookkeeping, keyed by composite primary keys: per-document checkpoints, the
document dedupe key and the tag dedupe key (long values enter keys as SHA-256 digests)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import attrs

from nexus.documents.domain.ids import (
    NO_CUSTOM_FIELD,
    BatchId,
    CaseId,
    CustodianId,
    CustomFieldId,
    ExhibitId,
    TagId,
)
from nexus.shared.entity import Entity, aware_datetime, boolean, integer, text
from nexus.shared.errors import ValidationError

KEY_PART_MAX = 255
DIGEST_PREFIX = "sha256:"


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()


def key_part(value: str | None) -> str:
    """A value as it enters a composite key: '' for none, itself when it fits 255 characters,
    else `sha256:<hex>` of the full text (so the key fits every engine's index limit)."""
    if value is None:
        return ""
    if len(value) <= KEY_PART_MAX and not value.startswith(DIGEST_PREFIX):
        return value
    return DIGEST_PREFIX + sha256_hex(value)


def bcc_key(bcc: str | Iterable[str] | None) -> str:
    """The SHA-256 of a BCC list, addresses trimmed, lower-cased, in order; '' for none."""
    if bcc is None:
        return ""
    parts = bcc.replace(",", ";").split(";") if isinstance(bcc, str) else list(bcc)
    addresses = [p.strip().lower() for p in parts if p.strip()]
    return sha256_hex(";".join(addresses)) if addresses else ""


def message_id_hash(message_id: str | None) -> str:
    """The EDRM Message Identification Hash: the MD5 of the Message-ID header value as sent,
    angle brackets included (surrounding whitespace is not part of the value); '' for none."""
    value = (message_id or "").strip()
    if not value:
        return ""
    return hashlib.md5(value.encode("utf-8", "surrogatepass"), usedforsecurity=False).hexdigest()


def tag_key(text_: str) -> str:
    """tag_dedupe.name: the SHA-256 of the full tag text, so any length is one key."""
    return sha256_hex(text_)


@attrs.define(kw_only=True)
class ProcessCheckpoint(Entity):
    """One document of a batch is done: the exhibits it created, whether to index them."""

    __label__ = "process_checkpoints"

    npcase_id: CaseId
    batch_id: BatchId
    nge_document_id: str = attrs.field(validator=text(min_length=1, max_length=255))
    checkpoint_id: int | None = attrs.field(default=None)
    exhibit_ids: list[ExhibitId] = attrs.field(factory=list)
    index_documents: bool = attrs.field(default=True, validator=boolean)
    created_at: datetime = attrs.field(validator=aware_datetime())

    @checkpoint_id.validator
    def _check_checkpoint(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is not None:
            integer(minimum=0, maximum=2**63 - 1)(self, attribute, value)

    @exhibit_ids.validator
    def _check_ids(self, _attribute: Any, value: Any) -> None:
        if not isinstance(value, list) or len(value) > 100_000:
            raise ValidationError("process_checkpoints.exhibit_ids", "must be a list of ids")


def _key(max_length: int) -> Any:
    return text(max_length=max_length)


@attrs.define(kw_only=True)
class DocDedupe(Entity):
    """A document's dedupe key in its case and the exhibit that holds it. `scope` is '' for a
    case deduplicating globally, else the custodian's id."""

    __label__ = "doc_dedupe"

    npcase_id: CaseId
    message_id: str = attrs.field(default="", validator=_key(KEY_PART_MAX))
    bcc: str = attrs.field(default="", validator=_key(64))
    md5: str = attrs.field(default="", validator=_key(KEY_PART_MAX))
    doc_type: str = attrs.field(validator=_key(KEY_PART_MAX))
    scope: str = attrs.field(default="", validator=_key(36))
    exhibit_id: ExhibitId
    created_at: datetime = attrs.field(validator=aware_datetime())

    @classmethod
    def key_for(
        cls,
        *,
        message_id: str | None,
        bcc: str | Iterable[str] | None,
        md5: str | None,
        doc_type: str | None,
        custodian_id: CustodianId | None = None,
    ) -> dict[str, str]:
        """The key columns for these values (normalised: the message id as its EDRM hash,
        digests for long values, MD5 lower case, the custodian's id when the case deduplicates
        per custodian)."""
        return {
            "message_id": message_id_hash(message_id),
            "bcc": bcc_key(bcc),
            "md5": key_part(md5.strip().lower() if md5 else None),
            "doc_type": key_part(doc_type or ""),
            "scope": "" if custodian_id is None else str(custodian_id),
        }


@attrs.define(kw_only=True)
class TagDedupe(Entity):
    """One tag text (its SHA-256) per custom field (the nil id for none) in a case."""

    __label__ = "tag_dedupe"

    npcase_id: CaseId
    name: str = attrs.field(validator=text(min_length=64, max_length=64))
    custom_field_id: CustomFieldId = NO_CUSTOM_FIELD
    tag_id: TagId
    created_at: datetime = attrs.field(validator=aware_datetime())
