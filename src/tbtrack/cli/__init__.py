"""The command line: option parsing and the commands, each a thin layer over the core."""
