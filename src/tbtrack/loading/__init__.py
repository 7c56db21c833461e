"""Loading the data root: files, the registry and the cache of analysed tasks."""
