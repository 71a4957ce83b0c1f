"""Identity's SQLAlchemy repositories and queries."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from nexus.identity.application.results import UserResult
from nexus.identity.domain.users import User
from nexus.identity.infrastructure.mappers import user_mapper
from nexus.identity.infrastructure.records import UserRecord
from nexus.persistence.repository import SqlAlchemyRepository
from nexus.persistence.uow import SqlAlchemyUnitOfWork


class SqlAlchemyUserRepository(SqlAlchemyRepository[User, UserRecord]):
    mapper = user_mapper
    kind = "user"
    version_field = "version"

    def find_by_email(self, email: str) -> User | None:
        return self._one(select(UserRecord).where(UserRecord.email == email.strip().lower()))


class SqlAlchemyIdentityUnitOfWork(SqlAlchemyUnitOfWork):
    users: SqlAlchemyUserRepository

    def _open(self, session: Session) -> None:
        self.users = SqlAlchemyUserRepository(session)


class SqlAlchemyUserQueries:
    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory

    def list_users(self, *, limit: int = 100, offset: int = 0) -> list[UserResult]:
        statement = select(UserRecord).order_by(UserRecord.email).limit(limit).offset(offset)
        with self._session_factory() as session:
            return [
                UserResult.from_user(user_mapper.to_entity(r)) for r in session.scalars(statement)
            ]

    def count_users(self) -> int:
        with self._session_factory() as session:
            return int(session.scalar(select(func.count()).select_from(UserRecord)) or 0)
