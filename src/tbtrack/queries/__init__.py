"""The questions commands ask: listings, counts, one task, one agency."""
