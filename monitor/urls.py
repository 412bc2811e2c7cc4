"""URL identity: one canonical form per article, so feed, sitemap and listing links to it agree."""

from __future__ import annotations

import re
from urllib.parse import unquote_plus, urlsplit, urlunsplit

from w3lib.url import safe_url_string

# Parameters that identify a click, a campaign or a session, never the article. Matched
# case-insensitively on the decoded name; utm_* is a prefix family.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "yclid",
        "_ga",
        "_gl",
        "igshid",
        "sessionid",
        "sid",
        "phpsessid",
        "jsessionid",
        "aspsessionid",
    }
)
TRACKING_PREFIXES = ("utm_",)
DEFAULT_PORTS = {"http": 80, "https": 443}
# Java servlet containers put the session in the path: /article;jsessionid=ABC?x=1
_PATH_SESSION = re.compile(r";(?:jsessionid|phpsessid|sid)=[^/?#;]*", re.IGNORECASE)
_ESCAPE = re.compile(r"%[0-9a-fA-F]{2}")


def is_tracking_param(name: str) -> bool:
    """Whether a query parameter name only tracks the visitor (utm_*, fbclid, session ids...)."""
    key = unquote_plus(name).strip().lower()
    return key in TRACKING_PARAMS or key.startswith(TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """Return the canonical form of an article URL: no fragment or tracking parameters,
    lower-case scheme and host, no default port, non-ASCII percent-encoded.

    Other parameters keep their order and spelling, because some sites route on them
    (``?c=ar&i=312345``). Never raises: a string that cannot be parsed comes back stripped.
    """
    text = url.strip()
    if not text:
        return text
    try:
        # Same escaping as Scrapy's Request, so response.url and our key agree.
        parts = urlsplit(safe_url_string(text))
        port = parts.port
    except ValueError:
        return text
    scheme = parts.scheme.lower()
    # Built from hostname, so credentials in a link (user:pass@) are dropped: never identity.
    host = (parts.hostname or "").rstrip(".")
    if ":" in host:
        host = f"[{host}]"  # IPv6 literal
    if port is not None and DEFAULT_PORTS.get(scheme) != port:
        host = f"{host}:{port}"
    path = _upper_escapes(_PATH_SESSION.sub("", parts.path))
    if not path and scheme in DEFAULT_PORTS:
        path = "/"
    query = "&".join(pair for pair in parts.query.split("&") if pair and not is_tracking_param(pair.partition("=")[0]))
    return urlunsplit((scheme, host, path, _upper_escapes(query), ""))


def _upper_escapes(text: str) -> str:
    """%d0%b1 and %D0%B1 are the same bytes (RFC 3986 6.2.2.1); keep one spelling."""
    return _ESCAPE.sub(lambda m: m.group(0).upper(), text)
