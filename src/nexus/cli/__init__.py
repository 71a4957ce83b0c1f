"""The `nexus` command: a thin typer layer over the use cases."""
