"""Alerts from channel posts: the channel, the post's date, the whole post with the names marked, a link."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from monitor.clean import post_article
from monitor.deliver.alerts import marked_parts, render, render_digest
from monitor.match import Matcher
from monitor.models import Post, Term, Watchlist
from monitor.store import Store

WHEN = datetime(2026, 5, 4, 9, 15, tzinfo=UTC)
WATCHLIST = Watchlist("prisoners", terms=(Term("Maria Kalesnikava"), Term("Ales Bialiatski")))


def _payload(tmp_path, html: str) -> dict:
    """The payload the store writes for a post, made by the real chain: post → article → hits → alert."""
    article = post_article(Post(url="https://t.me/viasna_test/12", html=html, source="tg-viasna",
                                channel="Viasna (test channel)", published=WHEN))
    hits = Matcher.build([WATCHLIST]).find_hits(article)
    store = Store(tmp_path / "monitor.db")
    try:
        (alert,) = store.save_article(article, "hash", article.url, hits, alertable=True, targets={})
        row = store.query("SELECT payload FROM alerts WHERE id = ?", [alert.id])[0]
    finally:
        store.close()
    return json.loads(row["payload"])


def test_a_post_alert_shows_channel_date_the_whole_post_with_names_marked_and_a_link(tmp_path):
    payload = _payload(tmp_path, "Суд у Мінску<br>Марыя Калеснікава атрымала яшчэ год. "
                                 "Ales Bialiatski's lawyer was not admitted.<br>Падрабязнасці пазней.")
    message = render(payload)
    assert message.title == "Maria Kalesnikava, Ales Bialiatski: Суд у Мінску"
    for body in (message.text, message.markdown, message.html):
        assert "Viasna (test channel)" in body
        assert "2026-05-04 09:15 UTC" in body
        assert "https://t.me/viasna_test/12" in body
        assert "Падрабязнасці пазней." in body, "a post is shown whole, not as a snippet"
    assert "**Марыя Калеснікава**" in message.text
    assert message.text.startswith("Viasna (test channel) (tg-viasna) · 2026-05-04 09:15 UTC\n")
    assert "**Ales Bialiatski's**" in message.text
    assert "<mark>Марыя Калеснікава</mark>" in message.html
    assert "**Марыя Калеснікава**" in message.markdown
    assert "Суд у Мінску\n**Марыя" in message.text, "the post's lines are kept"


def test_post_text_is_escaped_in_html_and_markdown(tmp_path):
    payload = _payload(tmp_path, "&lt;script&gt;alert(1)&lt;/script&gt; *Maria Kalesnikava* [x](y)")
    message = render(payload)
    assert "<script>" not in message.html
    assert "&lt;script&gt;" in message.html
    assert "\\[x\\](y)" in message.markdown
    assert "<mark>Maria Kalesnikava</mark>" in message.html


def test_a_digest_mixes_post_and_article_alerts(tmp_path):
    post = _payload(tmp_path, "Maria Kalesnikava was moved to another colony.")
    article = {"article": {"url": "https://news.example/a", "title": "Bialiatski hearing", "source": "news",
                           "published": "2026-05-04T10:00:00+00:00"},
               "new_terms": ["Ales Bialiatski"], "also_reported_by": [],
               "hits": [{"term": "Ales Bialiatski", "found": "Ales Bialiatski", "field": "text", "reason": "exact",
                         "snippet": "judge heard Ales Bialiatski today", "start": 0, "end": 15}]}
    message = render_digest("prisoners", [post, article])
    assert "2 stories" in message.title
    assert "Viasna (test channel)" in message.text
    assert "judge heard Ales Bialiatski today" in message.text


def test_overlapping_out_of_range_and_foreign_hits_are_marked_once_or_not_at_all():
    parts = marked_parts("abc Maria Kalesnikava xyz", [
        {"field": "text", "start": 4, "end": 9, "found": "Maria"},
        {"field": "text", "start": 4, "end": 21, "found": "Maria  Kalesnikava"},
        {"field": "title", "start": 0, "end": 3, "found": "abc"},
        {"field": "text", "start": 20, "end": 999, "found": "a xyz"},
        {"field": "text", "start": 0, "end": 7, "found": "Statkevich"}])  # another article's offsets
    assert parts == [{"text": "abc ", "mark": False}, {"text": "Maria Kalesnikava", "mark": True},
                     {"text": " xyz", "mark": False}]
