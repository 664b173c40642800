"""HTTP edges: the registries' APIs as registries.md gives them, and the ``/_sim`` admin API."""
