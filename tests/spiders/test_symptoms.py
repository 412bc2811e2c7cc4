"""What a crawl notices beyond errors, as stats for the daemon's health checks (issue 15)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from scrapy.http import Request

from spiders.feed import FeedSpider
from spiders.listing import ListingSpider
from spiders.sitemap import SitemapSpider
from spiders.symptoms import permanent_target
from tests.crawl_helper import make_spider, response, results, stats
from tests.servers import listing_html, rss_feed, sitemap, sitemap_index

BASE = "http://news.example"
NOW = datetime.now(UTC).replace(microsecond=0)
XML = {"Content-Type": "application/xml"}
RSS = {"Content-Type": "application/rss+xml"}


def test_a_feed_records_its_items_and_newest_date():
    spider = make_spider(FeedSpider, url=f"{BASE}/feed.xml")
    entries = [("/a", "A", NOW - timedelta(days=3)), ("/b", "B", NOW - timedelta(hours=2)), ("/c", "C", None),
               ("/d", "D", NOW + timedelta(days=400))]  # a wrong date far ahead is not "the newest"
    results(spider.parse(response(f"{BASE}/feed.xml", rss_feed(BASE, entries), headers=RSS)))
    got = stats(spider)
    assert (got["monitor/documents"], got["monitor/items"]) == (1, 4)
    assert got["monitor/newest_item"] == (NOW - timedelta(hours=2)).isoformat()


def test_an_empty_feed_and_an_empty_sitemap_are_read_with_no_items():
    feed = make_spider(FeedSpider, url=f"{BASE}/feed.xml")
    results(feed.parse(response(f"{BASE}/feed.xml", rss_feed(BASE, []), headers=RSS)))
    assert (stats(feed)["monitor/documents"], stats(feed).get("monitor/items", 0)) == (1, 0)
    spider = make_spider(SitemapSpider, url=f"{BASE}/sitemap.xml")
    results(spider.parse(response(f"{BASE}/sitemap.xml", sitemap(BASE, []), headers=XML)))
    assert (stats(spider)["monitor/documents"], stats(spider).get("monitor/items", 0)) == (1, 0)


def test_a_sitemap_index_counts_its_children_as_items():
    spider = make_spider(SitemapSpider, url=f"{BASE}/index.xml")
    results(spider.parse(response(f"{BASE}/index.xml", sitemap_index(BASE, [("/s1.xml", NOW)]), headers=XML)))
    assert stats(spider)["monitor/items"] == 1


def test_a_listing_counts_same_site_links_and_those_taken_as_articles():
    links = [("/news/2025/05/one-two-three", "A headline of some length"), ("/about", "About us"),
             ("https://other.example/2025/05/x-y-z", "Elsewhere")]
    spider = make_spider(ListingSpider, url=f"{BASE}/politics/", article_pattern="/nomatch/")
    results(spider.parse(response(f"{BASE}/politics/", listing_html(links))))
    got = stats(spider)
    assert (got["monitor/listing/pages"], got["monitor/listing/candidates"], got["monitor/listing/links"]) == (1, 2, 0)


@pytest.mark.parametrize(("reasons", "expected"), [
    ([301], "http://b/"), ([308], "http://b/"), ([301, 308], "http://c/"), ([301, 302], "http://b/"),
    ([302], None), ([302, 301], None), ([], None)])
def test_only_permanent_redirects_from_the_first_hop_count_as_a_move(reasons, expected):
    hops = ["http://a/", "http://b/", "http://c/"][: len(reasons)]
    request = Request("http://a/", meta={"redirect_reasons": reasons, "redirect_urls": hops})
    final = ["http://a/", "http://b/", "http://c/", "http://d/"][len(reasons)]
    assert permanent_target(response(final, "<html></html>", request=request)) == expected
