"""Check and mask apprise notification URLs without sending anything."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlsplit

import apprise

from monitor.config.secrets import redact

MASK = "****"
MAIL_SCHEMES = ("mailto", "mailtos")
# apprise's own URLs are split at these characters to find which parts its privacy mode hides.
_DELIMITERS = re.compile(r"([/:@?&=#])")
# Query keys that carry a secret in some apprise URL (masked even where apprise itself drops the key).
_SECRET_KEYS = frozenset({"pass", "password", "pwd", "pw", "secret", "token", "key", "apikey", "api_key",
                          "access_token", "auth", "webhook", "signature", "sig"})


@contextmanager
def apprise_silenced() -> Iterator[None]:
    """Drop what apprise logs from this thread meanwhile: a refused URL is logged whole, secrets and all,
    at ERROR, and our own message says better what is wrong. Other threads' sends still log."""
    thread = threading.get_ident()

    def this_thread(record: logging.LogRecord) -> bool:
        return record.thread != thread

    logger = logging.getLogger("apprise")
    logger.addFilter(this_thread)
    try:
        yield
    finally:
        logger.removeFilter(this_thread)


def _plugin(url: str) -> Any:
    """apprise's notifier for `url`, or None; nothing is sent and nothing is logged."""
    with apprise_silenced():
        try:
            return apprise.Apprise.instantiate(url)
        except Exception:  # apprise raises on some malformed input instead of returning None
            return None


def url_problem(url: str) -> str | None:
    """Why apprise cannot deliver to `url` (nothing is sent), in words; None when it can."""
    plugin = _plugin(url)
    if plugin is None:
        return "unknown service or malformed URL (formats: https://github.com/caronc/apprise/wiki)"
    if url.split("://", 1)[0].lower() in MAIL_SCHEMES:
        return _mail_problem(url, plugin)
    return None


def is_valid_url(url: str) -> bool:
    """True when apprise can build a notifier from `url` and nothing it needs is missing (nothing is sent)."""
    return url_problem(url) is None


def _mail_problem(url: str, plugin: Any) -> str | None:
    """apprise accepts mail URLs that cannot work (`desk@@example`, no recipient): say what is missing."""
    parts = urlsplit(url)
    login, at, host = parts.netloc.rpartition("@")
    if at and ("@" in login or not login.split(":", 1)[0]):
        return (f"malformed address {_masked_netloc(parts.netloc)!r}: write user@host once, "
                "or put the login in ?user=... and the recipients in ?to=...")
    if not host.split(":", 1)[0].strip("[]"):
        return "no mail server host after '://'"
    query = {key.lower(): value for key, value in parse_qsl(parts.query)}
    named = any(unquote(s) for s in parts.path.split("/")) or query.get("to")
    if not plugin.targets:
        return "no valid recipient address: add one as /desk@example.org or ?to=desk@example.org"
    implied_server = "smtp" in query or plugin.smtp_host != plugin.host  # a known provider, e.g. gmail.com
    if not named and not implied_server:
        return (f"no recipient and no SMTP server: {host.split(':', 1)[0]} is not a mail provider apprise knows, "
                "so name the server to send through (?smtp=smtp.example.org) and who receives the alerts "
                "(?to=desk@example.org)")
    return None


def _masked_netloc(netloc: str) -> str:
    login, at, host = netloc.rpartition("@")
    user, colon, _password = login.partition(":")
    return redact(f"{user}{colon}{MASK if colon else ''}{at}{host}")


def masked_url(url: str) -> str:
    """The URL as the user wrote it, with passwords and tokens masked: fit for logs, errors and reports."""
    if url.startswith("apprise-config:"):  # a config file path and tags: nothing secret in them
        return url
    plugin = _plugin(url)
    secrets = _hidden_parts(plugin) if plugin is not None else None
    if secrets is None:  # apprise cannot read it, so which parts are secret is unknown: show the scheme only
        scheme = url.split("://", 1)[0] if "://" in url else "?"
        return redact(f"{scheme}://…") if scheme else "…"
    return redact(_mask_query(_mask_values(url, secrets)))  # redact also masks any user:password@


def _hidden_parts(plugin: Any) -> set[str] | None:
    """The values apprise's privacy mode hides in its own URL (passwords, tokens); None when they can't be told."""
    plain = _DELIMITERS.split(str(plugin.url(privacy=False)))
    private = _DELIMITERS.split(str(plugin.url(privacy=True)))
    if len(plain) != len(private):
        return None
    return {unquote(a) for a, b in zip(plain, private, strict=True) if a != b and a}


def _mask_values(url: str, secrets: set[str]) -> str:
    """Replace each secret where the user wrote it: as a whole part, or as written across delimiters."""
    for secret in sorted(secrets, key=len, reverse=True):
        if _DELIMITERS.search(secret):  # e.g. a Telegram bot token "123:ABC" spans two parts
            for form in dict.fromkeys((secret, quote(secret, safe=""), quote(secret))):
                url = url.replace(form, MASK)
    parts = _DELIMITERS.split(url)
    return "".join(MASK if part and unquote(part) in secrets else part for part in parts)


def _mask_query(url: str) -> str:
    base, mark, query = url.partition("?")
    if not mark:
        return url
    fields = []
    for field in query.split("&"):
        key, equals, value = field.partition("=")
        secret = equals and value and key.lower().lstrip("+-:") in _SECRET_KEYS
        fields.append(f"{key}={MASK}" if secret else field)
    return f"{base}?{'&'.join(fields)}"
