"""Finding the story of a new text among stored ones, by what links them rather than by shingles in memory:
the page a post shares, and the article that quotes a post. A mixin of Store (it needs only `query`)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from monitor.models import Article

# A post and the page it shares are one story when published this close together; further apart, the post
# points back to an older report ("as we wrote last month") and is news of its own.
LINK_WINDOW = timedelta(days=2)


class StoryLookups:
    """Story lookups through the database: Store's `query` does the reading."""

    if TYPE_CHECKING:  # Store's, which mixes this in
        def query(self, sql: str, params: Any = ()) -> list[dict[str, Any]]: ...

    def linked_story(self, article: Article) -> str | None:
        """The story of a page this post shares, or of a post that shares this page, when the two were published
        within LINK_WINDOW: a channel's post and the article it links to are one story, whichever came first."""
        rows = []
        if article.links_to:
            rows += self.query("SELECT story, published, fetched FROM articles WHERE url = ?", [article.links_to])
        for address in dict.fromkeys(u for u in (article.url, article.canonical_url) if u):
            rows += self.query("SELECT story, published, fetched FROM articles WHERE links_to = ? AND url != ? "
                               "ORDER BY fetched LIMIT 20", [address, article.url])
        when = _aware(article.published or datetime.now(UTC))
        for row in rows:
            if abs(_aware(datetime.fromisoformat(row["published"] or row["fetched"])) - when) <= LINK_WINDOW:
                return str(row["story"])
        return None

    def quoting_story(self, article: Article, values: Any) -> str | None:
        """The story of a recent text of another source that quotes this short one (a post quoting an article
        stored before it): candidates by full-text search of its phrases, then checked phrase by phrase."""
        from monitor.store.stories import quoted_in, search_phrases, short_hashes  # LSH (scipy): daemon only

        hashes = short_hashes(values)
        phrases = search_phrases(article.text) if hashes else []
        if not hashes or not phrases:
            return None
        since = (datetime.now(UTC) - LINK_WINDOW).isoformat(timespec="seconds")
        try:
            rows = self.query(
                "SELECT a.story, a.text FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid "
                "WHERE articles_fts MATCH ? AND a.source != ? AND a.url != ? AND a.fetched >= ? LIMIT 20",
                [" OR ".join(f'"{p}"' for p in phrases), article.source, article.url, since])
        except sqlite3.OperationalError:  # a phrase FTS cannot parse: no candidates, never an error
            return None
        return next((str(r["story"]) for r in rows if quoted_in(hashes, r["text"] or "")), None)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
