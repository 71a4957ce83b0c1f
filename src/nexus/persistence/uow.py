"""Unit of work bases, SQLAlchemy and in-memory, with the same commit/rollback semantics:
leaving the block without commit rolls back; database errors become domain errors."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from nexus.persistence.errors import is_translatable, translate
from nexus.persistence.memory import InMemoryStore, InMemoryTransaction
from nexus.shared.errors import ConcurrencyError


class SqlAlchemyUnitOfWork:
    """One session per `with` block. Subclasses build their repositories in `_open`."""

    session: Session

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory

    def _open(self, session: Session) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        self.session = self._session_factory()
        self._open(self.session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # close() ends the transaction; anything not committed is rolled back with it.
        self.session.close()
        if exc is not None and is_translatable(exc):
            raise translate(exc) from exc  # type: ignore[arg-type]
        if isinstance(exc, StaleDataError):
            raise ConcurrencyError("the row was changed by someone else; reload it") from exc

    def flush(self) -> None:
        """Send pending changes now, so a constraint breaks here rather than at commit."""
        try:
            self.session.flush()
        except sa_exc.DBAPIError as error:
            if is_translatable(error):
                raise translate(error) from error
            raise
        except StaleDataError as error:
            raise ConcurrencyError("the row was changed by someone else; reload it") from error

    def commit(self) -> None:
        try:
            self.session.commit()
        except sa_exc.DBAPIError as error:
            self.session.rollback()
            if is_translatable(error):
                raise translate(error) from error
            raise
        except StaleDataError as error:
            self.session.rollback()
            raise ConcurrencyError("the row was changed by someone else; reload it") from error

    def rollback(self) -> None:
        self.session.rollback()


class InMemoryUnitOfWork:
    """One transaction on a shared InMemoryStore per `with` block."""

    tx: InMemoryTransaction

    def __init__(self, store: InMemoryStore) -> None:
        self.store = store

    def _open(self, tx: InMemoryTransaction) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        self.tx = InMemoryTransaction(self.store)
        self._open(self.tx)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.tx.clear()

    def flush(self) -> None:
        """Nothing to send: in memory, constraints are checked as rows are staged."""

    def commit(self) -> None:
        try:
            self.tx.commit()
        finally:
            self.tx.clear()

    def rollback(self) -> None:
        self.tx.clear()
