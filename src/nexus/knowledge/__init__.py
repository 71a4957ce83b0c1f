"""Knowledge: ontologies and the workspace knowledge graph (graph formats and traversal SQL so far)."""
