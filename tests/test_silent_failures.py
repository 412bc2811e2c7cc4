"""Silent failures (issue 15), each with real processes on loopback as in test_reliability.py: a source that
goes quiet while answering 200, breaks without an error, or moves is reported once (and once more when it
recovers); `monitor status` tells whether a daemon runs; runs cut short by kill -9 are closed; errors are
counted per source; `run --once` drains the whole outbox."""

from __future__ import annotations

import random
import re
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from monitor.models import Article, Hit
from monitor.store import Store, target_key
from tests.daemon_process import DaemonProcess, monitor, run_once, write_config
from tests.receivers import WebhookSink, wait_until
from tests.servers import NewsSite, article_html, listing_html, rss_feed

_WORDS = ["river", "bakery", "tram", "snow", "council", "budget", "harbour", "museum", "library", "orchestra", "festival", "railway", "bridge", "market", "factory", "school", "hospital", "garden", "theatre", "stadium", "airport", "ferry", "vineyard", "glacier"]


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


class Newsroom:
    """A loopback site whose feed gains a distinct article whenever the test publishes one."""

    def __init__(self, site: NewsSite, seed: int = 15) -> None:
        self.site = site
        self.entries: list[tuple[str, str, datetime]] = []
        self.rng = random.Random(seed)
        site.add_robots("User-agent: *\nAllow: /\n")
        self.publish_feed()

    def article(self, slug: str) -> str:
        """A distinct article: its words differ from every other one's, not only its numbers."""
        words = self.rng.sample(_WORDS, 12)
        body = " ".join(f"The {w} story continues with new details about the {w} and the people near it."
                        for w in words)
        return article_html(f"The {words[0]} and the {words[1]}", body, published=_now())

    def publish(self, n: int, html: str | None = None) -> str:
        path = f"/news/story-{n}.html"
        self.site.add_page(path, html or self.article(path))
        self.entries.insert(0, (path, f"Story {n}", _now()))
        self.publish_feed()
        return path

    def publish_feed(self) -> None:
        self.site.add_page("/feed.xml", rss_feed(self.site.url(), self.entries[:30]),
                           content_type="application/rss+xml")

    @property
    def feed(self) -> str:
        return self.site.url("/feed.xml")


@pytest.fixture
def newsroom():
    with NewsSite() as site:
        yield Newsroom(site)


@pytest.fixture
def admin():
    with WebhookSink() as sink:
        yield sink


def _titles(admin: WebhookSink) -> list[str]:
    return [str(p.get("title")) for p in admin.posts]


def _admin_config(admin: WebhookSink, extra: str = "") -> str:
    return f'admin_notify = ["{admin.url()}"]\nalert_retry_delay = "1s"\n{extra}'


def _rows(folder: Path, sql: str) -> list[tuple[object, ...]]:
    db = sqlite3.connect(folder / "monitor.db")
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


# -- quiet ---------------------------------------------------------------------------------------------
def test_a_feed_that_stops_getting_new_items_is_reported_quiet_once_and_again_when_items_return(
        tmp_path, newsroom, admin):
    newsroom.publish(0)
    config = write_config(tmp_path, [("news", newsroom.feed, "feed")], [], interval="1s",
                          monitor=_admin_config(admin, 'quiet_after = "3s"'))
    with DaemonProcess(config) as daemon:
        daemon.wait_for_log(r"source news: ok \(first run")
        for n in range(1, 15):  # about one new article a run: the source's rhythm
            newsroom.publish(n)
            daemon.wait_for_log(r"source news: ok — .* 1 new", count=n, timeout=60)
        # the feed still answers (304, then 200 without anything new), but nothing new comes
        wait_until(lambda: admin.posts, timeout=90)
        assert _titles(admin) == ["news-monitor: source news has gone quiet"]
        assert "while its fetches succeed" in admin.posts[0]["message"]
        status = monitor(config, "status").stdout
        assert re.search(r"news: quiet since \d{4}-\d\d-\d\d \d\d:\d\d UTC, usually every \d+ s", status), status
        assert "QUIET" in status
        quiet_runs = daemon.log.count("source news: ok")
        daemon.wait_for_log("source news: ok", count=quiet_runs + 5)
        assert len(admin.posts) == 1  # not on every cycle

        newsroom.publish(99)
        wait_until(lambda: len(admin.posts) == 2, timeout=60)
        assert _titles(admin)[1] == "news-monitor: source news has new articles again"
        daemon.wait_for_log("source news: ok", count=daemon.log.count("source news: ok") + 4)
        assert daemon.stop() == 0
    assert len(admin.posts) == 2
    assert "quiet since" not in monitor(config, "status").stdout


def test_a_new_source_is_not_reported_quiet(tmp_path, newsroom, admin):
    newsroom.publish(0)
    config = write_config(tmp_path, [("news", newsroom.feed, "feed")], [], interval="1s",
                          monitor=_admin_config(admin, 'quiet_after = "1s"'))
    with DaemonProcess(config) as daemon:
        daemon.wait_for_log(r"source news: ok \(first run")
        for n in range(1, 4):  # three arrivals: too little history to know the source's rhythm
            newsroom.publish(n)
            daemon.wait_for_log(r"source news: ok — .* 1 new", count=n, timeout=60)
        daemon.wait_for_log("source news: ok", count=daemon.log.count("source news: ok") + 10)
        assert daemon.stop() == 0
    assert admin.posts == []


# -- broken without an error -----------------------------------------------------------------------
CONSENT_WALL = (
    "<!doctype html><html><head><title>Before you continue</title></head><body><div class=consent-dialog>"
    "<h1>We value your privacy</h1><p>We and our 842 partners store and access information on your device, "
    "such as cookies, and process personal data such as unique identifiers and standard information sent by a "
    "device, for personalised advertising and content, advertising and content measurement, audience research "
    "and services development.</p><p>With your permission we and our partners may use precise geolocation data "
    "and identification through device scanning. You may click to consent to our and our partners' processing "
    "as described above.</p><button>Accept all</button> <button>Reject all</button></div></body></html>")


def _bot_check(n: int) -> str:
    """A bot-check interstitial: too short to be an article, and carrying a different request id each time."""
    ray = f"{random.Random(n).getrandbits(64):016x}"
    return ("<!doctype html><html><head><title>Just a moment...</title></head><body><h1>Checking your browser "
            "before accessing the site.</h1><p>Please enable JavaScript and cookies to continue.</p>"
            f"<p>Ray ID: {ray}</p></body></html>")


def _paywall(n: int) -> str:
    """A paywall that shows each article's own headline above the same offer."""
    headline = f"{random.Random(n).choice(['Council', 'Court', 'Harbour'])} story {n}: what changes for residents"
    offer = ("This article is for subscribers only. Subscribe now to read the full story and get unlimited access "
             "to our journalism on every device, with a newsletter every morning. Already a subscriber? Log in to "
             "continue reading. Cancel at any time; the first month costs one euro.")
    return article_html(headline, offer)


WALLS = {"consent": lambda n: CONSENT_WALL, "bot-check": _bot_check, "paywall": _paywall}
WALL_TEXTS = {"consent": "We and our 842 partners", "bot-check": "Checking your browser",
              "paywall": "This article is for subscribers only"}


@pytest.mark.parametrize("wall", sorted(WALLS))
def test_a_wall_served_on_every_article_is_reported_with_its_text_and_the_articles_come_later(
        tmp_path, newsroom, admin, wall):
    paths = [newsroom.publish(n, WALLS[wall](n)) for n in range(6)]
    config = write_config(tmp_path, [("news", newsroom.feed, "feed")], [], monitor=_admin_config(admin))
    assert run_once(config).returncode == 0
    wait_until(lambda: admin.posts, timeout=30)
    assert _titles(admin) == ["news-monitor: source news is broken: every page returns the same text"]
    expected = WALL_TEXTS[wall]
    assert expected in admin.posts[0]["message"]
    status = monitor(config, "status").stdout
    assert "news: broken since" in status
    assert "every page returns the same text" in status
    assert expected in status
    assert "BROKEN" in status
    # no wall was kept as an article: its URLs stay unknown, to be fetched again
    assert _rows(tmp_path, "SELECT count(*) FROM articles") == [(0,)]
    assert run_once(config).returncode == 0  # still walled: no second notice
    assert len(admin.posts) == 1

    for path in paths:  # the wall is gone; the feed gets one more article
        newsroom.site.add_page(path, newsroom.article(path))
    newsroom.publish(6)
    assert run_once(config).returncode == 0
    wait_until(lambda: len(admin.posts) == 2, timeout=30)
    assert _titles(admin)[1] == "news-monitor: source news works again"
    titles = [t for (t,) in _rows(tmp_path, "SELECT title FROM articles")]
    assert len(titles) == 7
    assert not any("continue" in t or "moment" in t or "residents" in t for t in titles)


def test_a_listing_whose_pattern_matches_no_link_is_reported_once(tmp_path, newsroom, admin):
    links = [(f"/news/2025/05/story-{n}-about-things.html", f"Headline number {n} about things") for n in range(5)]
    newsroom.site.add_page("/politics/", listing_html(links))
    for path, _ in links:
        newsroom.site.add_page(path, newsroom.article(path))
    config = write_config(tmp_path, [("politics", newsroom.site.url("/politics/"), "listing")], [],
                          monitor=_admin_config(admin))
    config.write_text(config.read_text().replace('type = "listing"\n', 'type = "listing"\narticle_pattern = "/article/"\n'))
    assert run_once(config).returncode == 0
    assert run_once(config).returncode == 0
    wait_until(lambda: admin.posts, timeout=30)
    assert _titles(admin) == ["news-monitor: source politics is broken: no article links found"]
    assert "article_pattern '/article/' matched none of the 5 links" in admin.posts[0]["message"]
    assert "article_pattern '/article/' matched none of the 5 links" in monitor(config, "status").stdout

    config.write_text(config.read_text().replace('"/article/"', '"/news/"'))  # the operator fixes the pattern
    assert run_once(config).returncode == 0
    wait_until(lambda: len(admin.posts) == 2, timeout=30)
    assert _titles(admin)[1] == "news-monitor: source politics works again"
    assert _rows(tmp_path, "SELECT count(*) FROM articles") == [(5,)]


def test_empty_stale_and_rejected_sources_are_each_reported_with_the_reason(tmp_path, newsroom, admin):
    site = newsroom.site
    site.add_page("/empty.xml", rss_feed(site.url(), []), content_type="application/rss+xml")
    old = [(f"/old/{n}.html", f"Old story {n}", _now() - timedelta(days=40 + n)) for n in range(3)]
    for path, _, _ in old:
        site.add_page(path, newsroom.article(path))
    site.add_page("/old.xml", rss_feed(site.url(), old), content_type="application/rss+xml")
    images = [(f"/photo/{n}.html", f"Photo {n}", _now()) for n in range(4)]
    for path, _, _ in images:  # images served where the articles should be
        site.add_page(path, b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, content_type="image/png")
    site.add_page("/photos.xml", rss_feed(site.url(), images), content_type="application/rss+xml")
    config = write_config(tmp_path, [("empty", site.url("/empty.xml"), "feed"), ("old", site.url("/old.xml"), "feed"),
                                     ("photos", site.url("/photos.xml"), "feed")], [], monitor=_admin_config(admin))
    assert run_once(config).returncode == 0
    assert run_once(config).returncode == 0
    wait_until(lambda: len(admin.posts) >= 3, timeout=30)
    time.sleep(1)
    notices = {p["title"]: p["message"] for p in admin.posts}
    assert len(admin.posts) == 3, _titles(admin)
    assert "lists no items" in notices["news-monitor: source empty is broken: the feed or sitemap lists nothing"]
    assert "older than max_age (7d)" in notices["news-monitor: source old is broken: only old items"]
    assert "4 of 4 pages rejected (not_html 4)" in notices["news-monitor: source photos is broken: most pages are rejected"]
    status = monitor(config, "status").stdout
    assert re.search(r"Rejected pages, last 7 days.*photos\s*│\s*not_html\s*│\s*4\s", status, re.S), status


# -- moved ---------------------------------------------------------------------------------------------
def test_a_permanently_moved_feed_is_followed_shown_once_and_fixed_with_fix_source(tmp_path, newsroom, admin):
    newsroom.publish(0)
    newsroom.site.add_redirect("/rss/old.xml", newsroom.feed, 301)
    config = write_config(tmp_path, [("news", newsroom.site.url("/rss/old.xml"), "feed")], [],
                          monitor=_admin_config(admin))
    before = config.read_text()
    first, second = run_once(config), run_once(config)
    assert first.returncode == second.returncode == 0
    assert _rows(tmp_path, "SELECT count(*) FROM articles") == [(1,)]  # followed
    logged = first.stderr + second.stderr
    assert logged.count(f"source news moved to {newsroom.feed}: update config.toml (monitor fix-source news)") == 1
    wait_until(lambda: admin.posts, timeout=30)
    assert _titles(admin) == ["news-monitor: source news has moved"]
    status = monitor(config, "status").stdout
    assert f"news: moved to {newsroom.feed}: update config.toml (monitor fix-source news)" in status

    fixed = monitor(config, "fix-source", "news")
    assert fixed.returncode == 0, fixed.stderr
    after = config.read_text()
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b]
    assert changed == [(f'url = "{newsroom.site.url("/rss/old.xml")}"', f'url = "{newsroom.feed}"')]
    requests = newsroom.site.count("/rss/old.xml")
    assert run_once(config).returncode == 0
    assert newsroom.site.count("/rss/old.xml") == requests
    assert "moved to" not in monitor(config, "status").stdout


# -- is the daemon alive? ------------------------------------------------------------------------------
def test_status_after_kill_9_says_no_daemon_runs_and_the_next_start_closes_the_cut_run(tmp_path, newsroom):
    newsroom.publish(0)
    newsroom.site.add_stalling("/news/slow.html")
    newsroom.entries.insert(0, ("/news/slow.html", "A page that never finishes", _now()))
    newsroom.publish_feed()
    config = write_config(tmp_path, [("news", newsroom.feed, "feed")], [], interval="5s")
    with DaemonProcess(config) as daemon:
        assert newsroom.site.wait_for("/news/slow.html", timeout=60)
        status = monitor(config, "status").stdout
        assert f"Daemon: running: pid {daemon.pid} on " in status
        daemon.kill()
    assert _rows(tmp_path, "SELECT status FROM runs") == [("running",)]
    status = monitor(config, "status").stdout
    assert re.search(rf"Daemon: no daemon running since \d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(pid {daemon.pid} "
                     r"on \S+ ended without stopping: killed or crashed\)", status), status
    (row,) = [line for line in status.splitlines() if line.startswith("│ news ")]
    assert row.rstrip(" │").endswith("no daemon")  # the next-run column, not a time in the past
    run = run_once(config)
    assert run.returncode == 0
    assert "1 run(s) left unfinished by a process that was killed or crashed: marked interrupted" in run.stderr
    assert _rows(tmp_path, "SELECT status FROM runs ORDER BY id")[0] == ("interrupted",)


def test_status_after_a_clean_stop_says_since_when(tmp_path, newsroom):
    newsroom.publish(0)
    config = write_config(tmp_path, [("news", newsroom.feed, "feed")], [], interval="5s")
    with DaemonProcess(config) as daemon:
        daemon.wait_for_log("source news: ok")
        assert daemon.stop() == 0
    status = monitor(config, "status").stdout
    assert re.search(rf"no daemon running since .* UTC \(pid {daemon.pid} on \S+ stopped\)", status), status


def test_errors_are_counted_per_source_when_crawls_run_at_the_same_time(tmp_path, newsroom):
    newsroom.publish(0)
    path = newsroom.publish(1)
    newsroom.site.add_page(path, newsroom.article(path), delay=4.0)  # still crawling when the other one fails
    with NewsSite() as broken:
        broken.add_robots("User-agent: *\nAllow: /\n")
        broken.add_failures("/feed.xml", 500, times=None)
        config = write_config(tmp_path, [("good", newsroom.feed, "feed"), ("broken", broken.url("/feed.xml"), "feed")],
                              [])
        run = run_once(config)
    assert run.returncode == 0
    assert "Gave up retrying" in run.stderr  # an ERROR line, logged while both crawls ran
    errors = dict(_rows(tmp_path, "SELECT source, errors FROM runs"))
    assert errors == {"good": 0, "broken": 1}


def test_run_once_delivers_a_backlog_of_250_due_alerts(tmp_path, newsroom):
    newsroom.publish(0)
    with WebhookSink() as hook:
        config = write_config(tmp_path, [("news", newsroom.feed, "feed")], [hook.url()])
        store = Store(tmp_path / "monitor.db")
        targets = {"political-prisoners": (hook.url(),)}
        for n in range(250):
            url = f"https://news.example/backlog/{n}.html"
            article = Article(url, f"Backlog story {n}", f"Maria Kalesnikava was named in story {n}.", source="news")
            hit = Hit("political-prisoners", "Maria Kalesnikava", "Maria Kalesnikava", "text", 0, 17,
                      "Maria Kalesnikava was named")
            store.save_article(article, f"hash-{n}", f"story-{n}", [hit], alertable=True, targets=targets)
        store.close()
        due = _rows(tmp_path, f"SELECT count(*) FROM deliveries WHERE status = 'pending' AND target = "
                              f"'{target_key(hook.url())}'")
        assert due == [(250,)]
        assert run_once(config).returncode == 0
        assert len(hook.posts) == 250
    assert _rows(tmp_path, "SELECT status, count(*) FROM deliveries GROUP BY status") == [("sent", 250)]
