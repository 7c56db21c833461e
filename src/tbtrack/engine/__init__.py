"""The deadline engine: last allowed days, occurrences and statuses as of a day."""
