"""First run and new sources: the backlog is a baseline, old news never alerts."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from monitor.crawl.pipeline import ArticleProcessor, Rules
from monitor.match.matcher import Matcher
from monitor.models import Article, Term, Watchlist
from monitor.store.database import Store

WATCH = Watchlist("prisoners", terms=(Term("Maria Kalesnikava"),), notify=("json://127.0.0.1:9/hook",))
DAY = 86400.0


@pytest.fixture
def processor(tmp_path):
    store = Store(tmp_path / "m.db")
    yield ArticleProcessor(store, Matcher.build((WATCH,)), (WATCH,), rules=Rules(max_age=7 * DAY, backfill=DAY))
    store.close()


def _article(n: int, age: timedelta | None) -> Article:
    published = None if age is None else datetime.now(UTC) - age
    return Article(url=f"https://news.example/{n}", title=f"Story {n}", published=published,
                   text=f"Story number {n}: Maria Kalesnikava was seen in Minsk, her lawyer said on the day.")


def _alerts(processor, n, age, *, baseline, backfill=None):
    outcome = processor.accept(f"https://news.example/{n}", "site", _article(n, age), None, baseline=baseline,
                               backfill=backfill)
    assert outcome.hits >= 1
    return len(outcome.alerts)


def test_first_run_alerts_only_within_backfill(processor):
    assert _alerts(processor, 1, timedelta(hours=3), baseline=True) == 1
    assert _alerts(processor, 2, timedelta(days=3), baseline=True) == 0
    assert _alerts(processor, 3, None, baseline=True) == 0  # undated backlog: recorded, not alerted


def test_backfill_zero_alerts_on_nothing_already_listed(processor):
    assert _alerts(processor, 1, timedelta(minutes=5), baseline=True, backfill=0.0) == 0


def test_after_the_baseline_undated_articles_are_new(processor):
    assert _alerts(processor, 1, None, baseline=False) == 1


def test_articles_older_than_max_age_never_alert(processor):
    assert _alerts(processor, 1, timedelta(days=8), baseline=False) == 0
    assert _alerts(processor, 2, timedelta(days=6), baseline=False) == 1


def test_hits_are_recorded_even_when_not_alerting(processor):
    _alerts(processor, 1, timedelta(days=30), baseline=False)
    assert processor.store.query("SELECT count(*) AS n FROM hits")[0]["n"] == 1


# issue 13: published times keep the page's own offset; the age rules measure the same instant
@pytest.mark.parametrize("offset_hours", [-8, 0, 3, 10])
def test_backfill_and_max_age_hold_for_times_with_any_offset(processor, offset_hours):
    zone = timezone(timedelta(hours=offset_hours))

    def aged(n: int, age: timedelta) -> int:
        article = replace(_article(n, None), published=(datetime.now(UTC) - age).astimezone(zone))
        outcome = processor.accept(article.url, "site", article, None, baseline=n < 10)
        return len(outcome.alerts)

    assert aged(1, timedelta(hours=20)) == 1  # within the one-day backfill, whatever the page's zone
    assert aged(2, timedelta(hours=30)) == 0
    assert aged(11, timedelta(days=6, hours=20)) == 1  # within max_age
    assert aged(12, timedelta(days=7, hours=4)) == 0
    stored = processor.store.query("SELECT published FROM articles WHERE url LIKE '%/1'")[0]["published"]
    assert stored.endswith(datetime.now(zone).strftime("%z")[:3] + ":" + datetime.now(zone).strftime("%z")[3:])
