"""After each run: is the source quiet, broken without an error, or moved? Each change of state is logged and
sent once to `admin_notify` (and once more when it is over), never on every cycle.

- **Broken** (one problem at a time, the first that applies): every page returns the same text (a consent
  wall, a paywall, a JavaScript or bot check); most pages rejected; a listing where no link is taken as an
  article; a feed or sitemap that lists nothing; a newest item older than `max_age` for days (a stale URL).
  A run that cannot tell (a 304, too few pages) leaves the state as it was.
- **Quiet**: no new article for much longer than the source's own rhythm while its fetches succeed
  (monitor/run/rhythm.py), and at least `quiet_after`.
- **Moved**: the source's URL answers with a permanent redirect; the crawl follows it, and the operator is
  told to run `monitor fix-source NAME`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from monitor.config import format_duration
from monitor.crawl import RunCounts, wall_copies
from monitor.models import Source
from monitor.run.rhythm import HISTORY, Rhythm, describe_gap, learn, quiet_since
from monitor.store import Store, iso, utcnow

logger = logging.getLogger(__name__)

MIN_PAGES = 3  # fewer article pages than this in a run say nothing about the source as a whole
BROKEN_SHARE = 0.8  # "most pages": rejected, or with one and the same text
STALE_GRACE = timedelta(days=2)  # the newest item must be older than max_age for this long
# Rejections of the feed or sitemap document itself (or of its entries), not of article pages.
DOCUMENT_REASONS = frozenset({"not_a_feed", "malformed_feed", "xml_entities", "malformed_xml", "bad_gzip",
                              "not_a_sitemap", "bad_link", "no_link"})
# Problems of the feed, sitemap or listing document itself: while one lasts, the document is fetched in full
# on every run (its validators are not kept), so that a fix shows at the next run.
REREAD_WHILE = frozenset({"no_links", "no_items", "stale"})
PROBLEM_LABELS = {"same_text": "every page returns the same text", "rejected": "most pages are rejected",
                  "no_links": "no article links found", "no_items": "the feed or sitemap lists nothing",
                  "stale": "only old items"}


@dataclass(frozen=True)
class Finding:
    """One check on one run: True (it applies, with why), False (the run shows it does not), None (can't tell)."""

    kind: str
    applies: bool | None
    detail: str = ""


def _int(stats: dict[str, Any], key: str) -> int:
    value = stats.get(key, 0)
    return int(value) if isinstance(value, int | float) else 0


def diagnose(source: Source, stats: dict[str, Any], newest_item: str | None, now: datetime,
             max_age: float) -> list[Finding]:
    """Every broken-without-an-error check on one run's stats, most specific first."""
    return [_same_text(stats), _rejected(source, stats), _no_links(source, stats), _no_items(source, stats),
            _stale(source, newest_item, now, max_age)]


def _same_text(stats: dict[str, Any]) -> Finding:
    pages, same = _int(stats, "monitor/pages/fetched"), _int(stats, "monitor/same_text/pages")
    if pages < MIN_PAGES:
        return Finding("same_text", None)
    applies = same >= MIN_PAGES and same >= BROKEN_SHARE * pages
    sample = stats.get("monitor/same_text/sample") or ""
    return Finding("same_text", applies, f"{same} of {pages} pages have the same text: “{sample}” (a consent or "
                   "cookie wall, a paywall, a JavaScript or bot check served instead of the articles?)")


def _rejected(source: Source, stats: dict[str, Any]) -> Finding:
    pages, rejected = _int(stats, "monitor/pages/fetched"), _int(stats, "monitor/pages/rejected")
    reasons = sorted(((k.rsplit("/", 1)[-1], _int(stats, k)) for k in stats
                      if k.startswith("monitor/rejected/") and k.rsplit("/", 1)[-1] not in DOCUMENT_REASONS),
                     key=lambda pair: (-pair[1], pair[0]))
    detail = f"{rejected} of {pages} pages rejected ({', '.join(f'{r} {n}' for r, n in reasons if n)})"
    if pages >= MIN_PAGES:
        return Finding("rejected", rejected >= BROKEN_SHARE * pages, detail)
    if pages and rejected < pages:
        return Finding("rejected", False)
    if pages and source.type == "page":  # a page source has only its own few pages: all rejected is broken
        return Finding("rejected", True, detail)
    return Finding("rejected", None)


def _no_links(source: Source, stats: dict[str, Any]) -> Finding:
    if not _int(stats, "monitor/listing/pages"):
        return Finding("no_links", None)
    candidates = _int(stats, "monitor/listing/candidates")
    if source.article_pattern:
        detail = f"article_pattern '{source.article_pattern}' matched none of the {candidates} links on {source.url}"
    else:
        detail = f"none of the {candidates} links on {source.url} looks like an article (set article_pattern)"
    return Finding("no_links", _int(stats, "monitor/listing/links") == 0, detail)


def _no_items(source: Source, stats: dict[str, Any]) -> Finding:
    if not _int(stats, "monitor/documents"):
        return Finding("no_items", None)
    return Finding("no_items", _int(stats, "monitor/items") == 0, f"the {source.type} at {source.url} parses "
                   "but lists no items")


def _stale(source: Source, newest_item: str | None, now: datetime, max_age: float) -> Finding:
    if not newest_item:
        return Finding("stale", None)
    newest = datetime.fromisoformat(newest_item)
    applies = newest < now - timedelta(seconds=max_age) - STALE_GRACE
    return Finding("stale", applies, f"its newest item is from {newest_item[:10]}, older than max_age "
                   f"({format_duration(max_age)}): is {source.url} still the {source.type}'s address?")


def choose(findings: list[Finding], current: str | None) -> Finding | None:
    """The problem after this run: the first that applies; else the current one unless the run cleared it."""
    for finding in findings:
        if finding.applies:
            return finding
    still = next((f for f in findings if f.kind == current), None)
    if current and (still is None or still.applies is None):
        return Finding(current, True)  # this run can't tell: keep it
    return None


class SourceHealth:
    """Applies one run's findings to a source's stored state and tells the operator about each change."""

    def __init__(self, store: Store, notify: Callable[[str, str], None]) -> None:
        self.store, self.notify = store, notify
        # The rhythm depends only on the history before the last arrival: learnt again only when that moves.
        self.rhythms: dict[str, tuple[datetime, Rhythm | None]] = {}

    def after_run(self, source: Source, counts: RunCounts, *, status: str, started: datetime, baseline: bool,
                  quiet_after: float, max_age: float) -> str | None:
        """Record rejections, then check moved, broken and quiet; returns the source's problem, if any.
        Never raises: a health check must not stop the daemon."""
        try:
            return self._after_run(source, counts, status, started, baseline, quiet_after, max_age)
        except Exception:
            logger.exception("source %s: health check failed", source.name)
            return None

    def _after_run(self, source: Source, counts: RunCounts, status: str, started: datetime, baseline: bool,
                   quiet_after: float, max_age: float) -> str | None:
        stats, now = counts.stats, utcnow()
        self.store.add_rejections(source.name, {k.rsplit("/", 1)[-1]: _int(stats, k) for k in stats
                                                if k.startswith("monitor/rejected/")})
        row = self.store.source_health(source.name)
        update: dict[str, Any] = {}
        if stats.get("monitor/start_ok"):
            update.update(self._moved(source, row.get("moved_to"), stats.get("monitor/moved_to")))
        newest = stats.get("monitor/newest_item") or row.get("newest_item")
        if newest != row.get("newest_item"):
            update["newest_item"] = newest
        problem = choose(diagnose(source, stats, newest, now, max_age), row.get("problem"))
        update.update(self._problem(source, row, problem, now))
        if problem is not None and problem.kind == "same_text":
            self._forget_wall(source, stats, started)
        if status == "ok" and not baseline:
            update.update(self._quiet(source, row, counts.new_articles, now, quiet_after, problem is not None))
        self.store.set_source_health(source.name, update)
        return problem.kind if problem else None

    def _moved(self, source: Source, known: str | None, moved: Any) -> dict[str, Any]:
        target = str(moved) if moved else None
        if target == known or (target is None and known is None):
            return {}
        if target is None:
            logger.info("source %s: %s no longer redirects", source.name, source.url)
        else:
            logger.warning("source %s moved to %s: update config.toml (monitor fix-source %s)", source.name, target,
                           source.name)
            self.notify(f"news-monitor: source {source.name} has moved",
                        f"{source.url} redirects permanently to {target}. The monitor follows the redirect for "
                        f"now; update config.toml with: monitor fix-source {source.name}")
        return {"moved_to": target}

    def _problem(self, source: Source, row: dict[str, Any], problem: Finding | None, now: datetime,
                 ) -> dict[str, Any]:
        current = row.get("problem")
        kind = problem.kind if problem else None
        if kind == current:
            if problem is not None and problem.detail and problem.detail != row.get("problem_detail"):
                return {"problem_detail": problem.detail}  # same problem, fresher figures: no new notice
            return {}
        if problem is None:
            logger.info("source %s works again (was: %s)", source.name, row.get("problem_detail") or current)
            self.notify(f"news-monitor: source {source.name} works again",
                        f"The last run found no problem. It was: {row.get('problem_detail') or current}")
            return {"problem": None, "problem_detail": None, "problem_since": None}
        label = PROBLEM_LABELS.get(problem.kind, problem.kind)
        logger.warning("source %s is broken: %s: %s", source.name, label, problem.detail)
        self.notify(f"news-monitor: source {source.name} is broken: {label}",
                    f"{problem.detail}\nIts fetches succeed, so no error is logged; alerts from this source may "
                    "be missed until it is fixed.")
        return {"problem": problem.kind, "problem_detail": problem.detail, "problem_since": iso(now)}

    def _forget_wall(self, source: Source, stats: dict[str, Any], started: datetime) -> None:
        """Articles stored in this run with the wall's text are no articles: forget them, so that their URLs
        are fetched again."""
        texts = ((url, text or "") for url, text in self.store.texts_since(source.name, started))
        urls = wall_copies(texts, str(stats.get("monitor/same_text/sample") or ""))
        if urls:
            self.store.forget_articles(urls)
            logger.info("source %s: %d stored pages had the repeated text; they will be fetched again",
                        source.name, len(urls))

    def _quiet(self, source: Source, row: dict[str, Any], new_articles: int, now: datetime, floor: float,
               broken: bool) -> dict[str, Any]:
        flagged = row.get("quiet_since")
        if flagged:
            if not new_articles:
                return {}
            logger.info("source %s has new articles again (quiet since %s)", source.name, flagged[:16])
            self.notify(f"news-monitor: source {source.name} has new articles again",
                        f"It had been quiet since {flagged[:16].replace('T', ' ')} UTC.")
            return {"quiet_since": None}
        if broken or new_articles:
            return {}
        last = self.store.last_arrival(source.name)
        if last is None:
            return {}
        known = self.rhythms.get(source.name)
        if known is None or known[0] != last:
            known = last, learn([moment for moment, _ in self.store.arrivals(source.name, last - HISTORY)])
            self.rhythms[source.name] = known
        rhythm = known[1]
        since = quiet_since(rhythm, now, floor=floor)
        if since is None or rhythm is None:
            return {}
        gap = describe_gap(rhythm.typical_gap)
        logger.warning("source %s is quiet: no new article since %s, usually every %s", source.name,
                       iso(since), gap)
        self.notify(f"news-monitor: source {source.name} has gone quiet",
                    f"No new article since {str(iso(since))[:16].replace('T', ' ')} UTC, while its fetches succeed; "
                    f"it usually has one every {gap}. Check {source.url} in a browser: the feed may have been "
                    "abandoned or replaced.")
        return {"quiet_since": iso(since), "usual_gap": round(rhythm.typical_gap, 1)}
