"""Keeps a hostile feed from steering the crawler at internal services (SSRF).

A link to 169.254.169.254 (cloud metadata), 10.x, 192.168.x, localhost and the like is refused unless the
source itself is configured on that host: a user who watches an intranet site says so in config.toml.
Host names are not resolved here, so a public name that points at a private address is not caught;
the guard covers the common attack (an IP literal or `localhost` planted in a feed) at no cost.
"""

from __future__ import annotations

import ipaddress
import logging
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)
LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost")


class PrivateAddressRefused(IgnoreRequest):
    """A request to an internal address that no configured source lives on."""


def is_internal_host(host: str) -> bool:
    """True for loopback, private, link-local, reserved and unspecified addresses, and localhost names."""
    host = host.strip("[]").lower().rstrip(".")
    if host in LOCAL_NAMES or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return not address.is_global


class AddressGuardMiddleware:
    """Downloader middleware: refuse internal hosts other than the source's own."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AddressGuardMiddleware:
        """Scrapy's constructor hook."""
        return cls(crawler)

    def _allowed_hosts(self) -> set[str] | None:
        """Hosts of the spider's own source; None for a spider that is not one of ours (no source: no guard)."""
        source: Any = getattr(self.crawler.spider, "source", None)
        if source is None:
            return None
        return {(urlsplit(u).hostname or "").lower() for u in (source.url, *source.urls)}

    def process_request(self, request: Request) -> None:
        """Let the request through, or raise PrivateAddressRefused."""
        host = (urlsplit(request.url).hostname or "").lower()
        if not is_internal_host(host):  # every public site: the source's hosts need not be worked out
            return
        allowed = self._allowed_hosts()
        if allowed is not None and host not in allowed:
            raise PrivateAddressRefused(f"internal address {host} is not a configured source's host")
