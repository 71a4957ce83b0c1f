"""The documents context's adapters: records, mappers, repositories, queries, container and the
load-file readers."""
