"""The project's exceptions, one shallow tree.

::

    ProspectingError          messages name the file, row, field or component
    ├── ConfigError           bad key or value, missing file: exit 2, nothing written
    ├── NotConfigured         a component switches itself off: noted, skipped
    ├── SchemaError           unknown field on a record: a bug
    ├── StoreError            the database is missing, locked, corrupt or too new
    ├── InputError            one row or page cannot be used: quarantined
    ├── SourceError           a connector or crawl page failed
    ├── EnrichError           an enricher failed on one record
    ├── ExportError           an export could not be written
    └── StageFailed           says what was committed; re-running resumes

Bad-input errors also subclass ``ValueError`` (as requests does), so callers that
only know the standard library still catch them.
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "EnrichError",
    "ExportError",
    "InputError",
    "NotConfigured",
    "ProspectingError",
    "SchemaError",
    "SourceError",
    "StageFailed",
    "StoreError",
]


class ProspectingError(Exception):
    """Root of every error the project raises on purpose."""


class ConfigError(ProspectingError, ValueError):
    """A configuration, ICP or sequence file is missing or holds a bad key or value."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or [message]


class NotConfigured(ProspectingError):
    """A component has no configuration to run with and switches itself off."""


class SchemaError(ProspectingError):
    """A record was given a field the model does not know."""


class StoreError(ProspectingError):
    """The database file cannot be used: missing, locked, corrupt or from a newer version."""


class InputError(ProspectingError, ValueError):
    """One input row, file or page cannot be used."""


class SourceError(ProspectingError):
    """A public-data connector or a crawled page failed."""


class EnrichError(ProspectingError):
    """An enricher failed on one record."""


class ExportError(ProspectingError):
    """An export file could not be written."""


class StageFailed(ProspectingError):
    """A stage stopped part way; what was committed stays and a re-run resumes."""
