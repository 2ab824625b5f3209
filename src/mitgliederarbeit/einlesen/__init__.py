"""Everything that comes in: reading spreadsheets, recognizing columns, normalizing rows, the import door."""
