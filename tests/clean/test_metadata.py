"""Title, dates, author, language and canonical URL: page metadata first, content as the fallback."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from monitor.clean.dom import parse_html
from monitor.clean.metadata import PageMeta, extract_metadata, find_date_in_content, guess_language, parse_date

UTC = UTC


def meta_of(head: str = "", body: str = "", url: str = "https://news.example/a", html_attrs: str = "") -> PageMeta:
    """Metadata of a page built from a <head> and a <body>."""
    root, _ = parse_html(f"<html {html_attrs}><head>{head}</head><body>{body}</body></html>")
    assert root is not None
    return extract_metadata(root, url)


def jsonld(obj: object) -> str:
    """A JSON-LD script element."""
    return f'<script type="application/ld+json">{json.dumps(obj)}</script>'


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-12-14T09:30:00+03:00", datetime(2025, 12, 14, 9, 30, tzinfo=timezone(timedelta(hours=3)))),
        ("2025-12-14T06:30:00Z", datetime(2025, 12, 14, 6, 30, tzinfo=UTC)),
        ("2025-12-14T06:30:00.123Z", datetime(2025, 12, 14, 6, 30, 0, 123000, tzinfo=UTC)),
        ("2025-12-14", datetime(2025, 12, 14, tzinfo=UTC)),
        ("2025-12-14 06:30:00", datetime(2025, 12, 14, 6, 30, tzinfo=UTC)),  # no zone given: UTC
        ("Sun, 14 Dec 2025 06:30:00 GMT", datetime(2025, 12, 14, 6, 30, tzinfo=UTC)),
        ("December 14, 2025 6:30 AM", datetime(2025, 12, 14, 6, 30, tzinfo=UTC)),
        ("1765693800", datetime(2025, 12, 14, 6, 30, tzinfo=UTC)),
        ("1765693800000", datetime(2025, 12, 14, 6, 30, tzinfo=UTC)),
    ],
)
def test_parse_date_reads_common_formats_and_is_always_aware(value: str, expected: datetime) -> None:
    parsed = parse_date(value)
    assert parsed == expected
    assert parsed is not None
    assert parsed.tzinfo is not None


@pytest.mark.parametrize("value", ["", "not a date", "0001-01-01T00:00:00Z", "2199-01-01", None, "x" * 200])
def test_parse_date_rejects_garbage_and_placeholders(value: str | None) -> None:
    assert parse_date(value) is None


def test_jsonld_news_article_comes_first() -> None:
    head = (
        jsonld(
            {
                "@context": "https://schema.org",
                "@type": "NewsArticle",
                "headline": "JSON-LD headline",
                "datePublished": "2025-12-14T09:30:00+03:00",
                "dateModified": "2025-12-15T10:00:00+03:00",
                "author": [{"@type": "Person", "name": "Hanna Liachovič"}, {"@type": "Person", "name": "Ihar Ilyash"}],
                "inLanguage": "be-BY",
            }
        )
        + '<meta property="og:title" content="OG title">'
        + '<meta property="article:published_time" content="2020-01-01T00:00:00Z">'
    )
    meta = meta_of(head)
    assert meta.title == "JSON-LD headline"
    assert meta.published == datetime(2025, 12, 14, 6, 30, tzinfo=UTC)
    assert meta.updated == datetime(2025, 12, 15, 7, 0, tzinfo=UTC)
    assert meta.author == "Hanna Liachovič, Ihar Ilyash"
    assert meta.language == "be"
    assert meta.is_article


def test_jsonld_in_a_graph_with_trailing_commas_and_comment_wrapper() -> None:
    raw = (
        '<script type="application/ld+json"><!--{"@context": "https://schema.org", "@graph": ['
        '{"@type": "WebSite", "name": "Site"}, {"@type": ["ReportageNewsArticle"], "headline": "In the graph",'
        ' "datePublished": "2025-12-13", "author": {"@type": "Person", "name": "By Jonas Petraitis"},}]}--></script>'
    )
    meta = meta_of(raw)
    assert meta.title == "In the graph"
    assert meta.published == datetime(2025, 12, 13, tzinfo=UTC)
    assert meta.author == "Jonas Petraitis"


def test_opengraph_and_meta_tags_when_there_is_no_jsonld() -> None:
    head = (
        '<meta property="og:title" content="Minsk frees prisoners | Minsk Herald">'
        '<meta property="og:site_name" content="Minsk Herald">'
        '<meta property="article:published_time" content="2025-12-14T09:30:00+03:00">'
        '<meta property="article:modified_time" content="2025-12-14T12:00:00+03:00">'
        '<meta name="author" content="Anna Kowalska"><meta property="og:locale" content="ru_RU">'
        '<meta property="og:type" content="article">'
    )
    meta = meta_of(head)
    assert meta.title == "Minsk frees prisoners"  # the site name is not part of the headline
    assert meta.published == datetime(2025, 12, 14, 6, 30, tzinfo=UTC)
    assert meta.updated == datetime(2025, 12, 14, 9, 0, tzinfo=UTC)
    assert meta.author == "Anna Kowalska"
    assert meta.language == "ru"
    assert meta.is_article


def test_time_element_and_h1_when_the_head_says_nothing() -> None:
    body = (
        '<header><time datetime="2025-01-01">Today</time></header>'
        "<article><h1>Headline in the page</h1>"
        '<span itemprop="author">By Viktar Marozau</span>'
        '<time datetime="2025-12-13T18:00:00+01:00">13 December</time><p>Text.</p></article>'
    )
    meta = meta_of("<title>Headline in the page - News Example</title>", body)
    assert meta.title == "Headline in the page"
    assert meta.published == datetime(2025, 12, 13, 17, 0, tzinfo=UTC)  # the article's <time>, not the masthead's
    assert meta.author == "Viktar Marozau"
    assert not meta.is_article


def test_title_strips_the_site_name_found_in_the_host() -> None:
    meta = meta_of("<title>Prisoners freed in Minsk - Example</title>", url="https://www.example.com/x")
    assert meta.title == "Prisoners freed in Minsk"
    assert "prisoners freed in minsk example" in meta.titles
    assert "prisoners freed in minsk" in meta.titles


def test_author_rejects_urls_and_handles() -> None:
    head = (
        '<meta property="article:author" content="https://facebook.com/someone">'
        '<meta name="twitter:creator" content="@someone">'
    )
    assert meta_of(head).author is None


@pytest.mark.parametrize(
    ("html_attrs", "head", "expected"),
    [
        ('lang="en-GB"', "", "en"),
        ('lang="BE"', "", "be"),
        ("", '<meta http-equiv="content-language" content="uk-UA">', "uk"),
        ("", '<meta property="og:locale" content="pl_PL">', "pl"),
        ('lang="not a language"', "", None),
        ("", "", None),
    ],
)
def test_language_is_the_primary_subtag(html_attrs: str, head: str, expected: str | None) -> None:
    assert meta_of(head, html_attrs=html_attrs).language == expected


def test_canonical_url_is_made_absolute_and_beats_og_url() -> None:
    head = '<link rel="canonical" href="/politics/freed"><meta property="og:url" content="https://other.example/og">'
    assert (
        meta_of(head, url="https://news.example/amp/politics/freed").canonical_url
        == "https://news.example/politics/freed"
    )


def test_canonical_url_ignores_non_http_values() -> None:
    head = '<link rel="canonical" href="javascript:void(0)"><meta property="og:url" content="https://news.example/og">'
    assert meta_of(head).canonical_url == "https://news.example/og"


def test_no_metadata_at_all() -> None:
    meta = meta_of("", "<p>Just text.</p>")
    assert (meta.title, meta.published, meta.updated, meta.author, meta.canonical_url) == ("", None, None, None, None)


def test_date_in_the_url_is_found_when_the_page_has_none() -> None:
    root, _ = parse_html("<html><body><p>Text without any date at all.</p></body></html>")
    assert root is not None
    found = find_date_in_content(root, "https://news.example/2025/12/13/prisoners-freed/")
    assert found is not None
    assert found.date() == datetime(2025, 12, 13).date()
    assert found.tzinfo is not None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Мікалай Статкевіч застаецца ў зняволенні, і ягоная сям'я не атрымлівае лістоў.", "be"),
        ("Серед них Марія Колесникова, їхні родини чекають на звільнення.", "uk"),
        ("Николай Статкевич остаётся в заключении, его семья не получает писем.", "ru"),
        ("Statkevich remains in prison.", None),
        ("", None),
    ],
)
def test_guess_language_from_script(text: str, expected: str | None) -> None:
    assert guess_language(text) == expected


def test_byline_markup_loses_its_date_and_separators() -> None:
    body = '<div class="byline">By Hanna Liachovič | 14 December 2025, 09:30</div><p>Text of the article.</p>'
    assert meta_of("", body).author == "Hanna Liachovič"


def test_doubly_escaped_jsonld_headline_is_unescaped() -> None:
    head = jsonld({"@type": "NewsArticle", "headline": "Lukashenko&#039;s prisoners"})
    assert meta_of(head).title == "Lukashenko's prisoners"
