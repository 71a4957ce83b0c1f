"""The documents context's adapters: records, mappers, repositories, queries, container, the
load-file readers and the loader's bulk paths."""
