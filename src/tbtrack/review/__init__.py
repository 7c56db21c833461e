"""Review through git: revisions read as data, and what changed in meaning."""
