"""Storage: the SQLAlchemy engine and sessions, ORM entities and Alembic migrations.

Only ``auditor.services`` uses this package; the UI and the domain never do.
"""
