"""URL identity: one canonical form per article, so feed, sitemap and listing links to it agree; and the
addresses of Telegram channels and their posts."""

from __future__ import annotations

import re
from dataclasses import dataclass
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


# -- Telegram channels --------------------------------------------------------------------------------------
# t.me's other names; a channel's posts are identified under https://t.me whichever one was configured.
TELEGRAM_HOSTS = frozenset({"t.me", "www.t.me", "telegram.me", "www.telegram.me", "telegram.dog"})
TELEGRAM_ORIGIN = "https://t.me"
# Public usernames: a letter, then letters, digits and underscores (Telegram asks for 5 to 32; a few old
# channels have 4, and mirrors and test servers are not held to the minimum).
_CHANNEL_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{2,31}")
# t.me paths that are services, not usernames.
_TELEGRAM_SERVICES = frozenset({"joinchat", "addstickers", "addemoji", "addtheme", "addlist", "share", "proxy",
                                "socks", "login", "setlanguage", "contact", "confirmphone", "boost", "invoice"})


@dataclass(frozen=True)
class TelegramChannel:
    """A public Telegram channel and the server its web preview is read from."""

    origin: str  # scheme://host[:port]: https://t.me, or the mirror or loopback server configured
    name: str

    @property
    def address(self) -> str:
        """The channel's own address, https://t.me/NAME: what a config names."""
        return f"{self.origin}/{self.name}"

    @property
    def preview_url(self) -> str:
        """The channel's public web preview: its newest posts, no account needed."""
        return f"{self.origin}/s/{self.name}"

    def post_url(self, post_id: int | str) -> str:
        """The address of one post, https://t.me/NAME/ID: the post's identity in the store."""
        return f"{self.origin}/{self.name}/{post_id}"


def telegram_channel(url: str) -> TelegramChannel | None:
    """The public channel a URL names (https://t.me/NAME or https://t.me/s/NAME, on t.me or on any host that
    serves the same paths); None for anything else, including invite links and links to single posts."""
    try:
        parts = urlsplit(url.strip())
        host, port = (parts.hostname or "").lower().rstrip("."), parts.port
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not host:
        return None
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) == 2 and segments[0] == "s":
        segments = segments[1:]
    if len(segments) != 1 or not _CHANNEL_NAME.fullmatch(segments[0]):
        return None
    name = segments[0]
    if name.lower() in _TELEGRAM_SERVICES:
        return None
    if host in TELEGRAM_HOSTS:
        return TelegramChannel(TELEGRAM_ORIGIN, name)
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and DEFAULT_PORTS[parts.scheme] != port:
        netloc = f"{netloc}:{port}"
    return TelegramChannel(f"{parts.scheme}://{netloc}", name)


def telegram_url_problem(url: str) -> str:
    """Why a URL is not a public channel's address, in words for a config error or add-source."""
    try:
        segments = [s for s in urlsplit(url.strip()).path.split("/") if s]
    except ValueError:
        segments = []
    if segments and (segments[0].startswith("+") or segments[0].lower() == "joinchat"):
        return "is an invite link to a private chat; only public channels can be read (https://t.me/NAME)"
    if segments and segments[0] == "s":
        segments = segments[1:]
    if len(segments) == 2 and segments[1].isdigit() and _CHANNEL_NAME.fullmatch(segments[0]):
        return f"links to one post; use the channel's address, https://t.me/{segments[0]}"
    return "expected a public Telegram channel's address, like https://t.me/NAME or https://t.me/s/NAME"
