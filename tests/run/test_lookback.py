"""A term added to a watchlist is looked for in the articles already stored (issue 16, item 13): one alert per
story, never one that alerted already, many folded into one message; and `monitor rescan` on request.

Real SQLite files and a real SMTP server; articles are stored as the pipeline stores them (matched with the
watchlist as it was, so without hits for the new term)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from monitor.config import load_config
from monitor.deliver.notify import Dispatcher, watch_targets
from monitor.match import Matcher
from monitor.models import Article, Term
from monitor.run.lookback import FOLD_AFTER, apply, find
from monitor.store import Store, gained_terms, record_terms
from tests.daemon_process import REPO, _env
from tests.receivers import SmtpSink, body_text

NOW = datetime.now(UTC).replace(microsecond=0)
LOSIK = "Ihar Losik"
FILLER = ("The hearing was closed to the press, and relatives waited outside the court building for hours. "
          "Diplomats from several embassies asked to attend but were turned away at the door. ")


def config_file(folder: Path, terms: list[str], notify: list[str] = (), extra: str = "") -> Path:
    path = folder / "config.toml"
    listed = ", ".join(f'"{t}"' for t in terms)
    urls = ", ".join(f'"{u}"' for u in notify)
    path.write_text(f'[monitor]\ndatabase = "monitor.db"\n\n[watchlists.desk]\nterms = [{listed}]\n'
                    f"notify = [{urls}]\n{extra}", encoding="utf-8")
    return path


def article(n: int, text: str, *, hours_ago: float) -> Article:
    return Article(url=f"https://news.example/{n}", title=f"Court news number {n}", text=f"{text} {FILLER}",
                   source="news-example", published=NOW - timedelta(hours=hours_ago))


def store_as_pipeline(store: Store, config, articles: list[Article], stories: list[str] | None = None) -> None:
    """Save each article with the hits of the watchlists as they are now, as ArticleProcessor does."""
    matcher = Matcher.build(config.watchlists)
    targets = {w.name: w.notify for w in config.watchlists}
    for i, item in enumerate(articles):
        story = stories[i] if stories else item.url
        store.save_article(item, f"hash-{item.url}", story, matcher.find_hits(item), alertable=True, targets=targets)


def look_back(store: Store, config, terms: list[str] | None, hours: float = 24):
    watchlist = config.watchlists[0]
    found = find(config.monitor.database, watchlist, terms, NOW - timedelta(hours=hours))
    return apply(store, watchlist, found)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path


def test_a_gained_term_alerts_once_for_stored_articles_in_the_window(folder):
    old = load_config(config_file(folder, ["Maria Kalesnikava"], ["json://127.0.0.1:9/hook"]))
    store = Store(old.monitor.database)
    try:
        store_as_pipeline(store, old, [
            article(1, "Ihar Losik was moved to another colony, his wife said.", hours_ago=2),
            article(2, "A court heard the appeal of Ihar Losik on Tuesday.", hours_ago=72),  # before the window
            article(3, "Maria Kalesnikava's sister spoke in Brussels.", hours_ago=3),
        ])
        record_terms(store, old.watchlists)
        new = load_config(config_file(folder, ["Maria Kalesnikava", LOSIK], ["json://127.0.0.1:9/hook"]))
        assert gained_terms(store, new.watchlists) == {"desk": [LOSIK]}

        result = look_back(store, new, gained_terms(store, new.watchlists)["desk"])
        assert (result.articles, [f.stored.article.url for f in result.findings]) == (2, ["https://news.example/1"])
        assert (result.alerts, result.folded) == (1, False)
        alerts = store.query("SELECT article_url, terms FROM alerts WHERE terms LIKE '%Losik%'")
        assert alerts == [{"article_url": "https://news.example/1", "terms": f'["{LOSIK}"]'}]
        assert [d["status"] for d in store.query("SELECT status FROM deliveries d JOIN alerts a ON a.id = "
                                                 "d.alert_id WHERE a.terms LIKE '%Losik%'")] == ["pending"]
        assert store.query("SELECT count(*) AS n FROM hits WHERE term = ?", [LOSIK])[0]["n"] == 1

        assert look_back(store, new, [LOSIK]).alerts == 0  # a second look back: nothing alerts twice
        assert look_back(store, new, None, hours=24 * 7).alerts == 1  # further back: the older one, once
        assert look_back(store, new, None, hours=24 * 7).alerts == 0
    finally:
        store.close()


def test_a_story_that_alerted_on_the_name_does_not_alert_again(folder):
    config = load_config(config_file(folder, [LOSIK], ["json://127.0.0.1:9/hook"]))
    store = Store(config.monitor.database)
    try:
        store_as_pipeline(store, config, [article(1, "Ihar Losik was freed on Monday.", hours_ago=1)], ["story"])
        # a copy of the same story, stored before the term existed on this list
        narrower = replace(config, watchlists=(replace(config.watchlists[0], terms=(Term("Someone Else"),)),))
        store_as_pipeline(store, narrower, [article(2, "Ihar Losik was freed on Monday.", hours_ago=1)], ["story"])
        result = look_back(store, config, [LOSIK])
        assert len(result.findings) == 2
        assert (result.fresh, result.alerts) == ([], 0)
    finally:
        store.close()


def test_many_stories_come_as_one_message_sent_once(folder):
    with SmtpSink() as smtp:
        old = load_config(config_file(folder, ["Maria Kalesnikava"], [smtp.url()]))
        store = Store(old.monitor.database)
        try:
            count = FOLD_AFTER + 2
            store_as_pipeline(store, old, [article(n, f"Report {n}: Ihar Losik's case was discussed.", hours_ago=n)
                                           for n in range(1, count + 1)])
            new = load_config(config_file(folder, ["Maria Kalesnikava", LOSIK], [smtp.url()]))
            result = look_back(store, new, [LOSIK])
            assert (result.alerts, result.folded) == (count, True)
            dispatcher = Dispatcher(store, lambda: watch_targets(new.watchlists))
            assert asyncio.run(dispatcher.send_due()) == count
            assert asyncio.run(dispatcher.send_due()) == 0
            (message,) = smtp.messages
            statuses = {r["status"] for r in store.query("SELECT status FROM deliveries")}
        finally:
            store.close()
    assert str(message["Subject"]) == f"desk: {count} recent stories name {LOSIK} (found when added to the watchlist)"
    text = body_text(message)
    assert all(f"Court news number {n}" in text for n in range(1, count + 1))
    assert statuses == {"sent"}


def test_a_digest_watchlist_takes_the_look_back_into_its_next_digest(folder):
    config = load_config(config_file(folder, [LOSIK], ["json://127.0.0.1:9/hook"],
                                     'mode = "digest"\ndigest = "daily 08:00"\n'))
    store = Store(config.monitor.database)
    try:
        store.save_article(article(1, "Ihar Losik spoke to the court.", hours_ago=1), "h", "s", [], alertable=True,
                           targets={})
        assert look_back(store, config, [LOSIK]).alerts == 1
        assert [r["status"] for r in store.query("SELECT status FROM deliveries")] == ["digest"]
    finally:
        store.close()


def test_terms_first_recorded_are_not_gained_and_a_term_added_back_is(folder):
    config = load_config(config_file(folder, [LOSIK, "Maria Kalesnikava"]))
    store = Store(config.monitor.database)
    try:
        assert gained_terms(store, config.watchlists) == {}  # nothing recorded yet: a baseline, not a gain
        record_terms(store, config.watchlists)
        assert gained_terms(store, config.watchlists) == {}
        fewer = load_config(config_file(folder, ["Maria Kalesnikava"]))
        record_terms(store, fewer.watchlists)
        assert gained_terms(store, config.watchlists) == {"desk": [LOSIK]}
    finally:
        store.close()


def rescan(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "monitor", "rescan", "--config", str(config), *args],
                          capture_output=True, text=True, timeout=120, env=_env(), cwd=REPO)


def test_rescan_command_looks_back_as_far_as_asked(folder):
    path = config_file(folder, ["Maria Kalesnikava"], ["json://127.0.0.1:9/hook"])
    config = load_config(path)
    store = Store(config.monitor.database)
    try:
        store_as_pipeline(store, config, [article(1, "Ihar Losik was moved.", hours_ago=2),
                                          article(2, "Ihar Losik's appeal was heard.", hours_ago=50)])
    finally:
        store.close()
    path = config_file(folder, ["Maria Kalesnikava", LOSIK], ["json://127.0.0.1:9/hook"])

    result = rescan(path, "desk", "--since", "3d", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "desk: 2 stored article(s) since" in result.stdout
    assert "2 name its terms, 2 with a name their story has not alerted on" in result.stdout
    assert "dry run: 2 would alert; nothing written" in result.stdout
    assert "https://news.example/2" in result.stdout

    result = rescan(path)  # default: the backfill window, one day
    assert "desk: 1 stored article(s) since" in result.stdout
    assert "1 alert(s) queued in the outbox" in result.stdout
    result = rescan(path, "--since", "3d")
    assert "1 alert(s) queued in the outbox" in result.stdout  # the older one; the newer one alerted already
    result = rescan(path, "--since", "3d")
    assert "2 name its terms, 0 with a name their story has not alerted on" in result.stdout

    assert rescan(path, "nobody").stderr.startswith("error: no watchlist 'nobody'")
    assert rescan(path, "--since", "soon").stderr.startswith("error: --since:")
