"""Knowledge: ontologies and the workspace graph (so far: graph formats, traversal SQL)."""
