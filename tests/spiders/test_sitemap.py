"""SitemapSpider: urlsets, indexes, Google News fields, gzip, lastmod and the backfill window."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from monitor.errors import PageRejected
from spiders.base import MemoryCrawlState
from spiders.sitemap import SitemapEntry, SitemapSpider, gunzip_bounded, parse_w3c_date, read_sitemap
from tests.crawl_helper import make_spider, response, results, run_crawl, stats
from tests.paths import PAGES
from tests.servers import NewsSite, article_html, news_sitemap, sitemap, sitemap_index

if TYPE_CHECKING:
    from scrapy.http import Request

BASE = "http://news.example"
MAP_URL = f"{BASE}/sitemap.xml"
NOW = datetime.now(UTC).replace(microsecond=0)
XML = {"Content-Type": "application/xml"}
ENTRIES = [
    ("/2024/a-first-story", "First", NOW - timedelta(days=3)),
    ("/2024/a-second-story", "Second", NOW - timedelta(hours=1)),
    ("/2024/a-third-story", "Third", None),
]


def sitemap_requests(spider: SitemapSpider, body: str | bytes, url: str = MAP_URL) -> list[Request]:
    return results(spider.parse(response(url, body, headers=XML)))


def test_urlset_entries_become_article_requests_newest_first() -> None:
    spider = make_spider(SitemapSpider, url=MAP_URL)
    requests = sitemap_requests(spider, sitemap(BASE, ENTRIES))
    assert [r.url for r in requests] == [
        f"{BASE}/2024/a-second-story",
        f"{BASE}/2024/a-first-story",
        f"{BASE}/2024/a-third-story",
    ]
    assert requests[0].cb_kwargs == {"hint_title": None, "hint_published": None}


def test_google_news_fields_become_hints() -> None:
    spider = make_spider(SitemapSpider, url=MAP_URL)
    (first, *_) = sitemap_requests(spider, news_sitemap(BASE, ENTRIES))
    assert first.url == f"{BASE}/2024/a-second-story"
    assert first.cb_kwargs == {"hint_title": "Second", "hint_published": NOW - timedelta(hours=1)}


def test_lastmod_decides_between_skipping_and_refetching_known_articles() -> None:
    state = MemoryCrawlState()
    state.mark_stored(f"{BASE}/2024/a-first-story", NOW - timedelta(days=1))  # after its lastmod
    state.mark_stored(f"{BASE}/2024/a-second-story", NOW - timedelta(days=1))  # before it
    state.mark_stored(f"{BASE}/2024/a-third-story", NOW - timedelta(days=1))  # no lastmod
    state.remember(f"{BASE}/2024/a-second-story", None, "Mon, 01 Jan 2024 00:00:00 GMT")
    spider = make_spider(SitemapSpider, url=MAP_URL, state=state)
    (request,) = sitemap_requests(spider, sitemap(BASE, ENTRIES))
    assert request.url == f"{BASE}/2024/a-second-story"
    assert request.headers["If-Modified-Since"] == b"Mon, 01 Jan 2024 00:00:00 GMT"
    assert stats(spider)["monitor/skipped_known"] == 2


def test_index_requests_children_conditionally_newest_first_capped() -> None:
    state = MemoryCrawlState()
    state.remember(f"{BASE}/sitemap-2.xml", '"e2"', None)
    spider = make_spider(SitemapSpider, url=MAP_URL, state=state, extra={"max_sitemaps": 2})
    body = sitemap_index(
        BASE,
        [
            ("/sitemap-1.xml", NOW - timedelta(days=30)),
            ("/sitemap-2.xml", NOW - timedelta(days=1)),
            ("/sitemap-3.xml.gz", NOW),
        ],
    )
    requests = sitemap_requests(spider, body)
    assert [r.url for r in requests] == [f"{BASE}/sitemap-3.xml.gz", f"{BASE}/sitemap-2.xml"]
    assert requests[1].headers["If-None-Match"] == b'"e2"'
    assert all(r.callback == spider.parse for r in requests)
    assert stats(spider)["monitor/truncated"] == 1


def test_index_children_are_skipped_only_when_dated_no_later_than_our_copy() -> None:
    state = MemoryCrawlState()
    for name in ("same", "newer", "undated", "etag-only"):
        state.remember(f"{BASE}/{name}.xml", '"x"', None if name == "etag-only" else "Fri, 10 May 2024 12:00:00 GMT")
    spider = make_spider(SitemapSpider, url=MAP_URL, state=state)
    when = datetime(2024, 5, 10, 12, 0, tzinfo=UTC)
    body = sitemap_index(
        BASE,
        [
            ("/same.xml", when),
            ("/newer.xml", when + timedelta(minutes=1)),
            ("/undated.xml", None),
            ("/etag-only.xml", when),
            ("/never-seen.xml", when),
        ],
    )
    index = response(MAP_URL, body, headers={**XML, "ETag": '"index-1"'})
    requested = sorted(r.url for r in results(spider.parse(index)))
    assert requested == [f"{BASE}/{n}.xml" for n in ("etag-only", "never-seen", "newer", "undated")]
    assert stats(spider)["monitor/skipped_unchanged_sitemap"] == 1
    assert state.validators(MAP_URL) == (None, None)  # an index is always fetched whole


def test_gzipped_sitemap_file_is_read() -> None:
    spider = make_spider(SitemapSpider, url=f"{BASE}/sitemap.xml.gz")
    body = gzip.compress(sitemap(BASE, ENTRIES).encode())
    requests = results(
        spider.parse(response(f"{BASE}/sitemap.xml.gz", body, headers={"Content-Type": "application/x-gzip"}))
    )
    assert len(requests) == 3


def test_gzip_bomb_is_refused_before_it_grows_past_the_limit() -> None:
    bomb = gzip.compress(b"<" * 50_000_000)
    with pytest.raises(PageRejected) as caught:
        gunzip_bounded(bomb, 1_000_000)
    assert caught.value.reason == "too_large"
    with pytest.raises(PageRejected, match="bad_gzip"):
        gunzip_bounded(b"\x1f\x8b\x08\x00garbage", 1_000_000)
    with pytest.raises(PageRejected, match="bad_gzip"):
        # a deflate block of the reserved type 3
        gunzip_bounded(b"\x1f\x8b\x08\x00" + b"\x00" * 6 + b"\x07\x00", 1_000_000)


def test_backfill_window_skips_old_entries_and_old_child_sitemaps() -> None:
    spider = make_spider(SitemapSpider, url=MAP_URL, backfill=86400.0)
    requests = sitemap_requests(spider, sitemap(BASE, ENTRIES))
    assert [r.url for r in requests] == [f"{BASE}/2024/a-second-story", f"{BASE}/2024/a-third-story"]
    index = sitemap_index(BASE, [("/old.xml", NOW - timedelta(days=400)), ("/new.xml", NOW)])
    assert [r.url for r in sitemap_requests(spider, index)] == [f"{BASE}/new.xml"]
    assert stats(spider)["monitor/skipped_old"] == 2


def test_bare_ampersands_in_loc_survive() -> None:
    body = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <url><loc>http://news.example/view.php?c=ar&i=312345&amp;x=1</loc></url></urlset>"""
    (entry,) = read_sitemap(body).entries
    assert entry.loc == "http://news.example/view.php?c=ar&i=312345&x=1"


def test_real_shaped_news_sitemap_fixture() -> None:
    body = (PAGES / "spider-news-sitemap.xml").read_bytes()
    sitemap = read_sitemap(body)
    assert sitemap.kind == "urlset"
    assert sitemap.entries == [
        SitemapEntry(
            loc="https://naviny.example/be/news/2024/05/10/statkevich-court.html",
            lastmod=datetime(2024, 5, 10, 13, 20, tzinfo=UTC),
            published=datetime(2024, 5, 10, 9, 0, tzinfo=UTC),
            title="Мікалай Статкевіч: новы суд",
        ),
        SitemapEntry(
            loc="https://naviny.example/view.php?c=ar&i=312399",
            published=datetime(2024, 5, 9, tzinfo=UTC),
            title="Віктар Бабарыка & іншыя",
        ),
    ]


def test_wrong_namespace_and_image_locs_do_not_confuse_the_reader() -> None:
    body = b"""<urlset xmlns="http://www.google.com/schemas/sitemap/0.84"
      xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
      <url><image:image><image:loc>http://cdn.example/p.jpg</image:loc></image:image>
      <loc>http://news.example/story-one-two</loc><lastmod>2024-05-01</lastmod></url></urlset>"""
    (entry,) = read_sitemap(body).entries
    assert entry.loc == "http://news.example/story-one-two"
    assert entry.lastmod == datetime(2024, 5, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05-01", datetime(2024, 5, 1, tzinfo=UTC)),
        ("2024-05-01T10:30Z", datetime(2024, 5, 1, 10, 30, tzinfo=UTC)),
        ("2024-05-01T10:30:00+03:00", datetime(2024, 5, 1, 7, 30, tzinfo=UTC)),
        ("2024-05-01T10:30:00.123456Z", datetime(2024, 5, 1, 10, 30, 0, 123456, tzinfo=UTC)),
        ("yesterday", None),
        ("", None),
    ],
)
def test_w3c_dates(text: str, expected: datetime | None) -> None:
    assert parse_w3c_date(text) == expected


def test_robots_txt_source_leads_to_its_sitemaps() -> None:
    spider = make_spider(SitemapSpider, url=f"{BASE}/robots.txt")
    robots = b"User-agent: *\nDisallow: /x\nSitemap: https://news.example/news.xml\nsitemap: /relative.xml\n"
    requests = results(spider.parse(response(f"{BASE}/robots.txt", robots, headers={"Content-Type": "text/plain"})))
    assert [r.url for r in requests] == ["https://news.example/news.xml", f"{BASE}/relative.xml"]


def test_html_instead_of_sitemap_is_rejected() -> None:
    spider = make_spider(SitemapSpider, url=MAP_URL)
    assert sitemap_requests(spider, "<html><body><p>Not found</p></body></html>") == []
    assert stats(spider)["monitor/rejected/not_a_sitemap"] == 1


def test_real_crawl_follows_index_to_plain_and_gzipped_children(news_site: NewsSite, tmp_path: Path) -> None:
    site = news_site
    site.add_robots("User-agent: *\nDisallow: /private/\n")
    plain = [(f"/news/story-number-{i}", f"Story {i}", NOW - timedelta(minutes=i)) for i in range(40)]
    plain.append(("/private/four-five-six", "Four", NOW))
    zipped = [("/news/seven-eight-nine", "Seven", NOW - timedelta(hours=1))]
    for path, title, when in plain + zipped:
        site.add_page(path, article_html(title, "Body.\n\n" + "Text of the story. " * 100, published=when))
    site.add_page("/news-sitemap.xml", news_sitemap(site.url(), plain), content_type="application/xml")
    site.add_page(
        "/archive.xml.gz", gzip.compress(sitemap(site.url(), zipped).encode()), content_type="application/x-gzip"
    )
    site.add_page(
        "/sitemap_index.xml",
        sitemap_index(site.url(), [("/news-sitemap.xml", NOW), ("/archive.xml.gz", NOW - timedelta(hours=1))]),
        content_type="application/xml",
    )
    source = {"name": "maps", "url": site.url("/sitemap_index.xml"), "type": "sitemap", "interval": 60}

    first = run_crawl(tmp_path, [source])
    expected = [site.url(p) for p, _, _ in plain[:-1]] + [site.url("/news/seven-eight-nine")]
    assert first.urls() == sorted(expected)
    assert site.count("/private/four-five-six") == 0
    assert {p["hint_title"] for p in first.pages if "seven" in p["url"]} == {None}
    first_requests, first_bytes = len(site.requests), site.body_bytes

    site.clear_requests()
    second = run_crawl(tmp_path, [source])
    assert second.pages == []
    # The index comes whole (children may change under an unchanged index); the children
    # are skipped because the index dates them no later than the Last-Modified we hold.
    assert sorted(site.paths()) == ["/robots.txt", "/sitemap_index.xml"]
    assert "if-none-match" not in site.requests[-1].headers
    assert second.stat("maps", "monitor/skipped_unchanged_sitemap") == 2
    # The scale target: a cycle over an unchanged site costs at most 5% of the first.
    assert len(site.requests) <= 0.05 * first_requests
    assert site.body_bytes <= 0.05 * first_bytes

    # The CMS adds a story: the child changes and the index re-dates it; only those move.
    site.clear_requests()
    later = NOW + timedelta(hours=1)
    site.add_page("/news/story-number-new", article_html("New", "Body."))
    site.add_page(
        "/news-sitemap.xml",
        news_sitemap(site.url(), [("/news/story-number-new", "New", later), *plain]),
        content_type="application/xml",
    )
    site.add_page(
        "/sitemap_index.xml",
        sitemap_index(site.url(), [("/news-sitemap.xml", later), ("/archive.xml.gz", NOW - timedelta(hours=1))]),
        content_type="application/xml",
    )
    third = run_crawl(tmp_path, [source])
    assert third.urls() == [site.url("/news/story-number-new")]
    assert sorted(site.paths()) == ["/news-sitemap.xml", "/news/story-number-new", "/robots.txt", "/sitemap_index.xml"]
