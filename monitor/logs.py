"""Logging setup: human-readable or JSON lines, and a filter that masks every secret."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

from monitor.config import redact

NOISY = ("scrapy", "twisted", "apscheduler", "apprise", "trafilatura", "htmldate", "filelock", "charset_normalizer")


class RedactingFilter(logging.Filter):
    """Render the message once, mask secrets in it, and store it back so no handler sees the raw text."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not lose the record
            message = str(record.msg)
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for log shippers."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)


def setup_logging(verbosity: int = 0, fmt: str = "text") -> None:
    """-q → warnings only, default → info from us and warnings from libraries, -v → debug from us, -vv → all."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RedactingFilter())
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s", "%H:%M:%S"))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    ours = logging.WARNING if verbosity < 0 else logging.DEBUG if verbosity > 0 else logging.INFO
    root.setLevel(logging.DEBUG if verbosity > 1 else ours)
    logging.getLogger("monitor").setLevel(ours)
    logging.getLogger("spiders").setLevel(ours)
    for name in NOISY:
        logging.getLogger(name).setLevel(logging.DEBUG if verbosity > 1 else logging.WARNING)
