"""The text key that tells a wall served on every URL from articles (issue 15)."""

from __future__ import annotations

from monitor.crawl.fingerprint import sample, text_key, visible_text


def _challenge(ray: str, url: str) -> bytes:
    return (f"<html><head><title>Just a moment</title><script>var ray='{ray}';</script></head><body>"
            f"<h1>Checking your browser</h1><p>Please enable JavaScript and cookies to continue.</p>"
            f"<form action='{url}'><input name=r value='{ray}'></form><p>Ray ID: {ray}</p></body></html>").encode()


def test_a_wall_has_one_key_whatever_its_request_id_and_url():
    first = visible_text(_challenge("8f3a1b2c3d4e5f60", "/news/1"))
    second = visible_text(_challenge("0123456789abcdef", "/news/2"))
    assert first == "Checking your browser Please enable JavaScript and cookies to continue. Ray ID: 8f3a1b2c3d4e5f60"
    assert text_key(first) == text_key(second)


def test_pages_that_differ_in_words_or_short_numbers_have_different_keys():
    assert text_key("USD 3.21, EUR 3.45 today") != text_key("USD 3.24, EUR 3.41 today")
    assert text_key("The council met on Monday.") != text_key("The council met on Tuesday.")
    assert text_key("The  Council met\non Monday.") == text_key("the council met on monday.")


def test_hostile_markup_costs_little_and_gives_plain_text():
    assert visible_text(b"<script>" * 30000 + b"<" * 100000) == ""  # all inside an unclosed script
    assert visible_text(b"<p>" + b"<" * 100000) == "<" * 100000
    assert visible_text(b"") == ""
    assert len(sample("word " * 100)) == 100
