"""The files and their rules: what a task file and agencies.yaml say, as plain records, and how they are read and validated."""
