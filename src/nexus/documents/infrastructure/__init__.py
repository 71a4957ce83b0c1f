"""The documents context's records, mappers, repositories, queries and container."""
