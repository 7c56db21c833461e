"""Safe edits: events spliced into task files, checked, written atomically."""
