"""Documents: e-discovery cases (the tenant), their exhibits, attachments, custodians, tags,
labels and folders, custom fields, relations, designations, deposition volumes and the trash.

The public API of the context: its facade (`app.documents`), the input record and results.
"""

from nexus.documents.application.facade import DocumentsFacade
from nexus.documents.application.query import ExhibitQuery, TrashState
from nexus.documents.application.results import (
    AddExhibitResult,
    BatchResult,
    CaseResult,
    CustodianResult,
    CustomFieldResult,
    DesignationResult,
    ExhibitResult,
    FamilyResult,
    LabelResult,
    PurgeResult,
    RelationResult,
    TagResult,
    VolumeResult,
)
from nexus.documents.domain.exhibit_data import ExhibitData, build_exhibit

__all__ = [
    "AddExhibitResult",
    "BatchResult",
    "CaseResult",
    "CustodianResult",
    "CustomFieldResult",
    "DesignationResult",
    "DocumentsFacade",
    "ExhibitData",
    "ExhibitQuery",
    "ExhibitResult",
    "FamilyResult",
    "LabelResult",
    "PurgeResult",
    "RelationResult",
    "TagResult",
    "TrashState",
    "VolumeResult",
    "build_exhibit",
]
