"""Local-first outbound prospecting: source, enrich, dedupe and sequence B2B contacts.

The Python API is :mod:`prospecting.api`; the ``prospecting`` command is a thin skin
over it. Importing this package stays cheap: heavy modules load where they are used.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
