"""mitgliederarbeit: Werkzeugkasten für Mitgliederbeauftragte.

The package is a library first: every command of the ``mitglieder`` CLI is one call into a module here.
"""

__version__ = "0.1.0"
