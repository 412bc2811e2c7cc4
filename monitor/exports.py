"""Lazy entry points for the stage packages: `from monitor.store import Store` imports only what it names.

Each stage's `__init__.py` lists its public names and the module that defines each. A name's module is
imported the first time the name is asked for (PEP 562 `__getattr__`), so a process pays only for the
stages it uses: a cleaning-pool process that imports `monitor.crawl.pool` and `monitor.store`'s
`signature` does not load Scrapy, sqlite-utils or datasketch's LSH (with scipy), and the daemon's own
process never loads trafilatura. Type checkers read the same names from the package's `TYPE_CHECKING`
imports; `tests/test_architecture.py` checks that the two lists agree.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping


def lazy_exports(package: str, exports: Mapping[str, str]) -> Callable[[str], object]:
    """A module `__getattr__` for `package` that imports `package.<exports[name]>` on first use of `name`."""

    def __getattr__(name: str) -> object:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(f"{package}.{module}"), name)

    return __getattr__
