"""Auditor: offline quality assurance for children's social care."""

APP_NAME = "Auditor"
APP_ID = "auditor"
__version__ = "0.1.0"
