"""The technical base every context's adapters stand on: metadata, column types, engine,
error translation, the generic mapper, repository and unit-of-work bases."""
