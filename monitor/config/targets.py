"""Check and mask apprise notification URLs without sending anything."""

from __future__ import annotations

import apprise

from monitor.config.secrets import redact


def is_valid_url(url: str) -> bool:
    """True when apprise can build a notifier from `url` (nothing is sent)."""
    try:
        return apprise.Apprise.instantiate(url) is not None
    except Exception:  # apprise raises on some malformed input instead of returning None
        return False


def masked_url(url: str) -> str:
    """The URL with passwords and tokens masked, fit for logs and error messages."""
    if url.startswith("apprise-config:"):  # a config file path and tags: nothing secret in them
        return url
    try:
        plugin = apprise.Apprise.instantiate(url)
    except Exception:
        plugin = None
    if plugin is not None:
        # apprise masks what it knows to be private (passwords, tokens it parses); a ${VAR} secret that sits
        # elsewhere, such as a webhook path, is masked by redact.
        return redact(str(plugin.url(privacy=True)).split("?", 1)[0])  # type: ignore[no-untyped-call]
    scheme = url.split("://", 1)[0] if "://" in url else "?"
    return redact(f"{scheme}://…") if scheme else "…"
