"""The terminal skin: the only place typer and rich are imported."""
