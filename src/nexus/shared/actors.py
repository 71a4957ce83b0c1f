"""The acting party of a use case: a user's id, or the operator (who runs nexus with its
database credentials). Shared so every context's use cases accept the same OPERATOR."""

from __future__ import annotations

from enum import Enum

from nexus.shared.ids import UserId


class Operator(Enum):
    """Whoever runs nexus with its database credentials (the `nexus` command, a maintenance
    job). Passes every permission check; audit rows record it as `actor: operator`. Never
    pass it on behalf of an end user."""

    OPERATOR = "operator"


OPERATOR = Operator.OPERATOR
Actor = UserId | Operator
