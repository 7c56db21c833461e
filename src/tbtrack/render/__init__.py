"""Everything a user reads: the one output object, labels and the formats."""
