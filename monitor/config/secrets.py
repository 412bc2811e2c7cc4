"""Secrets: remember every value that must never be printed, and mask it wherever text leaves the process."""

from __future__ import annotations

import re
import threading

_SECRETS: set[str] = set()
_LOCK = threading.Lock()
MASK = "****"
# user:password@ in any URL-ish text; the password part is masked even if it was typed literally. A "?"
# followed by "key=" is a query, not a password: host:port?from=a@b.org keeps its port and sender.
_USERINFO = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://)(?P<user>[^:/@\s]*):(?P<pw>[^@/?\s]*(?:\?[^@/=\s]*)?)@", re.I)


def register_secret(value: str) -> None:
    """Remember a value (e.g. resolved from ${VAR}) so `redact` masks it from now on."""
    if value and len(value) >= 3:  # masking 1-2 characters would garble ordinary words
        with _LOCK:
            _SECRETS.add(value)


def redact(text: str) -> str:
    """Return `text` with every registered secret and every URL password masked."""
    if not text:
        return text
    with _LOCK:
        secrets = sorted(_SECRETS, key=len, reverse=True)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    return _USERINFO.sub(lambda m: f"{m['scheme']}{m['user']}:{MASK}@", text)
