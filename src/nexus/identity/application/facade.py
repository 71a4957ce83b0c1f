"""`app.identity`: the context's methods for application services and embedding apps."""

from __future__ import annotations

import uuid

from nexus.identity.application import commands
from nexus.identity.application.results import UserResult
from nexus.identity.application.users import Authenticate, GetUser, ListUsers, RegisterUser
from nexus.shared.ids import UserId, parse_id


class IdentityFacade:
    def __init__(
        self,
        *,
        register_user: RegisterUser,
        authenticate: Authenticate,
        get_user: GetUser,
        list_users: ListUsers,
    ) -> None:
        self._register_user = register_user
        self._authenticate = authenticate
        self._get_user = get_user
        self._list_users = list_users

    def register_user(
        self, *, email: str, name: str, password: str, username: str | None = None
    ) -> UserResult:
        return self._register_user(
            commands.RegisterUser(email=email, name=name, password=password, username=username)
        )

    def authenticate(self, *, email: str, password: str) -> UserResult:
        """The user, or AuthenticationError (same error for every kind of failure)."""
        return self._authenticate(commands.Authenticate(email=email, password=password))

    def get_user(self, user_id: uuid.UUID | str) -> UserResult:
        return self._get_user.by_id(UserId(parse_id(user_id, field="user_id")))

    def get_user_by_email(self, email: str) -> UserResult:
        return self._get_user.by_email(email)

    def list_users(self, *, limit: int = 100, offset: int = 0) -> list[UserResult]:
        return self._list_users(limit=limit, offset=offset)
