"""A name resolver for crawls in tests (Scrapy's TWISTED_DNS_RESOLVER setting): every `*.test` name is
127.0.0.1, numeric hosts are read as the C library reads them, and nothing else resolves. The machine's
DNS is never asked.

    run_crawl(..., overrides={"TWISTED_DNS_RESOLVER": "tests.resolver.LoopbackNames"})
"""

from __future__ import annotations

import socket
from typing import Any

from twisted.internet.address import IPv4Address, IPv6Address
from twisted.internet.interfaces import IHostnameResolver, IHostResolution
from zope.interface import implementer

LOOPBACK = "127.0.0.1"
TEST_SUFFIX = ".test"  # RFC 2606: reserved for testing, never a real name


@implementer(IHostResolution)
class _Resolution:
    def __init__(self, name: str) -> None:
        self.name = name

    def cancel(self) -> None:
        """Nothing to cancel: answers are immediate."""


@implementer(IHostnameResolver)
class LoopbackNames:
    """`*.test` → 127.0.0.1; numeric hosts as getaddrinfo(AI_NUMERICHOST) reads them; nothing else."""

    def __init__(self, reactor: Any) -> None:
        self.reactor = reactor

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> LoopbackNames:
        """Scrapy builds the resolver from the crawler process."""
        return cls(reactor)

    def install_on_reactor(self) -> None:
        """Become the reactor's name resolver."""
        self.reactor.installNameResolver(self)

    def resolveHostName(self, resolutionReceiver: Any, hostName: str, portNumber: int = 0,  # noqa: N802, N803
                        addressTypes: Any = None, transportSemantics: str = "TCP") -> Any:  # noqa: N803
        """Deliver the address (or none) at once."""
        resolutionReceiver.resolutionBegan(_Resolution(hostName))
        for family, address in self.lookup(hostName):
            kind = IPv6Address if family == socket.AF_INET6 else IPv4Address
            resolutionReceiver.addressResolved(kind("TCP", address, portNumber))
        resolutionReceiver.resolutionComplete()
        return resolutionReceiver

    @staticmethod
    def lookup(name: str) -> list[tuple[int, str]]:
        """(family, address) pairs for a name, without any DNS query."""
        if name.lower().rstrip(".").endswith(TEST_SUFFIX):
            return [(socket.AF_INET, LOOPBACK)]
        try:
            infos = socket.getaddrinfo(name, None, flags=socket.AI_NUMERICHOST, type=socket.SOCK_STREAM)
        except OSError:
            return []
        return [(family, str(sockaddr[0])) for family, _, _, _, sockaddr in infos]
