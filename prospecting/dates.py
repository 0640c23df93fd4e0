"""Dates read from input files and from the store, as aware UTC datetimes."""

from __future__ import annotations

from datetime import UTC, datetime

__all__ = ["as_utc", "iso_moment"]


def as_utc(moment: datetime) -> datetime:
    """``moment`` in UTC; a naive one is taken as UTC already."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def iso_moment(text: str | None) -> datetime | None:
    """An ISO 8601 date or date-time (``Z`` accepted) in UTC; None when unreadable."""
    if not text:
        return None
    try:
        return as_utc(datetime.fromisoformat(text.strip().replace("Z", "+00:00")))
    except ValueError:
        return None
