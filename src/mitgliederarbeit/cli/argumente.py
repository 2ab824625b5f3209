"""What the command line asks for, decided before typer is loaded (used by ``start`` and ``lauf``)."""

HILFE_ARGUMENTE = frozenset({"-h", "--help", "--install-completion", "--show-completion"})


def nur_hilfe(args: list[str]) -> bool:
    """Whether this call only prints help (``mitglieder`` alone shows the help too)."""
    return not args or not HILFE_ARGUMENTE.isdisjoint(args)
