"""The desktop app (PySide6). Widgets reach data only through ``auditor.services``."""
