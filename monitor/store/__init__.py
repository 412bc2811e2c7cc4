"""Store stage: the SQLite database (the only sqlite-utils user) and story grouping.

Takes articles with their hits and alerts; writes them in one transaction, with the alert outbox, crawl
state and run history. Gives back what the other stages ask of it: known URLs, due deliveries, reports.
`StoryIndex` groups near-duplicate copies of one story by their MinHash `signature`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from monitor.exports import lazy_exports

if TYPE_CHECKING:
    from monitor.store.database import NewAlert as NewAlert
    from monitor.store.database import RunState as RunState
    from monitor.store.database import Store as Store
    from monitor.store.database import target_key as target_key
    from monitor.store.health import this_host as this_host
    from monitor.store.minhash import signature as signature
    from monitor.store.stories import StoryIndex as StoryIndex
    from monitor.store.times import iso as iso
    from monitor.store.times import utcnow as utcnow

# name → the module that defines it, imported on first use (see monitor/exports.py for why).
EXPORTS = {
    "NewAlert": "database",
    "RunState": "database",
    "Store": "database",
    "StoryIndex": "stories",
    "iso": "times",
    "signature": "minhash",
    "target_key": "database",
    "this_host": "health",
    "utcnow": "times",
}
__all__ = sorted(EXPORTS)
__getattr__ = lazy_exports(__name__, EXPORTS)
