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
    from monitor.store.lookback import StoredArticle as StoredArticle
    from monitor.store.lookback import gained_terms as gained_terms
    from monitor.store.lookback import record_terms as record_terms
    from monitor.store.lookback import stored_articles as stored_articles
    from monitor.store.minhash import signature as signature
    from monitor.store.stories import StoryIndex as StoryIndex
    from monitor.store.times import iso as iso
    from monitor.store.times import utcnow as utcnow

# name → the module that defines it, imported on first use (see monitor/exports.py for why).
EXPORTS = {
    "NewAlert": "database",
    "RunState": "database",
    "Store": "database",
    "StoredArticle": "lookback",
    "StoryIndex": "stories",
    "gained_terms": "lookback",
    "iso": "times",
    "record_terms": "lookback",
    "signature": "minhash",
    "stored_articles": "lookback",
    "target_key": "database",
    "this_host": "health",
    "utcnow": "times",
}
__all__ = sorted(EXPORTS)
__getattr__ = lazy_exports(__name__, EXPORTS)
