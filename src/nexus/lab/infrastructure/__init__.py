"""Lab's adapters: ORM records, mappers, SQLAlchemy and in-memory repositories and queries."""
