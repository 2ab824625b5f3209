"""What goes out: call lists, welcome letters, the report and its charts."""
