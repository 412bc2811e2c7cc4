"""ListingSpider: same-site article links from a section page, by pattern or heuristic."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from spiders.base import MemoryCrawlState
from spiders.listing import ListingSpider, looks_like_article, site_of
from tests.crawl_helper import make_spider, response, results, run_crawl, stats
from tests.paths import PAGES
from tests.servers import NewsSite, article_html, listing_html

if TYPE_CHECKING:
    from scrapy.http import Request

PAGE = "https://www.example.org/world/"
HTML = {"Content-Type": "text/html; charset=utf-8"}
LINKS = [
    ("/world/2024/05/10/protest-in-minsk", "Protest in Minsk draws thousands of people"),
    ("https://example.org/a/33123456.html", "Journalist detained again after release"),
    ("//m.example.org/world/activist-sentenced-to-five-years", "Watch"),
    ("/tag/belarus", "Belarus"),
    ("/author/jane-doe-smith", "Jane Doe Smith"),
    ("/world/?page=2", "Next page"),
    ("/world/europe", "Europe"),
    ("https://other.example/2024/05/10/elsewhere-story-here", "Elsewhere"),
    ("/photos/2024/05/10/picture.jpg", "A picture"),
    ("mailto:desk@example.org", "Write to us"),
    ("#top", "Top"),
    ("/world/", "This section"),
]


def listing_requests(spider: ListingSpider, links: list[tuple[str, str]] = LINKS) -> list[Request]:
    return results(spider.parse(response(PAGE, listing_html(links), headers=HTML)))


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://n.example/2024/05/10/story", True),
        ("https://n.example/news/20240510-story", True),
        ("https://n.example/politics/belarus-opposition-leader-jailed", True),
        ("https://n.example/a/33123456.html", True),
        ("https://n.example/news/world/item.html", True),
        ("https://n.example/?p=123456", True),
        ("https://n.example/view.php?c=ar&i=312345", False),  # depth 1 .php without an id in the last segment
        ("https://n.example/news/world", False),
        ("https://n.example/world-news", False),
        ("https://n.example/", False),
        ("https://n.example/tag/long-hyphenated-tag-name", False),
        ("https://n.example/category/2024/05", False),
        ("https://n.example/author/jane-doe-smith", False),
        ("https://n.example/search?q=belarus-news-today", False),
        ("https://n.example/news/2024-05-10-story?page=2", False),
        ("https://n.example/login", False),
    ],
)
def test_article_heuristic(url: str, expected: bool) -> None:
    assert looks_like_article(url) is expected


@pytest.mark.parametrize(
    ("url", "site"),
    [
        ("https://www.bbc.co.uk/news", "bbc.co.uk"),
        ("https://news.bbc.co.uk/x", "bbc.co.uk"),
        ("https://alice.blogspot.com/", "alice.blogspot.com"),
        ("http://127.0.0.1:8080/x", "127.0.0.1"),
        ("http://localhost/x", "localhost"),
        ("http://[::1]:8080/x", "::1"),
        ("https://m.naviny.example/x", "naviny.example"),  # suffix not in the public list
    ],
)
def test_site_of_uses_registered_domain_offline(url: str, site: str) -> None:
    assert site_of(url) == site


def test_same_site_article_links_are_followed_with_link_text_hints() -> None:
    spider = make_spider(ListingSpider, url=PAGE)
    requests = listing_requests(spider)
    assert [r.url for r in requests] == [
        "https://www.example.org/world/2024/05/10/protest-in-minsk",
        "https://example.org/a/33123456.html",
        "https://m.example.org/world/activist-sentenced-to-five-years",
    ]
    assert requests[0].cb_kwargs["hint_title"] == "Protest in Minsk draws thousands of people"
    assert requests[2].cb_kwargs["hint_title"] is None  # too short to be a headline


def test_section_front_fixture_yields_exactly_its_articles_with_headlines() -> None:
    url = "https://naviny.example/be/politics/"
    spider = make_spider(ListingSpider, url=url)
    body = (PAGES / "spider-listing.html").read_bytes()
    requests = results(spider.parse(response(url, body, headers=HTML)))
    assert [(r.url, r.cb_kwargs["hint_title"]) for r in requests] == [
        (
            "https://naviny.example/be/news/2024/05/10/kalesnikava-sud-adklau.html",
            "Марыя Калеснікава: суд адклаў паседжанне",
        ),
        ("https://naviny.example/be/news/2024/05/09/bialiatski-list.html", "Алесь Бяляцкі атрымаў ліст ад жонкі"),
        ("https://naviny.example/be/a/33123456.html", "Бабарыка: новыя звесткі"),
        ("https://m.naviny.example/be/prisoners-day-of-solidarity-held", "Дзень салідарнасці"),
        ("https://naviny.example/be/news/2024/05/07/statkevich.html", "Статкевіч: адзіночная камера"),
    ]


def test_article_pattern_replaces_the_heuristic() -> None:
    spider = make_spider(ListingSpider, url=PAGE, article_pattern=r"/world/(europe|\d{4}/)")
    assert [r.url for r in listing_requests(spider)] == [
        "https://www.example.org/world/2024/05/10/protest-in-minsk",
        "https://www.example.org/world/europe",
    ]


def test_known_links_are_skipped_and_max_items_caps_in_page_order() -> None:
    state = MemoryCrawlState()
    state.mark_stored("https://www.example.org/world/2024/05/10/protest-in-minsk")
    spider = make_spider(ListingSpider, url=PAGE, state=state, extra={"max_items": 2})
    assert [r.url for r in listing_requests(spider)] == ["https://example.org/a/33123456.html"]
    assert stats(spider)["monitor/skipped_known"] == 1
    assert stats(spider)["monitor/truncated"] == 1


def test_unchanged_listing_follows_nothing() -> None:
    spider = make_spider(ListingSpider, url=PAGE)
    assert results(spider.parse(response(PAGE, b"", status=304))) == []
    assert stats(spider)["monitor/not_modified"] == 1


def test_real_crawl_of_a_listing_page(news_site: NewsSite, tmp_path: Path) -> None:
    site = news_site
    articles = ["/news/2024/05/10/first-big-story", "/news/2024/05/10/second-big-story"]
    for path in articles:
        site.add_page(path, article_html(path, "Body."))
    links = [(p, "Headline of " + p) for p in articles] + [("/tag/x", "tag"), ("/news/", "News")]
    site.add_page("/news/", listing_html(links))
    source = {"name": "list", "url": site.url("/news/"), "type": "listing", "interval": 60}

    first = run_crawl(tmp_path, [source])
    assert first.urls() == sorted(site.url(p) for p in articles)
    assert site.count("/tag/x") == 0
    assert site.count("/news/") == 1

    site.clear_requests()
    site.add_page("/news/", listing_html([("/news/2024/05/11/third-big-story", "Third"), *links]))
    site.add_page("/news/2024/05/11/third-big-story", article_html("Third", "Body."))
    second = run_crawl(tmp_path, [source])
    assert second.urls() == [site.url("/news/2024/05/11/third-big-story")]
    assert sorted(site.paths()) == ["/news/", "/news/2024/05/11/third-big-story", "/robots.txt"]
