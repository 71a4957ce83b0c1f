"""`app.documents`: the documents context's use cases. Each method is defined once, in the
group module named in its class (cases, classification, exhibits, loading)."""

from __future__ import annotations

from nexus.documents.application.cases import Cases
from nexus.documents.application.classification import Classification
from nexus.documents.application.exhibits import Exhibits
from nexus.documents.application.loading import Loading
from nexus.shared.arguments import checked_facade


@checked_facade
class DocumentsFacade(Cases, Classification, Exhibits, Loading):
    """Every documents use case: `app.documents.create_case(...)`, `.add_exhibit(...)`."""
