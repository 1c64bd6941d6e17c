"""verify/laws."""
