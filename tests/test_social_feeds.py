"""Social profiles read as ordinary feeds: a Mastodon or Bluesky profile's RSS entries are the posts themselves
(their links lead to script-only pages), and `add-source` proposes a profile's feed."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from monitor.add_source import add_source
from monitor.channel_detect import profile_feeds
from monitor.models import Post
from spiders.feed import FeedSpider
from tests.crawl_helper import make_spider, response, results
from tests.daemon_process import run_once, write_config
from tests.receivers import SmtpSink, body_text
from tests.servers import NewsSite, article_html, rss_feed
from tests.social_feeds import APP_SHELL, profile_feed

NOW = datetime.now(UTC).replace(microsecond=0)
RSS = {"Content-Type": "application/rss+xml; charset=utf-8"}


@pytest.fixture
def site():
    with NewsSite() as news_site:
        yield news_site


def test_a_feed_of_untitled_posts_yields_the_posts_and_fetches_no_pages():
    feed = profile_feed("Alice", "https://social.example/@alice", [
        ("https://social.example/@alice/2", 'Court today: <a href="https://news.example/x">Ales Bialiatski</a>', NOW),
        ("https://social.example/@alice/1", "An older post", NOW - timedelta(hours=3))])
    spider = make_spider(FeedSpider, url="https://social.example/@alice.rss")
    out = results(spider.parse(response(spider.source.url, feed, headers=RSS)))
    assert all(isinstance(item, Post) for item in out)
    assert [(p.url, p.channel, p.published) for p in out] == [
        ("https://social.example/@alice/2", "Alice", NOW), ("https://social.example/@alice/1", "Alice",
                                                            NOW - timedelta(hours=3))]
    assert '<a href="https://news.example/x">Ales Bialiatski</a>' in out[0].html


def test_a_news_feed_with_titles_still_leads_to_its_articles():
    feed = rss_feed("https://news.example", [("/2026/05/04/verdict", "Verdict", NOW)])
    spider = make_spider(FeedSpider, url="https://news.example/feed.xml")
    (request,) = results(spider.parse(response(spider.source.url, feed, headers=RSS)))
    assert request.url == "https://news.example/2026/05/04/verdict"


def test_a_mastodon_and_a_bluesky_profile_alert_from_their_feeds_text(tmp_path, site):
    site.add_page("/@alice.rss", profile_feed("Alice Reporter", site.url("/@alice"), [
        (site.url("/@alice/1002"), "Breaking: Maria Kalesnikava has been moved to a hospital in Minsk.", NOW),
        (site.url("/@alice/1001"), "Good morning from the newsroom.", NOW - timedelta(hours=2))]),
        content_type="application/rss+xml")
    site.add_page("/profile/bob.bsky.example/rss", profile_feed("@bob.bsky.example - Bob", site.url(
        "/profile/bob.bsky.example"), [(site.url("/profile/bob.bsky.example/post/3kxyz"),
                                        "Ales Bialiatski's wife: no letters for a month.", NOW)], html=False),
        content_type="application/rss+xml")
    for path in ("/@alice/1002", "/@alice/1001", "/profile/bob.bsky.example/post/3kxyz"):
        site.add_page(path, APP_SHELL)
    with SmtpSink() as smtp:
        config = write_config(tmp_path, [("alice", site.url("/@alice.rss"), "feed"),
                                         ("bob", site.url("/profile/bob.bsky.example/rss"), "feed")], [smtp.url()])
        result = run_once(config)
        assert result.returncode == 0, result.stderr
        subjects = sorted(str(m["Subject"]) for m in smtp.messages)
        assert subjects == ["Ales Bialiatski: Ales Bialiatski's wife: no letters for a month.",
                            "Maria Kalesnikava: Breaking: Maria Kalesnikava has been moved to a hospital in Minsk."]
        alice = next(m for m in smtp.messages if "Kalesnikava" in str(m["Subject"]))
        assert "Alice Reporter" in body_text(alice)
        assert site.url("/@alice/1002") in body_text(alice)
    assert site.count("/@alice/1002") == 0, "a post's page is not fetched: the feed holds the post"
    kinds = sqlite3.connect(tmp_path / "monitor.db").execute("SELECT DISTINCT kind FROM articles").fetchall()
    assert kinds == [("post",)]


# -- add-source ----------------------------------------------------------------------------------------------------
CONFIG = """\
[monitor]
database = "monitor.db"

[watchlists.prisoners]
terms = ["Maria Kalesnikava"]
"""


@pytest.fixture
def config_path(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


def test_profile_addresses_map_to_their_feeds_on_any_host():
    assert profile_feeds("https://mastodon.example/@alice") == [
        ("https://mastodon.example/@alice.rss", "Mastodon profile @alice@mastodon.example")]
    assert profile_feeds("https://mastodon.example/@alice@other.example") == [
        ("https://other.example/@alice.rss", "Mastodon profile @alice@other.example")]
    assert profile_feeds("https://mastodon.example/users/alice") == [
        ("https://mastodon.example/@alice.rss", "Mastodon profile @alice@mastodon.example")]
    assert profile_feeds("https://bsky.app/profile/alice.bsky.social") == [
        ("https://bsky.app/profile/alice.bsky.social/rss", "Bluesky profile alice.bsky.social")]
    assert profile_feeds("https://news.example/2026/05/04/verdict") == []


def test_add_source_proposes_a_mastodon_profiles_feed(site, config_path, capsys):
    site.add_page("/@alice", APP_SHELL)
    site.add_page("/@alice.rss", profile_feed("Alice Reporter", site.url("/@alice"), [
        (site.url("/@alice/7"), "Maria Kalesnikava's sister spoke to us today.", NOW)]),
        content_type="application/rss+xml")
    assert add_source(config_path, site.url("/@alice")) == 0
    out = capsys.readouterr().out
    assert "Mastodon profile @alice@127.0.0.1: its feed" in out
    assert "Maria Kalesnikava's sister spoke to us today." in out, "a post's first line, not '(no title)'"
    assert "each entry is read as one post" in out
    assert f'url = "{site.url("/@alice.rss")}"\ntype = "feed"' in config_path.read_text(encoding="utf-8")


def test_add_source_proposes_a_bluesky_profiles_feed(site, config_path, capsys):
    site.add_page("/profile/bob.bsky.example", APP_SHELL)
    site.add_page("/profile/bob.bsky.example/rss", profile_feed("@bob.bsky.example - Bob", "x", [
        (site.url("/profile/bob.bsky.example/post/1"), "A post about the trial.", NOW)], html=False),
        content_type="application/rss+xml")
    assert add_source(config_path, site.url("/profile/bob.bsky.example"), dry_run=True) == 0
    out = capsys.readouterr().out
    assert "Bluesky profile bob.bsky.example: its feed" in out
    assert f'url = "{site.url("/profile/bob.bsky.example/rss")}"' in out


def test_a_profile_shaped_address_without_a_feed_is_detected_as_usual(site, config_path, capsys):
    body = ("The city council met on Monday to discuss the budget for next year, and agreed to spend more on "
            "schools, roads and the public library, which will open on Sundays from the spring.")
    site.add_page("/profile/budget-meeting", article_html("Council agrees budget", body, published=NOW))
    assert add_source(config_path, site.url("/profile/budget-meeting"), dry_run=True) == 0
    out = capsys.readouterr().out
    assert 'type = "page"' in out
