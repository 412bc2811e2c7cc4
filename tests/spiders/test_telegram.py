"""TelegramSpider and its page reader: posts from a channel's web preview, what kind of page it is, and how far
back a run reads (pages written from scratch in the preview's structure: tests/telegram_pages.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from scrapy import Request

from monitor.models import Post
from monitor.urls import telegram_channel
from spiders.base import MemoryCrawlState
from spiders.telegram import TelegramSpider
from spiders.telegram_page import read_channel
from tests.crawl_helper import make_spider, reply, results, stats
from tests.telegram_pages import ChannelPost, LinkPreview, channel_page, contact_page

NOW = datetime.now(UTC).replace(microsecond=0)
LOOPBACK = "http://127.0.0.1:8081/s/viasna_test"
CHANNEL = telegram_channel(LOOPBACK)
HTML = {"Content-Type": "text/html; charset=utf-8"}


def _page(posts: list[ChannelPost], before: int | None = None) -> str:
    return channel_page("viasna_test", "Viasna (test)", posts, before=before)


def _posts(first: int, last: int, *, hours_apart: float = 1.0, newest_ago: float = 0.0) -> list[ChannelPost]:
    return [ChannelPost(i, f"Notice {i}: the office is open on weekdays.",
                        NOW - timedelta(hours=newest_ago + (last - i) * hours_apart)) for i in range(first, last + 1)]


def _run(spider: TelegramSpider, body: str | bytes, *, status: int = 200, start: bool = True) -> list[object]:
    url = spider.channel.preview_url
    request = Request(url, meta={"monitor_start": start, "monitor_url": url})
    return results(spider.parse(reply(request, body, status=status, headers=HTML)))


def test_a_post_is_read_with_its_date_text_links_forwarded_header_reply_and_link_preview():
    when = datetime(2026, 5, 4, 9, 15, tzinfo=UTC)
    share = LinkPreview("https://news.example/2026/05/04/verdict", "News Example", "Verdict in Minsk",
                        "The court announced its verdict.")
    page = read_channel(_page([
        ChannelPost(7, 'Court: <b>Maria Kalesnikava</b> <a href="https://news.example/2026/05/04/verdict">read</a>'
                       '<br>second line <a href="?q=%23Belarus">#Belarus</a>', when, forwarded_from="Belsat News",
                    reply=("Viasna (test)", "Yesterday: hearing postponed"), preview=share),
    ]), CHANNEL, "tg")
    assert page.kind == "channel"
    assert page.title == "Viasna (test)"
    (post,) = page.posts
    assert post.url == "http://127.0.0.1:8081/viasna_test/7"
    assert post.published == when
    assert post.source == "tg"
    assert post.channel == "Viasna (test)"
    assert post.forwarded_from == "Belsat News"
    assert post.reply_to == "Viasna (test): Yesterday: hearing postponed"
    assert (post.link_url, post.link_title, post.link_description) == (share.url, share.title, share.description)
    assert "Maria Kalesnikava" in post.html
    assert "Yesterday" not in post.html, "the quoted reply is context, not the post's text"


def test_posts_come_newest_first_service_notices_are_skipped_and_the_older_page_is_found():
    body = _page(_posts(3, 6), before=3).replace(
        "</section>", '<div class="tgme_widget_message service_message" data-post="viasna_test/9">'
                      '<div class="tgme_widget_message_text">Channel photo updated</div></div></section>')
    page = read_channel(body, CHANNEL)
    assert page.ids == [6, 5, 4, 3]
    assert [p.url.rsplit("/", 1)[1] for p in page.posts] == ["6", "5", "4", "3"]
    assert page.before == 3


@pytest.mark.parametrize(("body", "kind"), [
    (channel_page("viasna_test", "Viasna (test)", []), "channel"),  # a channel without posts yet
    (contact_page("viasna_test"), "missing"),  # t.me's card for a name nobody has
    (contact_page("viasna_test", "A private channel"), "no_preview"),  # exists, but no public preview
    ("<html><body><section class='tgme_channel_history'>" + "<p>Posts in a markup we do not know.</p>" * 20
     + "</section></body></html>", "unexpected"),
    ("<html><body><h1>Shop</h1><p>Buy now</p></body></html>", "unexpected"),
    ("", "unexpected"),
])
def test_a_page_without_posts_says_what_it_is(body, kind):
    assert read_channel(body, CHANNEL).kind == kind


def test_renamed_text_blocks_are_still_read_from_the_bubble_without_its_furniture():
    body = _page([ChannelPost(4, "Viktar Babaryka was moved to hospital.", NOW)])
    body = body.replace("tgme_widget_message_text js-message_text", "tgme_widget_message_caption_v2")
    page = read_channel(body, CHANNEL)
    (post,) = page.posts
    assert page.textless_layout == 1
    assert "Viktar Babaryka was moved to hospital." in post.html
    assert "1.2K" not in post.html
    assert "views" not in post.html


def test_a_t_me_channel_is_read_from_its_preview_and_its_posts_are_t_me_addresses():
    spider = make_spider(TelegramSpider, url="https://telegram.me/Viasna_Test", type="telegram")
    (request,) = results(spider.start())
    assert request.url == "https://t.me/s/Viasna_Test"
    assert 404 in request.meta["handle_httpstatus_list"]
    posts = results(spider.parse(reply(request, channel_page("Viasna_Test", "V", _posts(1, 2)), headers=HTML)))
    assert [p.url for p in posts] == ["https://t.me/Viasna_Test/2", "https://t.me/Viasna_Test/1"]


def test_first_run_reads_older_pages_while_posts_are_within_backfill():
    spider = make_spider(TelegramSpider, url=LOOPBACK, type="telegram", backfill=6 * 3600.0)
    out = _run(spider, _page(_posts(21, 40, hours_apart=0.25), before=21))  # 40..21: the last 5 hours
    older = [r for r in out if isinstance(r, Request)]
    assert [r.url for r in older] == [f"{LOOPBACK}?before=21"]
    assert len([p for p in out if isinstance(p, Post)]) == 20
    # The second page reaches past six hours: no third.
    out = _run(spider, _page(_posts(1, 20, hours_apart=0.25, newest_ago=5.25), before=1), start=False)
    assert not [r for r in out if isinstance(r, Request)]
    assert spider.state.cursor(LOOPBACK) == "40"


def test_later_runs_read_back_to_the_newest_post_of_the_last_run_and_no_further():
    state = MemoryCrawlState()
    state.advance_cursor(LOOPBACK, "25")
    spider = make_spider(TelegramSpider, url=LOOPBACK, type="telegram", state=state)
    older = [r for r in _run(spider, _page(_posts(30, 49), before=30)) if isinstance(r, Request)]
    assert [r.url for r in older] == [f"{LOOPBACK}?before=30"]
    assert state.cursor(LOOPBACK) == "49"
    spider = make_spider(TelegramSpider, url=LOOPBACK, type="telegram", state=state)
    assert not [r for r in _run(spider, _page(_posts(40, 59), before=40)) if isinstance(r, Request)]


def test_max_items_caps_the_posts_a_run_takes():
    spider = make_spider(TelegramSpider, url=LOOPBACK, type="telegram", extra={"max_items": 5})
    out = _run(spider, _page(_posts(1, 20, hours_apart=0.01), before=1))
    assert len([p for p in out if isinstance(p, Post)]) == 5
    assert not [r for r in out if isinstance(r, Request)]
    assert stats(spider)["monitor/truncated"] == 15


def test_a_missing_channel_is_the_runs_error_in_words():
    spider = make_spider(TelegramSpider, url=LOOPBACK, type="telegram")
    assert _run(spider, "not found", status=404) == []
    recorded = stats(spider)
    assert recorded["monitor/rejected/channel_missing"] == 1
    assert recorded["monitor/source_error"].startswith("Telegram @viasna_test: no such public channel")


def test_an_unexpected_layout_is_the_runs_error_and_yields_nothing():
    spider = make_spider(TelegramSpider, url=LOOPBACK, type="telegram")
    assert _run(spider, "<html><body><main><p>We moved things around.</p></main></body></html>") == []
    recorded = stats(spider)
    assert recorded["monitor/rejected/telegram_layout"] == 1
    assert "unexpected layout" in recorded["monitor/source_error"]
    assert spider.state.cursor(LOOPBACK) is None


def test_a_post_link_or_invite_link_is_not_a_channel():
    assert telegram_channel("https://t.me/viasna_test/123") is None
    assert telegram_channel("https://t.me/+AbCdEf123") is None
    assert telegram_channel("https://t.me/joinchat/AbCdEf") is None
    assert telegram_channel("https://example.org/news/today") is None
    assert telegram_channel("https://t.me/s/viasna_test").address == "https://t.me/viasna_test"
    assert telegram_channel("http://127.0.0.1:9/s/viasna_test").preview_url == "http://127.0.0.1:9/s/viasna_test"


def test_the_pages_own_older_link_is_followed_and_links_inside_posts_are_not_taken_for_it():
    posts = _posts(101, 120, hours_apart=0.01)
    posts[5] = ChannelPost(106, 'See <a href="/s/other_channel?before=3">their archive</a>', NOW)
    body = _page(posts).replace('<section class="tgme_channel_history js-message_history">',
                                '<section class="tgme_channel_history js-message_history">'
                                '<a class="tme_messages_more" href="/s/viasna_test?before=100" data-before="100"></a>')
    assert read_channel(body, CHANNEL).before == 100
    spider = make_spider(TelegramSpider, url=LOOPBACK, type="telegram")
    older = [r for r in _run(spider, body) if isinstance(r, Request)]
    assert [r.url for r in older] == [f"{LOOPBACK}?before=100"]
    assert read_channel(_page(posts), CHANNEL).before is None, "no link: the start of the channel"


def test_a_forwarded_name_inside_a_wrapper_with_the_words_is_read_alone():
    body = _page([ChannelPost(8, "Statement.", NOW)]).replace(
        '<div class="tgme_widget_message_text js-message_text"',
        '<div class="tgme_widget_message_forwarded_from"><span class="tgme_widget_message_forwarded_from_name_wrap">'
        'Forwarded from <a class="tgme_widget_message_forwarded_from_name" href="https://t.me/x/1">Belsat News</a>'
        '</span></div><div class="tgme_widget_message_text js-message_text"')
    (post,) = read_channel(body, CHANNEL).posts
    assert post.forwarded_from == "Belsat News"


def test_a_photo_without_caption_among_captioned_posts_has_no_text_and_no_fallback():
    body = _page([ChannelPost(8, "Statement.", NOW), ChannelPost(9, "", NOW)]).replace(
        '<div class="tgme_widget_message_footer', '<div class="message_media_not_supported"><div '
        'class="message_media_not_supported_label">Please open Telegram to view this post</div></div>'
        '<div class="tgme_widget_message_footer', 1)
    page = read_channel(body, CHANNEL)
    assert [p.html for p in page.posts] == ["", "Statement."]
    assert page.textless_layout == 0
