"""Keeps a hostile feed from steering the crawler at internal services (SSRF).

A link to 169.254.169.254 (cloud metadata), 10.x, 192.168.x, localhost and the like is refused unless the
source itself is configured on that host: a user who watches an intranet site says so in config.toml.

Two checks, because a host can be internal in two ways:
- **As written** (downloader middleware, before any connection): every spelling the C resolver accepts
  for a number is read as one, the way `inet_aton` and `getaddrinfo(AI_NUMERICHOST)` do: decimal
  (`2130706433`), hex (`0x7f000001`), octal (`0177.0.0.1`), short forms (`127.1`), a trailing dot, and
  IPv6 forms that carry an IPv4 address (mapped `::ffff:127.0.0.1`, compatible `::127.0.0.1`, 6to4,
  NAT64, Teredo).
- **As resolved** (the reactor's name resolver, at connect time): a name that resolves to an internal
  address is refused unless a configured source lives on that name. This catches public names pointing
  at private addresses (DNS rebinding): the addresses checked are the ones the connection then uses.
"""

from __future__ import annotations

import ipaddress
import logging
import sys
import unicodedata
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest
from twisted.internet.interfaces import IHostnameResolver, IResolutionReceiver
from zope.interface import implementer  # type: ignore[import-untyped]

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from scrapy import Request
    from scrapy.crawler import Crawler
    from twisted.internet.interfaces import IAddress, IHostResolution

logger = logging.getLogger(__name__)
LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_IPV4_LIMITS = {1: (0xFFFFFFFF,), 2: (255, 0xFFFFFF), 3: (255, 255, 0xFFFF), 4: (255, 255, 255, 255)}
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
# Hosts of the configured sources: a name that resolves to an internal address is allowed only if it is one
# of these. Process-wide, because the reactor's resolver is (it serves every crawl of the daemon).
TRUSTED_NAMES: set[str] = set()
# Host name → the internal address it resolved to, for names the resolver refused: lets the spider's
# errback say "internal_address" instead of Twisted's "no results for hostname lookup".
REFUSED_NAMES: dict[str, str] = {}
_REFUSED_MEMORY = 1000


class PrivateAddressRefused(IgnoreRequest):
    """A request to an internal address that no configured source lives on."""


def host_key(host: str) -> str:
    """A host as compared here: brackets, case, Unicode width and one trailing dot folded away."""
    host = unicodedata.normalize("NFKC", host).strip().strip("[]").lower()
    return host[:-1] if host.endswith(".") and not host.endswith("..") else host


def parse_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """The address `inet_aton` reads in `host` (1 to 4 parts, each decimal, 0x-hex or 0-octal), else None."""
    parts = host_key(host).split(".")
    limits = _IPV4_LIMITS.get(len(parts))
    if limits is None:
        return None
    value = 0
    for part, limit in zip(parts, limits, strict=True):
        number = _inet_number(part)
        if number is None or number > limit:
            return None
        value = value * (limit + 1) + number
    return ipaddress.IPv4Address(value)


def _inet_number(part: str) -> int | None:
    """One part of a dotted number as the C library reads it; None when it is not one."""
    try:
        if part[:2] in ("0x", "0X"):
            return int(part[2:] or "0", 16)  # glibc reads a bare "0x" as 0
        if len(part) > 1 and part.startswith("0"):
            return int(part[1:], 8)
        return int(part, 10) if part.isdigit() and part.isascii() else None
    except ValueError:
        return None


def parse_address(host: str) -> IPAddress | None:
    """The IP address a URL's host spells in any numeric form the resolver accepts, else None (a name)."""
    key = host_key(host)
    if ":" in key:
        try:
            return ipaddress.IPv6Address(key)
        except ValueError:
            return None
    return parse_ipv4(key)


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for: mapped, compatible, 6to4, NAT64 or Teredo (client)."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    value = int(address)
    if value >> 32 == 0 and value > 1:  # IPv4-compatible ::a.b.c.d (:: and ::1 are IPv6's own)
        return ipaddress.IPv4Address(value)
    return None


def is_internal_address(address: IPAddress) -> bool:
    """True for loopback, private, link-local, reserved and unspecified addresses, however they are written."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = embedded_ipv4(address)
        if inner is not None:
            return not inner.is_global
    return not address.is_global


def is_internal_host(host: str) -> bool:
    """True for localhost names and for internal addresses in any spelling (see parse_address)."""
    key = host_key(host)
    if key in LOCAL_NAMES or key.endswith(".localhost"):
        return True
    address = parse_address(key)
    return address is not None and is_internal_address(address)


def trust(hosts: Iterable[str]) -> None:
    """Let these configured hosts resolve to internal addresses (an intranet source)."""
    TRUSTED_NAMES.update(host_key(h) for h in hosts if h)


def refused_name(host: str) -> str | None:
    """The internal address a host name was refused for at connect time, if it was."""
    return REFUSED_NAMES.get(host_key(host))


@implementer(IResolutionReceiver)
class _InternalFilter:
    """Passes resolved addresses on to the connection, except internal ones."""

    def __init__(self, receiver: Any, host: str) -> None:
        self.receiver, self.host = receiver, host
        self.refused: list[str] = []

    def resolutionBegan(self, resolution: IHostResolution) -> None:  # noqa: N802 (Twisted's interface)
        self.receiver.resolutionBegan(resolution)

    def addressResolved(self, address: IAddress) -> None:  # noqa: N802
        text = str(getattr(address, "host", ""))
        parsed = parse_address(text)
        if parsed is not None and is_internal_address(parsed):
            self.refused.append(text)
            return
        self.receiver.addressResolved(address)

    def resolutionComplete(self) -> None:  # noqa: N802
        if self.refused:
            if len(REFUSED_NAMES) >= _REFUSED_MEMORY:
                REFUSED_NAMES.clear()
            REFUSED_NAMES[self.host] = self.refused[0]
            logger.warning("refused %s: it resolves to the internal address %s, and no configured source lives "
                           "on that name", self.host, ", ".join(self.refused))
        self.receiver.resolutionComplete()


@implementer(IHostnameResolver)
class GuardedResolver:
    """The reactor's name resolver, wrapped: internal addresses of untrusted names never reach a connection."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def resolveHostName(self, resolutionReceiver: Any, hostName: str, portNumber: int = 0,  # noqa: N802, N803
                        addressTypes: Sequence[type[IAddress]] | None = None,  # noqa: N803
                        transportSemantics: str = "TCP") -> Any:  # noqa: N803
        """Resolve with the wrapped resolver, dropping internal addresses unless the name is trusted."""
        key = host_key(hostName)
        # A number "resolves" to itself: the middleware has judged it as written, knowing the source.
        trusted = key in TRUSTED_NAMES or parse_address(key) is not None
        receiver = resolutionReceiver if trusted else _InternalFilter(resolutionReceiver, key)
        return self.inner.resolveHostName(receiver, hostName, portNumber, addressTypes, transportSemantics)


def install_guard(reactor: Any) -> None:
    """Wrap the reactor's name resolver (once), after whatever resolver Scrapy or a test installed."""
    current = getattr(reactor, "nameResolver", None)
    if current is not None and not isinstance(current, GuardedResolver):
        reactor.installNameResolver(GuardedResolver(current))


class AddressGuardMiddleware:
    """Downloader middleware: refuse internal hosts other than the source's own, in any spelling."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        # The source's hosts, worked out once per crawl (every request asks): a crawl's source does not change.
        self._hosts: tuple[set[str], set[IPAddress]] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AddressGuardMiddleware:
        """Scrapy's constructor hook; also puts the connect-time check on the reactor's resolver."""
        trust(crawler.settings.getlist("MONITOR_TRUSTED_HOSTS"))
        if "twisted.internet.reactor" in sys.modules:  # never install a reactor as a side effect
            install_guard(sys.modules["twisted.internet.reactor"])
        return cls(crawler)

    def _allowed(self) -> tuple[set[str], set[IPAddress]] | None:
        """Host names and addresses of the spider's own source; None for a spider that is not one of ours."""
        if self._hosts is not None:
            return self._hosts
        source: Any = getattr(self.crawler.spider, "source", None)
        if source is None:
            return None
        names = {host_key(urlsplit(u).hostname or "") for u in (source.url, *source.urls)}
        trust(names)  # a source added by a config reload is trusted from its first crawl on
        self._hosts = names, {a for a in map(parse_address, names) if a is not None}
        return self._hosts

    def process_request(self, request: Request) -> None:
        """Let the request through, or raise PrivateAddressRefused."""
        host = host_key(urlsplit(request.url).hostname or "")
        allowed = self._allowed()
        if allowed is None or not is_internal_host(host):
            return
        names, addresses = allowed
        if host in names or parse_address(host) in addresses:
            return
        raise PrivateAddressRefused(f"internal address {host} is not a configured source's host")
