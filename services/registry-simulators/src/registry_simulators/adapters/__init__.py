"""I/O: the JSON-lines files of a dataset and their sqlite offset indexes."""
