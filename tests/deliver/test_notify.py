"""Sending from the outbox through apprise to a real SMTP server and a real webhook on loopback."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from monitor.deliver.notify import Dispatcher, backoff, watch_targets
from monitor.models import Article, Hit, Watchlist
from monitor.store import Store, utcnow
from tests.receivers import SmtpSink, WebhookSink, body_html, body_text


def _save(store: Store, urls: tuple[str, ...], title: str = "Belarus frees prisoners <b>now</b>") -> None:
    article = Article(url="https://news.example/a", title=title, text="…", source="news-example",
                      published=datetime(2026, 11, 24, tzinfo=UTC))
    hit = Hit("prisoners", "Maria Kalesnikava", "Maryja Kalesnikawa", "text", 0, 18,
              "figures like Maryja Kalesnikawa, Ales", "transliteration")
    store.save_article(article, "h", "s", [hit], alertable=True, targets={"prisoners": urls})


def _dispatcher(store: Store, urls: tuple[str, ...], **kwargs) -> Dispatcher:
    watchlists = (Watchlist("prisoners", notify=urls),)
    return Dispatcher(store, lambda: watch_targets(watchlists), **kwargs)


def test_email_has_html_and_text_parts_and_is_sent_once(tmp_path):
    store = Store(tmp_path / "m.db")
    with SmtpSink() as smtp:
        _save(store, (smtp.url(),))
        dispatcher = _dispatcher(store, (smtp.url(),))
        assert asyncio.run(dispatcher.send_due()) == 1
        assert asyncio.run(dispatcher.send_due()) == 0
        (message,) = smtp.messages
    assert message["Subject"] == "Maria Kalesnikava: Belarus frees prisoners <b>now</b>"
    assert "Maryja Kalesnikawa" in body_text(message)
    assert "https://news.example/a" in body_text(message)
    assert "&lt;b&gt;now&lt;/b&gt;" in body_html(message)
    assert store.query("SELECT status FROM deliveries")[0]["status"] == "sent"


def test_webhook_down_then_up_delivers_exactly_once(tmp_path):
    store = Store(tmp_path / "m.db")
    with WebhookSink() as hook:
        hook.status = 500
        _save(store, (hook.url(),))
        dispatcher = _dispatcher(store, (hook.url(),), retry_first=0.0)
        for _ in range(3):
            assert asyncio.run(dispatcher.send_due()) == 0
        row = store.query("SELECT status, attempts, last_error FROM deliveries")[0]
        assert row["status"] == "pending"
        assert row["attempts"] == 3
        assert "FAILURE" in row["last_error"]
        hook.status = 200
        assert asyncio.run(dispatcher.send_due()) == 1
        assert asyncio.run(dispatcher.send_due()) == 0
    assert len(hook.posts) == 1
    assert "Maria Kalesnikava" in hook.posts[0]["title"]
    assert "Maryja Kalesnikawa" in hook.posts[0]["message"]


def test_failed_delivery_waits_its_backoff_before_the_next_try(tmp_path):
    """A failure is not retried at the next poll: next_try lies ahead, and grows with each failure."""
    first = 60.0
    store = Store(tmp_path / "m.db")
    with WebhookSink() as hook:
        hook.status = 500
        _save(store, (hook.url(),))
        dispatcher = _dispatcher(store, (hook.url(),), retry_first=first)
        gaps, now = [], utcnow()
        for attempt in (1, 2, 3):
            failed_at = utcnow()
            assert asyncio.run(dispatcher.send_due(now)) == 0
            assert hook.requests == attempt
            next_try = datetime.fromisoformat(store.query("SELECT next_try FROM deliveries")[0]["next_try"])
            gap = (next_try - failed_at).total_seconds()
            # exponential with ±50% jitter: attempt n waits first·2^(n-1)·[0.5, 1.5]
            assert 0.5 * first * 2 ** (attempt - 1) - 1 <= gap <= 1.5 * first * 2 ** (attempt - 1) + 1
            gaps.append(gap)
            # polled again right away (and up to just before next_try): nothing is posted
            assert asyncio.run(dispatcher.send_due()) == 0
            assert asyncio.run(dispatcher.send_due(next_try - timedelta(seconds=1))) == 0
            assert hook.requests == attempt
            now = next_try  # the delay has passed
        assert gaps[2] > gaps[0]
        hook.status = 200
        assert asyncio.run(dispatcher.send_due(now - timedelta(seconds=1))) == 0
        assert asyncio.run(dispatcher.send_due(now)) == 1
        assert asyncio.run(dispatcher.send_due(now + timedelta(hours=2))) == 0
    assert len(hook.posts) == 1
    assert store.query("SELECT status, attempts FROM deliveries")[0] == {"status": "sent", "attempts": 4}


def test_delivery_is_given_up_after_retry_window_and_reported(tmp_path):
    store = Store(tmp_path / "m.db")
    given_up = []
    with WebhookSink() as hook:
        hook.status = 503
        _save(store, (hook.url(),))
        dispatcher = _dispatcher(store, (hook.url(),), retry_first=0.0, retry_for=0.0, on_given_up=given_up.append)
        asyncio.run(dispatcher.send_due())
    assert store.query("SELECT status FROM deliveries")[0]["status"] == "failed"
    assert len(given_up) == 1
    assert hook.posts == []


def test_destination_removed_from_config_is_not_sent_anywhere(tmp_path):
    store = Store(tmp_path / "m.db")
    with WebhookSink() as hook:
        _save(store, (hook.url(),))
        dispatcher = _dispatcher(store, ())
        asyncio.run(dispatcher.send_due())
    row = store.query("SELECT status, last_error FROM deliveries")[0]
    assert row["status"] == "failed"
    assert "no longer in config" in row["last_error"]
    assert hook.posts == []


@pytest.mark.parametrize("attempts", [1, 2, 5, 20])
def test_backoff_grows_and_is_capped(attempts):
    delays = [backoff(attempts, first=10, cap=100) for _ in range(50)]
    expected = min(100, 10 * 2 ** (attempts - 1))
    assert all(0.5 * expected <= d <= 1.5 * expected for d in delays)
    assert len(set(delays)) > 1  # jittered


def _save_story(store: Store, n: int, urls: tuple[str, ...], *, mode: str = "instant", limit: int | None = None,
                term: str = "Maria Kalesnikava", story: str | None = None) -> list:
    article = Article(url=f"https://news.example/{n}", title=f"Story {n}", text="…", source=f"site-{n}",
                      published=datetime(2026, 11, 24, tzinfo=UTC))
    hit = Hit("prisoners", term, term, "text", 0, len(term), f"context {n} {term}", "exact")
    return store.save_article(article, f"h{n}", story or f"story-{n}", [hit], alertable=True,
                              targets={"prisoners": urls}, modes={"prisoners": mode}, limits={"prisoners": limit})


def test_digest_mode_sends_one_message_with_every_story(tmp_path):
    store = Store(tmp_path / "m.db")
    with SmtpSink() as smtp:
        for n in range(3):
            _save_story(store, n, (smtp.url(),), mode="digest")
        dispatcher = _dispatcher(store, (smtp.url(),))
        assert asyncio.run(dispatcher.send_due()) == 0  # nothing instant
        assert asyncio.run(dispatcher.send_digest("prisoners")) == 3
        assert asyncio.run(dispatcher.send_digest("prisoners")) == 0
        (message,) = smtp.messages
    assert "3 stories" in str(message["Subject"])
    assert all(f"https://news.example/{n}" in body_text(message) for n in range(3))


def test_rate_limit_folds_extra_alerts_into_the_digest_instead_of_dropping_them(tmp_path):
    store = Store(tmp_path / "m.db")
    with WebhookSink() as hook:
        for n in range(5):
            _save_story(store, n, (hook.url(),), limit=2)
        dispatcher = _dispatcher(store, (hook.url(),))
        assert asyncio.run(dispatcher.send_due()) == 2
        assert asyncio.run(dispatcher.send_digest("prisoners")) == 3
    assert len(hook.posts) == 3
    assert "3 stories" in hook.posts[2]["title"]
    assert store.query("SELECT count(*) AS n FROM deliveries WHERE status = 'sent'")[0]["n"] == 5


def test_digest_lists_a_story_once_with_names_from_its_later_alert(tmp_path):
    store = Store(tmp_path / "m.db")
    with WebhookSink() as hook:
        _save_story(store, 1, (hook.url(),), mode="digest", story="same")
        _save_story(store, 2, (hook.url(),), mode="digest", story="same", term="Ales Bialiatski")
        assert asyncio.run(_dispatcher(store, (hook.url(),)).send_digest("prisoners")) == 1
    (post,) = hook.posts
    assert "1 story" in post["title"]
    assert "Maria Kalesnikava" in post["title"]
    assert "Ales Bialiatski" in post["title"]


def test_apprise_config_file_with_tags_selects_the_tagged_service(tmp_path):
    store = Store(tmp_path / "m.db")
    with WebhookSink() as desk, WebhookSink() as other:
        config_file = tmp_path / "apprise.yml"
        config_file.write_text(f"urls:\n  - {desk.url()}:\n    - tag: desk\n  - {other.url()}:\n    - tag: other\n")
        watchlist = Watchlist("prisoners", notify_config=str(config_file), notify_tags=("desk",))
        from monitor.deliver.notify import destinations

        _save(store, destinations(watchlist))
        dispatcher = Dispatcher(store, lambda: watch_targets((watchlist,)))
        assert asyncio.run(dispatcher.send_due()) == 1
    assert len(desk.posts) == 1
    assert other.posts == []
    assert "Maria Kalesnikava" in desk.posts[0]["title"]
