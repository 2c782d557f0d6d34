"""The domain: plain Python with no Qt, no SQLAlchemy and no file formats.

Everything else in the application depends on this package; it depends on nothing but the standard
library.
"""
