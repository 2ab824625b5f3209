"""The store: the SQLite file with every snapshot, its backups, deletion and the output log."""
