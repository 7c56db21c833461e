"""tbtrack: follow up the tasks that official notices assign to agencies."""

__version__ = "0.1.0"
