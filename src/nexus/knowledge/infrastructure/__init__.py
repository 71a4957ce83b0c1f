"""Knowledge's adapters: graph file formats and the traversal SQL."""
