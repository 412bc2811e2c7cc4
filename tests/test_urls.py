"""canonical_url: one identity per article, whatever link led to it."""

from __future__ import annotations

import pytest

from monitor.urls import canonical_url, is_tracking_param

CASES = [
    # (link as found, canonical form)
    ("https://news.example/a/1?utm_source=rss&utm_medium=feed", "https://news.example/a/1"),
    ("https://news.example/a/1?UTM_Campaign=x&id=5", "https://news.example/a/1?id=5"),
    ("https://news.example/a?fbclid=IwAR0&gclid=1&yclid=2&mc_cid=3&mc_eid=4", "https://news.example/a"),
    ("https://news.example/a?_ga=2.1&sessionid=9&sid=8&PHPSESSID=7&jsessionid=6", "https://news.example/a"),
    ("https://news.example/a?side=left&sidebar=1", "https://news.example/a?side=left&sidebar=1"),
    ("https://news.example/a?z=1&a=2&m=3", "https://news.example/a?z=1&a=2&m=3"),
    ("https://news.example/a?c=ar&i=312345&utm_term=x", "https://news.example/a?c=ar&i=312345"),
    ("https://news.example/a?page=2", "https://news.example/a?page=2"),
    ("https://news.example/a?flag&empty=", "https://news.example/a?flag&empty="),
    ("https://news.example/a#comments", "https://news.example/a"),
    ("HTTPS://News.Example/Path/Case", "https://news.example/Path/Case"),
    ("http://news.example:80/a", "http://news.example/a"),
    ("https://news.example:443/a", "https://news.example/a"),
    ("http://news.example:8080/a", "http://news.example:8080/a"),
    ("http://127.0.0.1:43210/x?utm_source=t", "http://127.0.0.1:43210/x"),
    ("https://news.example", "https://news.example/"),
    ("https://user:secret@news.example/a", "https://news.example/a"),
    ("https://news.example/a;jsessionid=ABC123?x=1", "https://news.example/a?x=1"),
    ("https://news.example/%d0%bd%d0%b0", "https://news.example/%D0%BD%D0%B0"),
    (
        "https://news.example/навіны/артыкул",
        "https://news.example/%D0%BD%D0%B0%D0%B2%D1%96%D0%BD%D1%8B/%D0%B0%D1%80%D1%82%D1%8B%D0%BA%D1%83%D0%BB",
    ),
    ("https://наша-ніва.бел/a", "https://xn----7sbabj6dd9f8f.xn--90ais/a"),
    ("http://[::1]:8080/a#x", "http://[::1]:8080/a"),
    ("  https://news.example/a  ", "https://news.example/a"),
    ("https://news.example./a", "https://news.example/a"),
]


@pytest.mark.parametrize(("link", "expected"), CASES)
def test_canonical_url(link: str, expected: str) -> None:
    assert canonical_url(link) == expected


@pytest.mark.parametrize(("link", "expected"), CASES)
def test_canonical_url_is_idempotent(link: str, expected: str) -> None:
    assert canonical_url(expected) == expected


def test_unparsable_url_comes_back_stripped_instead_of_raising() -> None:
    assert canonical_url(" http://news.example:notaport/a ") == "http://news.example:notaport/a"
    assert canonical_url("") == ""


def test_tracking_param_names_are_matched_case_insensitively_and_decoded() -> None:
    assert is_tracking_param("utm_source")
    assert is_tracking_param("Utm%5FContent")
    assert is_tracking_param("FBCLID")
    assert not is_tracking_param("utmost")
    assert not is_tracking_param("id")
