"""The HTTP service (FastAPI) and, later, the analyst UI."""
