"""The exception hierarchy: every error a user can cause is one of these."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from monitor.models import Article


class MonitorError(Exception):
    """Base of every error the command line turns into a message and an exit code."""

    exit_code = 1


class ConfigError(MonitorError):
    """config.toml is invalid; names the file, the line (when known) and the key."""

    exit_code = 2

    def __init__(self, path: str, key: str, message: str, line: int | None = None) -> None:
        self.path, self.key, self.message, self.line = str(path), key, message, line
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {key}: {message}" if key else f"{where}: {message}")


class QueryError(MonitorError):
    """A watchlist query could not be parsed; `position` is the 0-based character offset."""

    exit_code = 2

    def __init__(self, query: str, position: int, message: str) -> None:
        self.query, self.position, self.message = query, position, message
        super().__init__(f"{message} at position {position} in query {query!r}")


class NotifyConfigError(MonitorError):
    """A notification URL apprise cannot use; carries only the masked URL, never the secret."""

    exit_code = 2


class StorageError(MonitorError):
    """The database cannot be used (locked, corrupt, or made by a newer version)."""


class PageRejected(MonitorError):
    """One page skipped with a reason (not_html, too_large, no_article, listing, bad_encoding, ...).

    `metadata` is what the page said about itself when it could be read (an Article with an empty text:
    title, dates, authors, credits), so a caller can log or store it even though the body was refused.
    """

    def __init__(self, reason: str, detail: str = "", metadata: Article | None = None) -> None:
        self.reason, self.detail, self.metadata = reason, detail, metadata
        super().__init__(f"{reason}: {detail}" if detail else reason)
