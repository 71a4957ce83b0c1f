"""The default field map: common Concordance / Relativity / DOJ field names to target names.

Targets are the documents spec's exhibit fields (`nge_document_id`, `sent_at`, `md5`, ...) plus
the loader's family and file fields (`end_document_id`, `begin_attach`, `end_attach`,
`parent_document_id`, `attachment_ids`, `custodian`, `all_custodians`, `native_path`,
`text_path`, `file_size`). Names a producer uses for the same field are aliases.
"""

from __future__ import annotations

from typing import Any

from .field_map import FieldMap, field_map_from_dict


def _text(target: str, *aliases: str, **options: Any) -> dict[str, Any]:
    return {"target": target, "aliases": list(aliases), **options}


def _when(target: str, time_field: str, *aliases: str) -> dict[str, Any]:
    return _text(target, *aliases, type="datetime", time_field=time_field)


DEFAULT_FIELDS: dict[str, dict[str, Any]] = {
    "BEGDOC": _text(
        "nge_document_id", "BEGBATES", "PRODBEG", "BEGNO", "DOCID", "Control Number", required=True
    ),
    "ENDDOC": _text("end_document_id", "ENDBATES", "PRODEND", "ENDNO"),
    "BEGATTACH": _text("begin_attach", "BEGATT", "PRODBEGATT", "BEG_ATTACH"),
    "ENDATTACH": _text("end_attach", "ENDATT", "PRODENDATT", "END_ATTACH"),
    "PARENTID": _text("parent_document_id", "PARENT_ID", "PARENTBATES", "Parent Document ID"),
    "ATTCHIDS": _text("attachment_ids", "ATTACHIDS", "ATTACHMENT_IDS", split=True),
    "FAMILYID": _text("family_id", "FAMILY", "GROUPID", "Group Identifier"),
    "CUSTODIAN": _text("custodian", "CUSTODIANS"),
    "ALLCUSTODIANS": _text(
        "all_custodians", "ALL CUSTODIANS", "ALL_CUSTODIANS", "DUPLICATE_CUSTODIANS", split=True
    ),
    "MD5HASH": _text("md5", "MD5_HASH", "MD5 Hash", "MD5"),
    "SHA256HASH": _text("sha256", "SHA256_HASH", "SHA256 Hash", "SHA256"),
    "MESSAGEID": _text("message_id", "MESSAGE_ID", "Message-ID", "Message ID"),
    "FROM": _text("from", "EMAIL_FROM", "Email From", "EMAILFROM"),
    "TO": _text("to", "EMAIL_TO", "Email To", "EMAILTO", split=True),
    "CC": _text("cc", "EMAIL_CC", "Email CC", "EMAILCC", split=True),
    "BCC": _text("bcc", "EMAIL_BCC", "Email BCC", "EMAILBCC", split=True),
    "SUBJECT": _text("subject", "EMAIL_SUBJECT", "Email Subject", "EMAILSUBJECT"),
    "DATESENT": _when("sent_at", "TIMESENT", "DATE_SENT", "Date Sent", "SENTDATE"),
    "DATERCVD": _when("received_at", "TIMERCVD", "DATE_RECEIVED", "Date Received", "DATERECEIVED"),
    "DATECRTD": _when("file_created_at", "TIMECRTD", "DATE_CREATED", "Date Created", "DATECREATED"),
    "DATESVD": _when(
        "file_modified_at", "TIMESVD", "DATEMOD", "DATE_MODIFIED", "Date Last Modified"
    ),
    "DOCDATE": _text("document_date", "DOC_DATE", "Document Date", type="date"),
    "TITLE": _text("title"),
    "AUTHOR": _text("author"),
    "LASTAUTHOR": _text("last_author", "LAST_AUTHOR", "Last Author"),
    "APPLICATION": _text("app_name", "APP_NAME", "APPNAME"),
    "DOCTYPE": _text("document_type", "DOC_TYPE", "Document Type"),
    "FILENAME": _text("file_name", "FILE_NAME"),
    "FILEEXT": _text("extension", "FILE_EXTENSION", "Document Extension", "EXTENSION"),
    "FILESIZE": _text("file_size", "FILE_SIZE", type="integer"),
    "FOLDERPATH": _text("file_path", "Folder Path", "ORIGINALPATH", "ORIGINAL_PATH"),
    "NATIVELINK": _text("native_path", "FILE_PATH", "NATIVE_PATH", "NATIVEPATH", "NATIVE FILE"),
    "TEXTLINK": _text("text_path", "TEXT_PATH", "TEXTPATH", "Extracted Text", "OCRPATH"),
    "PGCOUNT": _text(
        "verified_page_count", "PAGECOUNT", "PAGE_COUNT", "Page Count", type="integer"
    ),
}


def default_field_map(time_zone: str = "UTC") -> FieldMap:
    """The default map, reading dates without a zone in `time_zone`."""
    return field_map_from_dict({"time_zone": time_zone, "fields": DEFAULT_FIELDS})
