"""Load-file readers of the documents loader: Concordance DAT (read and write), Opticon OPT,
JSON Lines and field maps. Pure and streaming: no database, no other context.

The loader calls `read_dat` / `read_jsonl` / `read_opt` (each yields records or `RecordError`s)
and `FieldMap.apply` to turn a DAT record into target fields::

    field_map = load_field_map(path) if path else default_field_map("America/New_York")
    for item in read_dat(source, field_map.dialect, columns=field_map.columns,
                         has_header=field_map.columns is None):
        fields = field_map.apply(item) if isinstance(item, DatRecord) else item
        # fields: dict target -> value, or a RecordError(line, field, rule) to count
"""

from .dat import read_dat
from .default_field_map import default_field_map
from .dialect import CONCORDANCE, DatDialect
from .field_map import FieldMap, FieldRule, field_map_from_dict, load_field_map
from .jsonl import read_jsonl
from .opticon import OptDocument, OptPage, read_opt
from .results import DatRecord, JsonRecord, RecordError
from .writer import DatWriter, write_dat

__all__ = [
    "CONCORDANCE",
    "DatDialect",
    "DatRecord",
    "DatWriter",
    "FieldMap",
    "FieldRule",
    "JsonRecord",
    "OptDocument",
    "OptPage",
    "RecordError",
    "default_field_map",
    "field_map_from_dict",
    "load_field_map",
    "read_dat",
    "read_jsonl",
    "read_opt",
    "write_dat",
]
