"""`app.workspaces`: the context's use cases. Each method is defined once, in the group module
named in its class; every one takes the acting user (`actor=`, or OPERATOR)."""

from __future__ import annotations

from nexus.workspaces.application.agents import Agents
from nexus.workspaces.application.apps import Apps
from nexus.workspaces.application.members import Members
from nexus.workspaces.application.secrets import Secrets
from nexus.workspaces.application.servers import Servers
from nexus.workspaces.application.workspaces import Workspaces


class WorkspacesFacade(Workspaces, Members, Servers, Agents, Secrets, Apps):
    """Every workspaces use case: `app.workspaces.create_workspace(...)`, `.set_secret(...)`."""
