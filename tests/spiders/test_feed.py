"""FeedSpider: RSS/Atom entries become article requests; state makes repeat cycles cheap."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from monitor.models import RawPage
from spiders.base import MemoryCrawlState
from spiders.feed import FeedSpider, read_feed
from tests.crawl_helper import make_spider, reply, response, results, run_crawl, stats
from tests.paths import PAGES
from tests.servers import NewsSite, article_html, atom_feed, rss_feed

if TYPE_CHECKING:
    from scrapy.http import Request

FEED_URL = "http://news.example/feed.xml"
NOW = datetime(2024, 5, 10, 12, 0, tzinfo=UTC)
ENTRIES = [
    ("/2024/05/08/older-story-here", "Older story", NOW - timedelta(days=2)),
    ("/2024/05/10/newest-story-here", "Newest story", NOW),
    ("/2024/05/09/middle-story-here", "Middle story", NOW - timedelta(days=1)),
]
RSS = {"Content-Type": "application/rss+xml; charset=utf-8"}


def feed_requests(spider: FeedSpider, body: str | bytes, **kwargs: object) -> list[Request]:
    return results(spider.parse(response(FEED_URL, body, headers=RSS, **kwargs)))  # type: ignore[arg-type]


def test_rss_entries_become_article_requests_newest_first_with_hints() -> None:
    spider = make_spider(FeedSpider, url=FEED_URL)
    requests = feed_requests(spider, rss_feed("http://news.example", ENTRIES))
    assert [r.url for r in requests] == [
        "http://news.example/2024/05/10/newest-story-here",
        "http://news.example/2024/05/09/middle-story-here",
        "http://news.example/2024/05/08/older-story-here",
    ]
    assert requests[0].cb_kwargs == {"hint_title": "Newest story", "hint_published": NOW}
    assert requests[0].callback == spider.parse_article
    assert "If-None-Match" not in requests[0].headers


def test_windows_1251_feed_with_html_entities_reads_cleanly() -> None:
    spider = make_spider(FeedSpider, url="https://naviny.example/rss/belarus.xml")
    body = (PAGES / "spider-feed-cp1251.xml").read_bytes()
    requests = results(spider.parse(response(spider.source.url, body, headers={"Content-Type": "text/xml"})))
    assert [(r.url, r.cb_kwargs["hint_title"], r.cb_kwargs["hint_published"]) for r in requests] == [
        (
            "https://naviny.example/news/2024/05/10/kalesnikava-sud-adklau.html",
            "Марыя Калеснікава: суд адклаў паседжанне",
            datetime(2024, 5, 10, 11, 30, tzinfo=UTC),
        ),
        (
            "https://naviny.example/news/2024/05/09/bialiatski-list.html",
            "Алесь Бяляцкі атрымаў ліст ад жонкі",
            datetime(2024, 5, 9, 6, 5, tzinfo=UTC),
        ),
        (
            "https://naviny.example/news/2024/05/08/nadvore.html",
            "Надвор'е на выходныя",
            datetime(2024, 5, 8, 15, 0, tzinfo=UTC),
        ),
    ]


def test_atom_entry_links_resolve_against_xml_base_and_keep_both_dates() -> None:
    body = b"""<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://news.example/world/">
      <title>t</title><entry><title>A</title><link rel="edit" href="/edit/1"/>
      <link rel="alternate" href="2024/a-b-c.html"/><published>2024-05-01T10:00:00Z</published>
      <updated>2024-05-02T12:00:00+02:00</updated></entry></feed>"""
    feed = read_feed(body, "http://news.example/atom.xml", "application/atom+xml", 10)
    (entry,) = feed.entries
    assert entry.link == "http://news.example/world/2024/a-b-c.html"
    assert entry.published == datetime(2024, 5, 1, 10, tzinfo=UTC)
    assert entry.lastmod == datetime(2024, 5, 2, 10, tzinfo=UTC)


def test_atom_feed_from_the_test_site_builder_parses() -> None:
    feed = read_feed(atom_feed("http://news.example", ENTRIES).encode(), FEED_URL, None, 10)
    assert [e.title for e in feed.entries] == ["Newest story", "Middle story", "Older story"]


def test_relative_protocol_less_and_guid_links_are_resolved() -> None:
    body = b"""<rss version="2.0"><channel><title>t</title>
      <item><title>rel</title><link>/news/a-b-c</link></item>
      <item><title>proto</title><link>//cdn.news.example/x-y-z</link></item>
      <item><title>guid</title><guid>http://news.example/guid-permalink</guid></item>
      <item><title>opaque guid</title><guid isPermaLink="false">abc-123</guid></item>
      </channel></rss>"""
    links = [e.link for e in read_feed(body, "http://news.example/feeds/main.xml", None, 10).entries]
    assert links == [
        "http://news.example/news/a-b-c",
        "http://cdn.news.example/x-y-z",
        "http://news.example/guid-permalink",
        None,
    ]


def test_entries_without_link_are_counted_and_without_date_still_fetched() -> None:
    spider = make_spider(FeedSpider, url=FEED_URL)
    body = rss_feed("http://news.example", [("", "No link", NOW), ("/undated-story-x", "No date", None)])
    requests = feed_requests(spider, body)
    assert [r.url for r in requests] == ["http://news.example/undated-story-x"]
    assert stats(spider)["monitor/rejected/no_link"] == 1


def test_feedburner_original_link_is_preferred() -> None:
    body = b"""<rss version="2.0" xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0">
      <channel><title>t</title><item><title>x</title><link>http://feeds.example/~r/x/~3/abc/</link>
      <feedburner:origLink>http://news.example/real-article-link</feedburner:origLink></item></channel></rss>"""
    (entry,) = read_feed(body, FEED_URL, None, 10).entries
    assert entry.link == "http://news.example/real-article-link"


def test_known_articles_are_skipped_and_updated_ones_fetched_conditionally() -> None:
    state = MemoryCrawlState()
    state.mark_stored("http://news.example/2024/05/10/newest-story-here", NOW - timedelta(hours=1))
    state.mark_stored("http://news.example/2024/05/09/middle-story-here", NOW)
    state.remember("http://news.example/2024/05/10/newest-story-here", '"v1"', None)
    spider = make_spider(FeedSpider, url=FEED_URL, state=state)
    requests = feed_requests(spider, rss_feed("http://news.example", ENTRIES))
    # newest: stored an hour before its date -> updated -> refetched with its validator;
    # middle: stored after its date -> skipped; older: never stored -> fetched.
    assert [r.url for r in requests] == [
        "http://news.example/2024/05/10/newest-story-here",
        "http://news.example/2024/05/08/older-story-here",
    ]
    assert requests[0].headers["If-None-Match"] == b'"v1"'
    assert stats(spider)["monitor/skipped_known"] == 1


def test_a_lastmod_far_in_the_future_does_not_make_a_known_article_look_updated() -> None:
    state = MemoryCrawlState()
    state.mark_stored("http://news.example/far-future-story")
    spider = make_spider(FeedSpider, url=FEED_URL, state=state)
    future = datetime.now(UTC) + timedelta(days=3650)
    assert feed_requests(spider, rss_feed("http://news.example", [("/far-future-story", "F", future)])) == []
    assert stats(spider)["monitor/future_lastmod"] == 1


def test_not_modified_feed_yields_nothing_and_is_counted() -> None:
    spider = make_spider(FeedSpider, url=FEED_URL)
    assert feed_requests(spider, b"", status=304) == []
    assert stats(spider)["monitor/not_modified"] == 1


def test_feed_validators_are_remembered_and_sent_next_time() -> None:
    state = MemoryCrawlState()
    spider = make_spider(FeedSpider, url=FEED_URL, state=state)
    (start,) = results(spider.start())
    assert "If-None-Match" not in start.headers
    headers = {**RSS, "ETag": '"abc"', "Last-Modified": "Fri, 10 May 2024 12:00:00 GMT"}
    results(spider.parse(reply(start, rss_feed("http://news.example", ENTRIES), headers=headers)))
    assert state.validators(FEED_URL) == ('"abc"', "Fri, 10 May 2024 12:00:00 GMT")
    (again,) = results(make_spider(FeedSpider, url=FEED_URL, state=state).start())
    assert again.headers["If-None-Match"] == b'"abc"'
    assert again.headers["If-Modified-Since"] == b"Fri, 10 May 2024 12:00:00 GMT"
    assert again.meta["handle_httpstatus_list"] == [304]


def test_html_page_instead_of_feed_is_rejected_with_reason() -> None:
    spider = make_spider(FeedSpider, url=FEED_URL)
    page = "<html><head><title>Oops</title></head><body><a href='/x'>x</a></body></html>"
    assert results(spider.parse(response(FEED_URL, page, headers={"Content-Type": "text/html"}))) == []
    assert stats(spider)["monitor/rejected/not_a_feed"] == 1


def test_max_items_from_source_extra_keeps_the_newest() -> None:
    spider = make_spider(FeedSpider, url=FEED_URL, extra={"max_items": 2})
    requests = feed_requests(spider, rss_feed("http://news.example", ENTRIES))
    assert [r.cb_kwargs["hint_title"] for r in requests] == ["Newest story", "Middle story"]
    assert stats(spider)["monitor/truncated"] == 1


def test_article_response_becomes_raw_page_with_hints_and_charset() -> None:
    spider = make_spider(FeedSpider, url=FEED_URL)
    request = spider.article_request("http://news.example/a-b-c?utm_source=rss#top", hint_title="T", hint_published=NOW)
    assert request is not None
    assert request.url == "http://news.example/a-b-c"
    html = article_html("Title", "Body").encode("cp1251")
    page = results(
        spider.parse_article(
            reply(request, html, headers={"Content-Type": "text/html; charset=windows-1251"}),
            **request.cb_kwargs,
        )
    )
    assert page == [
        RawPage(
            url="http://news.example/a-b-c",
            final_url="http://news.example/a-b-c",
            body=html,
            source="test",
            http_encoding="cp1251",
            content_type="text/html; charset=windows-1251",
            hint_title="T",
            hint_published=NOW,
        )
    ]


def test_real_crawl_fetches_articles_once_then_only_what_changed(news_site: NewsSite, tmp_path: Path) -> None:
    site = news_site
    site.add_robots("User-agent: *\nDisallow: /private/\n")
    entries = [*ENTRIES, ("/private/2024/05/10/hidden-story-x", "Hidden", NOW)]
    for path, title, when in entries:
        site.add_page(path, article_html(title, "Body.", published=when))
    site.add_page("/feed.xml", rss_feed(site.url(), entries), content_type="application/rss+xml")
    source = {"name": "site", "url": site.url("/feed.xml"), "type": "feed", "interval": 60}

    first = run_crawl(tmp_path, [source])
    assert first.urls() == sorted(site.url(p) for p, _, _ in ENTRIES)
    assert "/private/2024/05/10/hidden-story-x" not in site.paths()
    assert first.stat("site", "monitor/errors/robots") == 1
    assert {p["hint_title"] for p in first.pages} == {"Newest story", "Middle story", "Older story"}

    site.clear_requests()
    second = run_crawl(tmp_path, [source])
    assert second.pages == []
    assert site.paths() == ["/robots.txt", "/feed.xml"]
    assert site.requests[1].headers["if-none-match"]
    assert second.stat("site", "monitor/not_modified") == 1

    site.clear_requests()
    site.add_page("/2024/05/11/brand-new-story", article_html("New", "Body."))
    new_entries = [*entries, ("/2024/05/11/brand-new-story", "New", NOW + timedelta(days=1))]
    site.add_page("/feed.xml", rss_feed(site.url(), new_entries), content_type="application/rss+xml")
    third = run_crawl(tmp_path, [source])
    assert third.urls() == [site.url("/2024/05/11/brand-new-story")]
    assert sorted(site.paths()) == ["/2024/05/11/brand-new-story", "/feed.xml", "/robots.txt"]
