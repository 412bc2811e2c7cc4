"""Look back: match a watchlist's terms against articles already stored, and alert for them like for new ones.

Only new articles are matched as they arrive, so a name added to a watchlist would miss the articles stored
an hour earlier. The daemon looks back when a watchlist gains a term or query (config reload, or a restart
after the config changed), over the watchlist's `backfill` window; `monitor rescan` looks back on request,
as far as asked. Alerts go through the outbox with the usual exactly-once rule: a (story, watchlist, term)
alerts once, so nothing that alerted before alerts again. When one look back finds more than a few stories,
they go out as one message, not a flood.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path

from monitor.config import Config, format_duration
from monitor.deliver import destinations
from monitor.errors import MonitorError
from monitor.match import Matcher
from monitor.models import Hit, Watchlist
from monitor.store import Store, StoredArticle, stored_articles, utcnow

FOLD_AFTER = 3  # more stories than this from one look back are sent as one message


@dataclass(frozen=True)
class Finding:
    """A stored article that names some of the terms looked for."""

    stored: StoredArticle
    hits: tuple[Hit, ...]

    @property
    def terms(self) -> list[str]:
        """The terms found, in order."""
        return list(dict.fromkeys(h.term for h in self.hits))


@dataclass
class LookBack:
    """What one look back over one watchlist found and did."""

    watchlist: str
    terms: tuple[str, ...]  # the terms and queries looked for
    since: datetime
    articles: int = 0  # stored articles read
    findings: list[Finding] = field(default_factory=list)  # those naming a term
    fresh: list[Finding] = field(default_factory=list)  # those with a term their story has not alerted on
    alerts: int = 0  # alerts created (0 on a dry run)
    folded: bool = False  # sent as one message


def window_of(watchlist: Watchlist, config: Config) -> float:
    """Seconds a look back reaches: the watchlist's `backfill`, else [monitor] backfill; never past max_age,
    older news never alerts (an explicit `monitor rescan --since` may reach further)."""
    backfill = config.monitor.backfill if watchlist.backfill is None else watchlist.backfill
    return min(backfill, config.monitor.max_age)


def find(database: str | Path, watchlist: Watchlist, terms: Sequence[str] | None, since: datetime) -> LookBack:
    """Match `terms` of `watchlist` (all of them when None) against the articles stored since `since`.

    Reads on a connection of its own and writes nothing, so the daemon runs it in a thread.
    """
    if terms is not None:
        wanted = set(terms)
        watchlist = replace(watchlist, terms=tuple(t for t in watchlist.terms if t.text in wanted),
                            queries=tuple(q for q in watchlist.queries if q in wanted))
    looked_for = tuple(t.text for t in watchlist.terms) + watchlist.queries
    result = LookBack(watchlist.name, looked_for, since)
    if not looked_for:
        return result
    matcher = Matcher.build([watchlist])  # exclude phrases silence the list here as everywhere
    for stored in stored_articles(database, since):
        result.articles += 1
        hits = matcher.find_hits(stored.article)
        if hits:
            result.findings.append(Finding(stored, tuple(hits)))
    return result


def plan(store: Store, watchlist: Watchlist, result: LookBack) -> LookBack:
    """Which findings would alert (their story has not alerted on the name), and whether to fold them."""
    result.fresh = [f for f in result.findings if store.unalerted_terms(f.stored.story, watchlist.name, f.terms)]
    result.folded = watchlist.mode == "instant" and len({f.stored.story for f in result.fresh}) > FOLD_AFTER
    return result


def record(store: Store, watchlist: Watchlist, result: LookBack, finding: Finding) -> None:
    """Store one finding's hits and, exactly once per story and name, its alert (one transaction)."""
    alert = store.add_hits(finding.stored.article, finding.stored.story, finding.hits, targets=destinations(watchlist),
                           mode=watchlist.mode, limit=watchlist.max_per_hour, folded=result.folded)
    result.alerts += alert is not None


def apply(store: Store, watchlist: Watchlist, result: LookBack, *, dry_run: bool = False) -> LookBack:
    """Plan a look back, then record every finding (every hit, also where its story alerted already)."""
    plan(store, watchlist, result)
    if not dry_run:
        for finding in result.findings:
            record(store, watchlist, result, finding)
    return result


def rescan(config: Config, watchlist: str | None, since: float | None, *, dry_run: bool) -> list[LookBack]:
    """`monitor rescan`: look back over one watchlist (or all) for `since` seconds (default: its backfill)."""
    chosen = [w for w in config.watchlists if watchlist is None or w.name == watchlist]
    if not chosen:
        names = ", ".join(w.name for w in config.watchlists) or "none"
        raise MonitorError(f"no watchlist {watchlist!r} in {config.path} (have: {names})")
    store = Store(config.monitor.database)
    try:
        results = []
        for w in chosen:
            start = utcnow() - timedelta(seconds=window_of(w, config) if since is None else since)
            results.append(apply(store, w, find(config.monitor.database, w, None, start), dry_run=dry_run))
        return results
    finally:
        store.close()


def rescan_report(results: Sequence[LookBack], *, dry_run: bool) -> str:
    """What `monitor rescan` prints: per watchlist, the articles that name its terms and what alerts."""
    lines = []
    for r in results:
        lines.append(f"{r.watchlist}: {r.articles} stored article(s) since {r.since:%Y-%m-%d %H:%M} UTC; "
                     f"{len(r.findings)} name its terms, {len(r.fresh)} with a name their story has not alerted on")
        for f in r.fresh:
            article = f.stored.article
            when = f"{article.published:%Y-%m-%d %H:%M}" if article.published else "no date"
            lines.append(f"  {when:<16}  {article.source}  {' '.join(article.title.split())[:90]}")
            lines.append(f"  {'':<16}  {', '.join(f.terms)}  {article.url}")
        if dry_run:
            lines.append(f"  dry run: {len(r.fresh)} would alert{' in one message' if r.folded else ''}; "
                         "nothing written")
        elif r.alerts:
            how = "as one message" if r.folded else "each on its own"
            lines.append(f"  {r.alerts} alert(s) queued in the outbox, sent {how} by the running daemon "
                         "(or the next `monitor run --once`)")
    return "\n".join(lines)


def describe(result: LookBack, window: float) -> str:
    """One log line about a look back the daemon made."""
    return (f"watchlist {result.watchlist} gained {', '.join(result.terms)}: {result.articles} stored article(s) "
            f"from the last {format_duration(window)} read, {len(result.findings)} name them, "
            f"{result.alerts} alert(s){' in one message' if result.folded else ''}")
