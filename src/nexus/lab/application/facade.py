"""`app.lab`: the context's use cases for application services and embedding apps. Each
method is defined once, in the group module named in its class (instruments, sessions, ...)."""

from __future__ import annotations

from nexus.lab.application.external_ids import ExternalIds
from nexus.lab.application.instruments import Instruments
from nexus.lab.application.sessions import Sessions
from nexus.lab.application.takeover import Takeover
from nexus.lab.application.uploads import Uploads
from nexus.lab.application.usage_events import UsageEvents
from nexus.shared.arguments import checked_facade


@checked_facade
class LabFacade(Instruments, Sessions, Uploads, ExternalIds, UsageEvents, Takeover):
    """Every lab use case: `app.lab.register_instrument(...)`, `app.lab.insert_log(...)`."""
