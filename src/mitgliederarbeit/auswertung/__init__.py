"""What the store says: segments, the metrics of the Ortsvereine, the practices survey, the overview."""
