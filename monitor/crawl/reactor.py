"""One process, one asyncio loop driven by Twisted's asyncio reactor (Scrapy's crawls and ours share it)."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"


def run_in_reactor(main: Callable[[], Coroutine[Any, Any, int]]) -> int:
    """Install the asyncio reactor, run `main()` to completion on its loop, return its exit code."""
    # The reactor must be installed before anything imports twisted.internet.reactor.
    from scrapy.utils.reactor import install_reactor

    install_reactor(REACTOR)
    from scrapy.utils.defer import deferred_from_coro
    from twisted.internet import reactor as installed

    # Twisted types the global reactor as a bare interface, and the installed class's methods carry no hints.
    reactor: Any = installed
    outcome: dict[str, Any] = {"code": 1}

    def finished(result: Any) -> None:
        if isinstance(result, int):
            outcome["code"] = result
        elif result is not None and hasattr(result, "raiseException"):  # a twisted Failure
            outcome["error"] = result
        reactor.stop()

    def start() -> None:
        deferred_from_coro(main()).addBoth(finished)

    reactor.callWhenRunning(start)
    # Our own signal handlers run the graceful shutdown; Twisted's would stop the reactor at once.
    reactor.run(installSignalHandlers=False)
    if "error" in outcome:
        outcome["error"].raiseException()
    return int(outcome["code"])
