"""Match stage: find watched names and queries in an article, in any spelling and grammatical form.

Takes `Watchlist`s (compiled once into a `Matcher`) and an `Article`; gives `Hit`s with the spelling
found, its offsets, a context snippet and why it matched. `parse_query` is the query syntax, also used
by the config stage to refuse a malformed query at load.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from monitor.exports import lazy_exports

if TYPE_CHECKING:
    from monitor.match.matcher import Matcher as Matcher
    from monitor.match.query import parse_query as parse_query

# name → the module that defines it, imported on first use (see monitor/exports.py for why).
EXPORTS = {
    "Matcher": "matcher",
    "parse_query": "query",
}
__all__ = sorted(EXPORTS)
__getattr__ = lazy_exports(__name__, EXPORTS)
