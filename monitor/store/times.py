"""Time as the database stores it: timezone-aware UTC, written as sortable ISO-8601 text."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def iso(moment: datetime | None) -> str | None:
    """An ISO-8601 UTC string (sortable as text), or None."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def iso_local(moment: datetime | None) -> str | None:
    """An ISO-8601 string that keeps the time's own UTC offset: a page's date keeps its calendar day.

    "2025-12-03T22:00-08:00" stays on the 3rd; converted to UTC it would be the 4th. SQLite's datetime()
    reads these strings back as UTC for sorting and comparing.
    """
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat(timespec="seconds")
