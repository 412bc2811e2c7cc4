"""Hostile input: every case is skipped with a logged, counted reason while other sources go on."""

from __future__ import annotations

import gzip
import logging
import tracemalloc
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import pytest

from monitor.errors import PageRejected
from spiders.feed import FeedSpider, read_feed
from spiders.sitemap import SitemapSpider, read_sitemap
from tests.crawl_helper import make_spider, response, results, run_crawl, stats
from tests.servers import NewsSite, article_html, rss_feed, sitemap

if TYPE_CHECKING:
    from pathlib import Path

NOW = datetime(2024, 5, 10, tzinfo=UTC)
LAUGHS = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))  # lol9 expands to 10**9 "lol"s
BILLION_LAUGHS_RSS = f"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY lol0 "lol">{LAUGHS}]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>&lol9;</title><link>http://news.example/laughs-story-here</link>
<description>&lol9;</description></item></channel></rss>""".encode()
BILLION_LAUGHS_SITEMAP = f"""<?xml version="1.0"?>
<!DOCTYPE urlset [<!ENTITY lol0 "lol">{LAUGHS}]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>http://news.example/&lol9;</loc></url></urlset>""".encode()


def external_entity_rss(url: str, link: str = "http://news.example/xxe-story-here") -> bytes:
    return f"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "{url}"><!ENTITY % remote SYSTEM "{url}"> %remote;]>
<rss version="2.0"><channel><title>t</title>
<item><title>Leak: &xxe;</title><link>{link}</link></item>
</channel></rss>""".encode()


def external_dtd_sitemap(url: str, loc: str = "http://news.example/dtd-story-here") -> bytes:
    return f"""<?xml version="1.0"?>
<!DOCTYPE urlset SYSTEM "{url}">
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{loc}</loc></url></urlset>""".encode()


# ----- entity expansion and external entities ------------------------------------------------
def test_billion_laughs_feed_is_not_expanded() -> None:
    tracemalloc.start()
    try:
        feed = read_feed(BILLION_LAUGHS_RSS, "http://news.example/feed", None, 10)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20_000_000  # fully expanded, one title alone would be 3 GB
    assert all(len(e.title or "") < 100 for e in feed.entries)
    assert [e.link for e in feed.entries] == ["http://news.example/laughs-story-here"]


def test_billion_laughs_sitemap_is_rejected_with_reason(caplog: pytest.LogCaptureFixture) -> None:
    with pytest.raises(PageRejected, match="xml_entities"):
        read_sitemap(BILLION_LAUGHS_SITEMAP)
    spider = make_spider(SitemapSpider, name="laughs", url="http://news.example/sitemap.xml")
    with caplog.at_level(logging.WARNING):
        out = results(spider.parse(response(spider.source.url, BILLION_LAUGHS_SITEMAP)))
    assert out == []
    assert stats(spider)["monitor/rejected/xml_entities"] == 1
    assert "laughs: skipped http://news.example/sitemap.xml: xml_entities" in caplog.text


def test_external_entities_are_neither_fetched_nor_read(news_site: NewsSite, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-LOCAL-FILE")
    news_site.add_page("/secret", "TOP-SECRET-REMOTE", content_type="text/plain")
    news_site.add_page("/evil.dtd", '<!ENTITY leak "LEAKED">', content_type="application/xml-dtd")
    for target in (news_site.url("/secret"), secret.as_uri()):
        feed = read_feed(external_entity_rss(target), "http://news.example/feed", None, 10)
        assert "SECRET" not in repr(feed)
        with pytest.raises(PageRejected, match="xml_entities"):
            read_sitemap(external_entity_rss(target).replace(b"rss", b"urlset"))
    feed = read_feed(external_dtd_sitemap(news_site.url("/evil.dtd")).replace(b"urlset", b"rss"), "http://n/", None, 10)
    assert read_sitemap(external_dtd_sitemap(news_site.url("/evil.dtd"))).entries[0].loc.endswith("dtd-story-here")
    assert news_site.requests == []


def test_feed_body_naming_a_local_file_is_not_opened(tmp_path: Path) -> None:
    local = tmp_path / "local-feed.xml"
    local.write_text(rss_feed("http://local.example", [("/leaked-local-story", "Local", NOW)]))
    feed = read_feed(str(local).encode(), "http://news.example/feed", None, 10)
    assert feed.entries == []
    assert feed.problem == "not_a_feed"


def test_unrequestable_links_are_counted_and_the_entries_after_them_still_followed() -> None:
    body = b"""<rss version="2.0"><channel><title>t</title>
      <item><title>bad port</title><link>http://news.example:abc/x-y-z</link></item>
      <item><title>bad ipv6</title><link>http://[::1/x-y-z</link></item>
      <item><title>script</title><link>javascript:alert(1)</link></item>
      <item><title>fine</title><link>http://news.example/fine-story-here</link></item>
      </channel></rss>"""
    spider = make_spider(FeedSpider, url="http://news.example/feed.xml")
    requests = results(spider.parse(response(spider.source.url, body)))
    assert [r.url for r in requests] == ["http://news.example/fine-story-here"]
    counted = stats(spider)
    assert counted["monitor/rejected/bad_link"] + counted["monitor/rejected/no_link"] == 3


# ----- size ---------------------------------------------------------------------------------------
def test_feed_with_50000_items_keeps_the_newest_max_items_even_when_oldest_come_first(
    caplog: pytest.LogCaptureFixture,
) -> None:
    entries = [(f"/2024/story-number-{i}", f"Story {i}", NOW + timedelta(minutes=i)) for i in range(50_000)]
    body = rss_feed("http://news.example", entries)  # oldest first
    # max_items=500 only keeps the test quick; the default (2,000) takes ~2 s in a worker thread.
    spider = make_spider(FeedSpider, url="http://news.example/feed.xml", extra={"max_items": 500})
    with caplog.at_level(logging.WARNING):
        requests = results(spider.parse(response(spider.source.url, body)))
    assert len(requests) == 500
    assert requests[0].url == "http://news.example/2024/story-number-49999"
    assert requests[-1].url == "http://news.example/2024/story-number-49500"
    assert stats(spider)["monitor/truncated"] == 49_500
    assert "lists 50000 entries; keeping the newest 500" in caplog.text


def test_sitemap_with_50000_urls_is_capped_newest_first() -> None:
    entries = [(f"/story-number-{i}", None, NOW - timedelta(minutes=i)) for i in range(50_000)]
    spider = make_spider(SitemapSpider, url="http://news.example/sitemap.xml", extra={"max_items": 100})
    requests = results(spider.parse(response(spider.source.url, sitemap("http://news.example", entries))))
    assert [r.url for r in requests[:2]] == ["http://news.example/story-number-0", "http://news.example/story-number-1"]
    assert len(requests) == 100


# ----- malformed ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"\x00\x01 binary garbage <<<", "not_a_feed"),
        (b"<html><body>Service unavailable</body></html>", "not_a_feed"),
        (b"", "not_a_feed"),
    ],
)
def test_malformed_feed_is_rejected_with_reason(body: bytes, reason: str) -> None:
    spider = make_spider(FeedSpider, url="http://news.example/feed.xml")
    assert results(spider.parse(response(spider.source.url, body))) == []
    assert stats(spider)[f"monitor/rejected/{reason}"] == 1


@pytest.mark.parametrize("body", [b"", b"not xml", b"\x00\x01<<<", b'<?xml version="1.0"?>'])
def test_malformed_sitemap_is_rejected_with_reason(body: bytes) -> None:
    spider = make_spider(SitemapSpider, url="http://news.example/sitemap.xml")
    assert results(spider.parse(response(spider.source.url, body, headers={"Content-Type": "text/xml"}))) == []
    assert stats(spider)["monitor/rejected/malformed_xml"] == 1


def test_truncated_sitemap_keeps_what_it_could_read() -> None:
    spider = make_spider(SitemapSpider, url="http://news.example/sitemap.xml")
    body = sitemap("http://news.example", [("/one-two-three", None, None), ("/four-five-six", None, None)])
    requests = results(spider.parse(response(spider.source.url, body[: body.index("four") + 4].encode())))
    assert [r.url for r in requests][0] == "http://news.example/one-two-three"
    assert stats(spider)["monitor/recovered_xml"] == 1


# ----- real crawls --------------------------------------------------------------------------------
def test_hostile_sources_are_skipped_while_a_good_one_carries_on(news_site: NewsSite, tmp_path: Path) -> None:
    site = news_site
    site.add_page("/good-story-one", article_html("Good", "Body."))
    site.add_page(
        "/good.xml", rss_feed(site.url(), [("/good-story-one", "Good", NOW)]), content_type="application/rss+xml"
    )
    site.add_page("/broken.xml", b"<rss><channel><<<<\x00\x01", content_type="application/rss+xml")
    site.add_page("/laughs.xml", BILLION_LAUGHS_SITEMAP, content_type="application/xml")
    site.add_page("/secret", "TOP-SECRET-REMOTE", content_type="text/plain")
    site.add_page("/evil.dtd", '<!ENTITY leak "LEAKED">', content_type="application/xml-dtd")
    xxe = external_entity_rss(site.url("/secret"), site.url("/xxe-story-here"))
    site.add_page("/xxe.xml", xxe, content_type="application/rss+xml")
    site.add_page("/xxe-story-here", article_html("XXE", "Body."))
    dtd = external_dtd_sitemap(site.url("/evil.dtd"), site.url("/dtd-story-here"))
    site.add_page("/dtd.xml", dtd, content_type="application/xml")
    site.add_page("/dtd-story-here", article_html("DTD", "Body."))
    sources = [
        {"name": "good", "url": site.url("/good.xml"), "type": "feed", "interval": 60},
        {"name": "broken", "url": site.url("/broken.xml"), "type": "feed", "interval": 60},
        {"name": "laughs", "url": site.url("/laughs.xml"), "type": "sitemap", "interval": 60},
        {"name": "xxe", "url": site.url("/xxe.xml"), "type": "feed", "interval": 60},
        {"name": "dtd", "url": site.url("/dtd.xml"), "type": "sitemap", "interval": 60},
    ]
    result = run_crawl(tmp_path, sources)
    assert result.urls() == sorted(site.url(p) for p in ("/good-story-one", "/xxe-story-here", "/dtd-story-here"))
    assert result.stat("broken", "monitor/rejected/malformed_feed") == 1
    assert result.stat("laughs", "monitor/rejected/xml_entities") == 1
    assert "broken: skipped" in result.log
    assert "laughs: skipped" in result.log
    assert site.count("/secret") == 0
    assert site.count("/evil.dtd") == 0
    assert not any("SECRET" in (p["hint_title"] or "") for p in result.pages)


def test_hostile_pages_fail_with_counted_reasons(news_site: NewsSite, tmp_path: Path) -> None:
    site = news_site
    site.add_redirect("/loop-a", "/loop-b")
    site.add_redirect("/loop-b", "/loop-a")
    site.add_stalling("/stall")
    site.add_huge("/huge-declared", 3_000_000)
    site.add_huge("/huge-streamed", 3_000_000, declared=False)
    site.add_page("/gzip-bomb", gzip.compress(b"<p>" * 2_000_000), headers={"Content-Encoding": "gzip"})
    site.add_page("/binary", b"\x89PNG\r\n\x1a\n\x00\x00\x00" * 10)
    site.add_page("/busy", article_html("Busy", "Body."))
    site.add_failures("/busy", 429, times=1, retry_after="1")
    site.add_page("/closed", article_html("Closed", "Body."))
    site.add_failures("/closed", 503, times=None, retry_after="3600")
    site.add_failures("/down", 500, times=None)
    kinds = {
        "loop-a": "monitor/errors/redirect_loop",
        "stall": "monitor/errors/timeout",
        "huge-declared": "monitor/errors/too_large",
        "huge-streamed": "monitor/errors/too_large",
        "gzip-bomb": "monitor/errors/too_large",
        "binary": "monitor/rejected/not_html",
        "closed": "monitor/errors/http_503",
        "down": "monitor/errors/http_500",
    }
    sources = [{"name": name, "url": site.url(f"/{name}"), "type": "page", "interval": 60} for name in [*kinds, "busy"]]
    result = run_crawl(tmp_path, sources, download_timeout=2.0, max_page_size=1_000_000, overrides={"RETRY_TIMES": 1})
    assert result.urls() == [site.url("/busy")]
    for name, key in kinds.items():
        assert result.stat(name, key) == 1, (name, result.stats[name])
    first, second = site.times("/busy")
    assert second - first >= 0.9  # Retry-After: 1 was honoured
    assert site.count("/closed") == 1  # Retry-After: 3600 is not waited for, nor retried now
    assert site.count("/down") == 2  # RETRY_TIMES=1
