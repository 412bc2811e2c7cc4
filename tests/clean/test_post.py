"""Post → Article: no boilerplate removal, the same guards as pages, links resolved, context kept."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from monitor.clean import post_article
from monitor.clean.post import MAX_POST_CHARS, html_text, post_title
from monitor.errors import PageRejected
from monitor.models import Post

URL = "https://t.me/viasna_test/12"


def _post(html: str, **extra: object) -> Post:
    return Post(url=URL, html=html, source="tg-viasna", channel="Viasna (test)", **extra)  # type: ignore[arg-type]


def test_a_short_post_is_kept_whole_with_its_first_line_as_title():
    when = datetime(2026, 5, 4, 9, 15, tzinfo=UTC)
    article = post_article(_post("Суд у Мінску<br>Марыя Калеснікава атрымала яшчэ год.<br><br><br>Падрабязнасці.",
                                 published=when))
    assert article.title == "Суд у Мінску"
    assert article.text == "Суд у Мінску\nМарыя Калеснікава атрымала яшчэ год.\n\nПадрабязнасці."
    assert (article.published, article.author, article.language, article.kind) == (when, "Viasna (test)", "be", "post")
    assert article.source == "tg-viasna"
    assert article.url == URL


def test_a_long_first_line_is_cut_at_a_word_near_a_hundred_characters():
    line = "The Minsk city court sentenced Maria Kalesnikava in absentia to another three years on Tuesday, " \
           "on a charge of insulting the president."
    title = post_title(line)
    assert title.endswith("…")
    assert len(title) <= 101
    assert line.startswith(title[:-1])
    assert title[-2] != " "


def test_links_keep_their_address_and_a_shortened_address_is_shown_whole():
    text = html_text('Read <a href="https://news.example/2026/05/verdict">the verdict</a>, see '
                     '<a href="https://news.example/2026/05/a-very-long-address">news.example/2026/05/a-very…</a>, '
                     'ask <a href="https://t.me/someone">@someone</a> <a href="?q=%23Belarus">#Belarus</a> '
                     '<a href="tg://resolve?domain=x">in the app</a>', URL)
    assert text == ("Read the verdict (https://news.example/2026/05/verdict), see "
                    "https://news.example/2026/05/a-very-long-address, ask @someone #Belarus in the app")


def test_the_title_shows_the_words_a_reader_sees_not_addresses():
    article = post_article(_post('<a href="https://news.example/x">Kalesnikava moved</a> to another colony'))
    assert article.title == "Kalesnikava moved to another colony"
    assert "https://news.example/x" in article.text


def test_forwarded_from_reply_and_link_preview_follow_the_posts_text_and_are_matched():
    article = post_article(_post("Our statement on the verdict.", forwarded_from="Belsat News",
                                 reply_to="Viasna (test): Ales Bialiatski hearing tomorrow",
                                 link_url="https://news.example/a", link_title="Verdict for Viktar Babaryka",
                                 link_description="The court in Minsk ruled."))
    assert article.text.split("\n\n") == ["Our statement on the verdict.", "Forwarded from Belsat News",
                                          "In reply to Viasna (test): Ales Bialiatski hearing tomorrow",
                                          "Verdict for Viktar Babaryka", "The court in Minsk ruled."]
    assert article.title == "Our statement on the verdict."
    assert article.links_to == "https://news.example/a"


def test_a_post_with_only_a_link_preview_takes_its_title_from_it():
    article = post_article(_post("", link_url="https://news.example/a", link_title="Verdict for Viktar Babaryka"))
    assert article.title == "Verdict for Viktar Babaryka"


def test_scripts_styles_and_control_characters_never_reach_the_text():
    article = post_article(_post("Alert<script>steal()</script><style>p{}</style> for\x07 Statkevich\u200b today"))
    assert article.text == "Alert for Statkevich today"


@pytest.mark.parametrize(("html", "reason"), [
    ("", "no_article"),
    ("<br><br> &nbsp; <i></i>", "no_article"),
    ("\ufffd" * 40 + " Statkevich", "bad_encoding"),
])
def test_an_empty_or_undecodable_post_is_rejected_with_a_reason(html, reason):
    with pytest.raises(PageRejected) as caught:
        post_article(_post(html))
    assert caught.value.reason == reason


def test_a_hostile_oversized_post_is_cut_not_refused():
    article = post_article(_post("Mikalai Statkevich " + "word " * (MAX_POST_CHARS // 4)))
    assert article.text.startswith("Mikalai Statkevich")
    assert len(article.text) <= MAX_POST_CHARS
