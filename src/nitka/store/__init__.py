"""The statement store: SQLAlchemy 2 over SQLite (embedded) or PostgreSQL (teams)."""
