"""Hostile and broken pages: a clear PageRejected or a best effort, never another exception, never a hang."""

from __future__ import annotations

import gzip
import random

import pytest

from monitor.clean.cleaner import clean_html
from monitor.errors import PageRejected
from monitor.models import Article
from tests.paths import PAGES

ARTICLE = (PAGES / "belarus-article.html").read_bytes()
URL = "https://minsk-herald.example/politics/2025/12/belarus-frees-123-political-prisoners"
FIRST_PARAGRAPH = "The year 2025 marked a turning point for both the United States and Belarus."
LAST_PARAGRAPH = "The release of political prisoners in Belarus offered a small but tangible sign"
MB = 1024 * 1024


def rejection(body: bytes | str, **kwargs: object) -> str:
    """The PageRejected reason for a body (fails the test when the page is accepted)."""
    with pytest.raises(PageRejected) as caught:
        clean_html(body, URL, **kwargs)  # type: ignore[arg-type]
    assert caught.value.reason in {"not_html", "too_large", "no_article", "listing", "bad_encoding"}
    assert str(caught.value).startswith(caught.value.reason)
    return caught.value.reason


def outcome(body: bytes | str) -> Article | str:
    """An Article or the rejection reason; any other exception fails the test."""
    try:
        return clean_html(body, URL)
    except PageRejected as rejected:
        return rejected.reason


def with_body_suffix(extra: bytes) -> bytes:
    """The article page with `extra` inserted just before </body>."""
    cut = ARTICLE.index(b"</body>")
    return ARTICLE[:cut] + extra + ARTICLE[cut:]


def test_truncated_html_gives_the_paragraphs_that_arrived() -> None:
    cut = ARTICLE.index(b"Alongside others")  # in the middle of the third body paragraph
    article = clean_html(ARTICLE[:cut], URL)
    assert FIRST_PARAGRAPH in article.text
    assert "While no single politico dominated the headlines" in article.text
    assert LAST_PARAGRAPH not in article.text


@pytest.mark.parametrize("fraction", [0.35, 0.5, 0.65, 0.8, 0.95])
def test_page_cut_anywhere_never_raises_anything_but_page_rejected(fraction: float) -> None:
    result = outcome(ARTICLE[: int(len(ARTICLE) * fraction)])
    assert isinstance(result, Article) or result == "no_article"


def test_cut_inside_a_tag_is_parsed_as_far_as_it_goes() -> None:
    cut = ARTICLE.index(b"<p>The release of") + 2  # "<p" and nothing more
    article = clean_html(ARTICLE[:cut], URL)
    assert FIRST_PARAGRAPH in article.text


def test_twenty_megabyte_page_is_cut_not_rejected() -> None:
    comments = b"<div class='user-post'><p>Spam comment with a few words in it, again and again.</p></div>\n" * 250_000
    body = with_body_suffix(comments)
    assert len(body) > 20 * MB
    article = clean_html(body, URL)
    assert FIRST_PARAGRAPH in article.text
    assert LAST_PARAGRAPH in article.text
    assert "Spam comment" not in article.text


def test_page_whose_first_ten_megabytes_hold_no_article_is_too_large() -> None:
    script = b"<script>" + b"var filler = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';\n" * 250_000 + b"</script>"
    head = ARTICLE.index(b"<head>") + len(b"<head>")
    body = ARTICLE[:head] + script + ARTICLE[head:]
    assert len(body) > 10 * MB
    assert rejection(body) == "too_large"


def test_max_bytes_keyword_cuts_the_page() -> None:
    limit = ARTICLE.index(b"Alongside others")
    article = clean_html(ARTICLE, URL, max_bytes=limit)
    assert FIRST_PARAGRAPH in article.text
    assert LAST_PARAGRAPH not in article.text


def test_a_single_ten_megabyte_text_node_is_a_best_effort() -> None:
    body = b"<html><body><p>" + b"word " * (3 * MB) + b"</p></body></html>"
    result = outcome(body)
    assert isinstance(result, Article) or result in {"no_article", "too_large"}


@pytest.mark.parametrize("depth", [300, 5_000, 100_000])
def test_deeply_nested_markup_is_rejected_cleanly(depth: int) -> None:
    body = (
        b"<html><body>"
        + b"<div><span>" * depth
        + b"<p>"
        + b"Deep text here. " * 40
        + b"</p>"
        + b"</span></div>" * depth
    )
    result = outcome(body + b"</body></html>")
    assert isinstance(result, Article) or result == "no_article"


def test_moderately_nested_markup_keeps_its_text() -> None:
    paragraphs = "".join(f"<p>Paragraph {i} about the release of prisoners in Minsk this week.</p>" for i in range(6))
    body = "<html><body>" + "<div>" * 120 + paragraphs + "</div>" * 120 + "</body></html>"
    article = clean_html(body, URL)
    assert "Paragraph 0 about the release" in article.text
    assert "Paragraph 5 about" in article.text


@pytest.mark.parametrize(
    "body",
    [
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64,
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + bytes(range(256)) * 64,
        gzip.compress(ARTICLE),
        b"PK\x03\x04" + bytes(range(256)) * 64,
        b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(range(256)) * 64,
        random.Random(7).randbytes(100_000),  # noqa: S311 (test data, not cryptography)
        b"<html>" + bytes(range(32)) * 500,
    ],
    ids=["png", "pdf", "gzip", "zip", "jpeg", "random", "control-bytes"],
)
def test_binary_served_as_html_is_not_html(body: bytes) -> None:
    assert rejection(body) == "not_html"


@pytest.mark.parametrize(
    "body",
    [b"", b"   \n\t ", b'{"status": "ok", "items": [1, 2, 3]}', b"Plain text, no markup at all. " * 50],
    ids=["empty", "whitespace", "json", "plain-text"],
)
def test_bodies_without_markup_are_not_html(body: bytes) -> None:
    assert rejection(body) == "not_html"


@pytest.mark.parametrize(
    "body",
    [
        b"<html><head><title>x</title></head><body></body></html>",
        b"<html><body><h1>404</h1><p>Page not found.</p><a href='/'>Back to the homepage</a></body></html>",
        b"<html><body><form><label>Login</label><input name=u><input type=password name=p>"
        b"<button>Sign in</button></form></body></html>",
        b"<html><body><nav>" + b"<a href='/x'>Some headline about a thing here</a>" * 60 + b"</nav></body></html>",
        b"<html><body><ul>"
        + b"<li><a href='/x'>Another headline for the list page here</a></li>" * 60
        + b"</ul></body></html>",
    ],
    ids=["empty-body", "not-found", "login-form", "only-navigation", "only-links"],
)
def test_pages_without_an_article_are_no_article(body: bytes) -> None:
    assert rejection(body) == "no_article"


def test_stray_nul_and_control_characters_do_not_reject_a_real_page() -> None:
    body = ARTICLE.replace(b"The year 2025 marked", b"The year\x00 2025 marked", 1).replace(b"<body", b"\x0b<body", 1)
    article = clean_html(body, URL)
    assert "Lukaschenko ordered the release of 123 political prisoners" in article.text


def test_script_flood_around_the_article() -> None:
    scripts = b"<script>window.ads = window.ads || []; ads.push({slot: 'x'});</script>\n" * 20_000
    cut = ARTICLE.index(b"<main")
    article = clean_html(ARTICLE[:cut] + scripts + ARTICLE[cut:], URL)
    assert FIRST_PARAGRAPH in article.text
    assert "ads.push" not in article.text


def test_tens_of_thousands_of_tables_are_cut_and_cleaned() -> None:
    body = b"<html><body>" + b"<table><tr><td>cell a</td><td>cell b</td></tr></table>" * 20_000 + b"</body></html>"
    assert isinstance(outcome(body), (Article, str))


def test_unclosed_meta_tags_do_not_stall_the_charset_scan() -> None:
    body = (
        b"<html><head>" + b"<meta name=x " * 4000 + b"</head><body><p>" + b"Short text. " * 30 + b"</p></body></html>"
    )
    assert isinstance(outcome(body), (Article, str))


def test_text_input_with_characters_outside_xml_is_cleaned() -> None:
    html = ARTICLE.decode("utf-8").replace("The year 2025", "The year\ufffe 2025\x01", 1)
    article = clean_html(html, URL)
    assert "turning point for both the United States" in article.text


def test_page_cut_inside_a_comment_does_not_turn_the_comment_into_text() -> None:
    body = ARTICLE.replace(b"<main", b"<!-- main column starts here: " + b"x " * 50 + b"-->\n<main", 1)
    cut = body.index(b"main column starts here") + 40
    assert rejection(body[:cut]) == "no_article"
