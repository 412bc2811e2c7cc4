"""PageSpider: fixed URLs, fetched every cycle with a conditional GET."""

from __future__ import annotations

from typing import TYPE_CHECKING

from spiders.base import MemoryCrawlState
from spiders.page import PageSpider
from tests.crawl_helper import make_spider, reply, results, run_crawl, stats
from tests.servers import NewsSite, article_html

if TYPE_CHECKING:
    from pathlib import Path


def test_url_and_urls_are_requested_once_each_even_when_known() -> None:
    state = MemoryCrawlState()
    state.mark_stored("http://news.example/prisoners-list")
    state.remember("http://news.example/prisoners-list", '"v7"', None)
    spider = make_spider(
        PageSpider,
        url="http://news.example/prisoners-list",
        urls=["http://news.example/live-blog?utm_source=x", "http://news.example/prisoners-list"],
        state=state,
    )
    requests = results(spider.start())
    assert [r.url for r in requests] == ["http://news.example/prisoners-list", "http://news.example/live-blog"]
    assert requests[0].headers["If-None-Match"] == b'"v7"'


def test_binary_empty_and_oversized_pages_are_rejected_not_yielded() -> None:
    spider = make_spider(PageSpider, url="http://news.example/x", settings={"DOWNLOAD_MAXSIZE": 1000})
    (request,) = results(spider.start())
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 100
    assert results(spider.parse_article(reply(request, png, headers={"Content-Type": "image/png"}))) == []
    assert results(spider.parse_article(reply(request, png, headers={"Content-Type": "text/html"}))) == []
    assert results(spider.parse_article(reply(request, b"  \n", headers={"Content-Type": "text/html"}))) == []
    big = b"<p>" + b"x" * 2000
    assert results(spider.parse_article(reply(request, big, headers={"Content-Type": "text/html"}))) == []
    counted = stats(spider)
    assert counted["monitor/rejected/not_html"] == 2
    assert counted["monitor/rejected/empty"] == 1
    assert counted["monitor/rejected/too_large"] == 1


def test_unknown_charset_label_is_dropped_so_the_cleaner_sniffs() -> None:
    spider = make_spider(PageSpider, url="http://news.example/x")
    (request,) = results(spider.start())
    headers = {"Content-Type": "text/html; charset=x-no-such-charset"}
    (page,) = results(spider.parse_article(reply(request, b"<html><p>hi</p></html>", headers=headers)))
    assert page.http_encoding is None
    assert page.content_type == "text/html; charset=x-no-such-charset"


def test_real_crawl_refetches_a_fixed_page_only_when_it_changed(news_site: NewsSite, tmp_path: Path) -> None:
    site = news_site
    site.add_page("/live", article_html("Live", "First update."))
    site.add_page("/prisoners", article_html("List", "Names."), etag=False)  # Last-Modified only
    site.add_redirect("/old-address", "/moved-here")
    site.add_page("/moved-here", article_html("Moved", "Body."))
    site.add_page("/zipped", article_html("Zipped", "Compressed in transit."), gzip=True)
    urls = [site.url("/prisoners"), site.url("/old-address"), site.url("/zipped")]
    source = {"name": "pages", "url": site.url("/live"), "type": "page", "interval": 60, "urls": urls}

    first = run_crawl(tmp_path, [source])
    assert first.urls() == sorted(site.url(p) for p in ("/live", "/old-address", "/prisoners", "/zipped"))
    moved = next(p for p in first.pages if p["url"] == site.url("/old-address"))
    assert moved["final_url"] == site.url("/moved-here")
    zipped = next(p for p in first.pages if p["url"] == site.url("/zipped"))
    assert b"Compressed in transit." in zipped["body"]

    site.clear_requests()
    site.add_page("/live", article_html("Live", "First update.\n\nSecond update."))
    second = run_crawl(tmp_path, [source])
    assert second.urls() == [site.url("/live")]
    conditional = {r.path: r.headers for r in site.requests}
    assert "if-modified-since" in conditional["/prisoners"]
    assert "if-none-match" in conditional["/moved-here"]
    assert second.stat("pages", "monitor/not_modified") == 3


def test_meta_refresh_is_followed_from_the_pages_head_in_its_own_encoding(tmp_path: Path) -> None:
    """Scrapy's MetaRefreshMiddleware decoded every page whole; ours reads the first 4,096 characters only, and
    must still find a refresh there in any encoding, and ignore one further down (as Scrapy does)."""
    with NewsSite() as site:
        site.add_robots("User-agent: *\nAllow: /\n")
        site.add_page("/real", article_html("The real article", "It is here."))
        site.add_page("/also-real", article_html("Другая статья", "Она здесь."))
        refresh = '<html><head><meta http-equiv="refresh" content="0; url={}"><title>x</title></head><body>{}</body>'
        site.add_page("/hop", refresh.format("/real", "<p>moving</p>"))
        # UTF-16 (BOM, no charset in the header): every character takes two bytes
        site.add_page("/hop-utf16", ("\ufeff" + refresh.format("/also-real", "<p>Переезд</p>")).encode("utf-16-le"),
                      content_type="text/html")
        # cp1251 declared in a <meta charset> only, with a relative URL in Cyrillic
        site.add_page("/hop-1251", ('<html><head><meta charset="windows-1251"><meta http-equiv="refresh" '
                                    'content="0; url=/статья"></head><body><p>Переезд</p></body></html>'
                                    ).encode("cp1251"), content_type="text/html")
        site.add_page("/%D1%81%D1%82%D0%B0%D1%82%D1%8C%D1%8F", article_html("Статья", "Здесь."))
        # a refresh past the first 4,096 characters is not a refresh (Scrapy's rule), so the page is the article
        late = article_html("Stays put", "A real article that mentions a refresh tag far down. " * 100)
        site.add_page("/late", late.replace("</body>", '<meta http-equiv="refresh" content="0; url=/real"></body>'))
        urls = [site.url(p) for p in ("/hop-utf16", "/hop-1251", "/late")]
        source = {"name": "pages", "url": site.url("/hop"), "type": "page", "interval": 60, "urls": urls}

        crawl = run_crawl(tmp_path, [source])

    finals = {p["url"]: p["final_url"] for p in crawl.pages}
    assert finals[site.url("/hop")] == site.url("/real")
    assert finals[site.url("/hop-utf16")] == site.url("/also-real")
    assert finals[site.url("/hop-1251")] == site.url("/%D1%81%D1%82%D0%B0%D1%82%D1%8C%D1%8F")
    assert finals[site.url("/late")] == site.url("/late")
