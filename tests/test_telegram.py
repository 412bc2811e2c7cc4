"""Telegram channels end to end: `monitor run --once` reads a channel's web preview, served on 127.0.0.1 from
pages written in its structure (tests/telegram_pages.py), and a real SMTP server receives the alerts."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.daemon_process import monitor, run_once, write_config
from tests.receivers import SmtpSink, body_text
from tests.servers import NewsSite, article_html, rss_feed
from tests.telegram_pages import ChannelPost, LinkPreview, channel_page, contact_page, serve_channel

NOW = datetime.now(UTC).replace(microsecond=0)
CHANNEL, TITLE = "viasna_test", "Viasna (test channel)"


def _post(number: int, text: str | None = None, minutes_ago: float = 0, **extra: object) -> ChannelPost:
    return ChannelPost(number, text or f"Notice {number}: the office is open from nine to five on weekdays.",
                       NOW - timedelta(minutes=minutes_ago), **extra)  # type: ignore[arg-type]


def _db(folder: Path) -> sqlite3.Connection:
    return sqlite3.connect(folder / "monitor.db")


def _source_row(folder: Path, name: str) -> tuple[str, str]:
    return _db(folder).execute("SELECT last_status, last_error FROM sources WHERE name = ?", [name]).fetchone()


@pytest.fixture
def site():
    with NewsSite() as news_site:
        yield news_site


def test_first_run_reads_back_as_far_as_backfill_and_alerts_only_recent_posts(tmp_path, site):
    # Sixty posts, one every 45 minutes: the newest page (41-60) spans 14 hours, the second (21-40) reaches
    # 29 hours back, past the default backfill of one day, so the third page (1-20) is never needed.
    posts = [_post(i, minutes_ago=(60 - i) * 45) for i in range(1, 61)]
    posts[50 - 1] = _post(50, "Суд у Мінску: Марыя Калеснікава атрымала яшчэ год.<br>Падрабязнасці пазней.", 10 * 45)
    posts[35 - 1] = _post(35, 'Ales Bialiatski was moved to <a href="https://example.org/colony">another colony</a>.',
                          25 * 45)
    posts[25 - 1] = _post(25, "Lawyers of Viktar Babaryka were not admitted again.", 35 * 45)
    posts[5 - 1] = _post(5, "Mikalai Statkevich: no news for a year.", 55 * 45)
    paths = serve_channel(site, CHANNEL, TITLE, posts)
    with SmtpSink() as smtp:
        config = write_config(tmp_path, [("tg-viasna", site.url(f"/s/{CHANNEL}"), "telegram")], [smtp.url()])
        result = run_once(config)
        assert result.returncode == 0, result.stderr
        subjects = sorted(str(m["Subject"]) for m in smtp.messages)
        assert len(subjects) == 2, subjects
        assert "Ales Bialiatski" in subjects[0]
        assert "Maria Kalesnikava" in subjects[1]
        kalesnikava = next(m for m in smtp.messages if "Kalesnikava" in str(m["Subject"]))
        text = body_text(kalesnikava)
        assert TITLE in text
        assert site.url(f"/{CHANNEL}/50") in text
        assert "Марыя Калеснікава" in text
        assert (NOW - timedelta(minutes=450)).strftime("%Y-%m-%d %H:%M") in text
    assert site.count(paths[0]) == 1
    assert site.count(paths[1]) == 1
    assert site.count(paths[2]) == 0, "the page older than backfill must not be fetched"
    db = _db(tmp_path)
    stored = {row[0] for row in db.execute("SELECT url FROM articles WHERE kind = 'post'")}
    assert stored == {site.url(f"/{CHANNEL}/{i}") for i in range(21, 61)}
    # Babaryka's post is older than backfill: recorded with its hit, never alerted.
    assert db.execute("SELECT count(*) FROM hits WHERE term = 'Viktar Babaryka'").fetchone()[0] >= 1
    assert db.execute("SELECT count(*) FROM alerts WHERE terms LIKE '%Babaryka%'").fetchone()[0] == 0
    assert db.execute("SELECT value FROM cursors").fetchone()[0] == "60"
    assert _source_row(tmp_path, "tg-viasna") == ("ok", None)


def test_a_new_post_alerts_once_and_a_busy_hour_is_read_back_to_the_last_post_seen(tmp_path, site):
    posts = [_post(i, minutes_ago=(30 - i) * 60) for i in range(1, 31)]
    paths = serve_channel(site, CHANNEL, TITLE, posts)
    with SmtpSink() as smtp:
        config = write_config(tmp_path, [("tg-viasna", site.url(f"/s/{CHANNEL}"), "telegram")], [smtp.url()])
        assert run_once(config).returncode == 0
        assert smtp.messages == []
        # 25 new posts since: the one naming Kalesnikava is on the second page of the preview now.
        posts += [_post(i, minutes_ago=(56 - i)) for i in range(31, 56)]
        posts[33 - 1] = _post(33, "Maria Kalesnikava's father was allowed a visit.", 56 - 33)
        site.clear_requests()
        paths = serve_channel(site, CHANNEL, TITLE, posts)
        result = run_once(config)
        assert result.returncode == 0, result.stderr
        assert [str(m["Subject"]) for m in smtp.messages] == [
            "Maria Kalesnikava: Maria Kalesnikava's father was allowed a visit."]
        assert site.count(paths[1]) == 1, "the second page holds posts not seen yet"
        assert site.count(paths[2]) == 0, "the third page was read on the first run"
        site.clear_requests()
        assert run_once(config).returncode == 0
        assert len(smtp.messages) == 1, "nothing new: no second alert"
        assert site.count(paths[0]) == 1
        assert site.count(paths[1]) == 0
    assert _db(tmp_path).execute("SELECT value FROM cursors").fetchone()[0] == "55"


def test_an_edited_post_is_an_update_and_alerts_for_the_name_it_adds_once(tmp_path, site):
    posts = [_post(1, minutes_ago=90), _post(2, "Court hearing in Minsk today; the defendant's name is withheld.", 60)]
    serve_channel(site, CHANNEL, TITLE, posts)
    with SmtpSink() as smtp:
        config = write_config(tmp_path, [("tg-viasna", site.url(f"/s/{CHANNEL}"), "telegram")], [smtp.url()])
        assert run_once(config).returncode == 0
        assert smtp.messages == []
        posts[1] = _post(2, "Court hearing in Minsk today: Mikalai Statkevich is the defendant.", 60, edited=True)
        serve_channel(site, CHANNEL, TITLE, posts)
        result = run_once(config)
        assert result.returncode == 0, result.stderr
        assert "1 changed articles" in result.stderr
        assert len(smtp.messages) == 1
        assert "Mikalai Statkevich" in str(smtp.messages[0]["Subject"])
        # A second edit that names no one new is stored, and alerts no one again.
        posts[1] = _post(2, "Court hearing in Minsk today: Mikalai Statkevich is the defendant (updated).", 60,
                         edited=True)
        serve_channel(site, CHANNEL, TITLE, posts)
        assert run_once(config).returncode == 0
        assert len(smtp.messages) == 1
    text = _db(tmp_path).execute("SELECT text FROM articles WHERE url = ?", [site.url(f"/{CHANNEL}/2")]).fetchone()[0]
    assert text.endswith("(updated).")


def test_a_post_and_the_website_article_it_shares_are_one_story(tmp_path, site):
    article = "/news/2026/bialiatski-transferred.html"
    body = ("Human rights defender Ales Bialiatski has been transferred to a prison in Hlybokaye, his wife said on "
            "Monday. The Nobel Peace Prize laureate, who is serving a ten-year sentence, had been held in the same "
            "colony since his conviction, and his family learned of the transfer only from a letter.")
    share = LinkPreview(site.url(article), "Example News", "Bialiatski transferred to Hlybokaye prison",
                        "Human rights defender Ales Bialiatski has been transferred to a prison in Hlybokaye.")
    serve_channel(site, CHANNEL, TITLE, [_post(1, minutes_ago=120),
                                         _post(2, "Алеся Бяляцкага перавезлі ў турму ў Глыбокім.", 30, preview=share)])
    site.add_page("/feed.xml", rss_feed(site.url(), []), content_type="application/rss+xml")
    with SmtpSink() as smtp:
        config = write_config(tmp_path, [("tg-viasna", site.url(f"/s/{CHANNEL}"), "telegram"),
                                         ("example-news", site.url("/feed.xml"), "feed")], [smtp.url()])
        assert run_once(config).returncode == 0
        assert len(smtp.messages) == 1, "the post alerts first"
        # The website publishes the article an hour later: the same story, no second alert.
        site.add_page(article, article_html("Bialiatski transferred to Hlybokaye prison", body, published=NOW))
        site.add_page("/feed.xml", rss_feed(site.url(), [(article, "Bialiatski transferred", NOW)]),
                      content_type="application/rss+xml")
        result = run_once(config)
        assert result.returncode == 0, result.stderr
        assert len(smtp.messages) == 1, "the article is the post's story: no second alert"
        # A later post sharing the same article joins its story too.
        serve_channel(site, CHANNEL, TITLE, [
            _post(1, minutes_ago=120), _post(2, "Алеся Бяляцкага перавезлі ў турму ў Глыбокім.", 30, preview=share),
            _post(3, "Ales Bialiatski: his wife confirms the transfer.", 5, preview=share)])
        assert run_once(config).returncode == 0
        assert len(smtp.messages) == 1
    stories = _db(tmp_path).execute("SELECT DISTINCT story FROM articles WHERE url IN (?, ?, ?)", [
        site.url(f"/{CHANNEL}/2"), site.url(article), site.url(f"/{CHANNEL}/3")]).fetchall()
    assert len(stories) == 1


def test_a_post_quoted_in_a_later_website_article_is_one_story_and_other_news_alerts(tmp_path, site):
    quoted = ("The Minsk city court sentenced Maria Kalesnikava in absentia to another three years on Tuesday, on "
              "a charge of insulting the president, her lawyer told journalists outside the courtroom.")
    article = "/news/2026/kalesnikava-new-sentence.html"
    body = (f"{quoted}\n\nThe hearing lasted less than an hour and was closed to the press. Kalesnikava, who was "
            "released last year and left the country, called the verdict absurd in a message to supporters. Her "
            "sister said the family had not been told of the hearing in advance, and that the case had been opened "
            "months ago without any notice. Rights groups counted it among dozens of such trials this year.")
    other = "/news/2026/kalesnikava-concert.html"
    other_body = ("Maria Kalesnikava played the flute in public for the first time in five years at a concert in "
                  "Vilnius on Sunday evening, to an audience of several hundred people who stood to applaud her.")
    serve_channel(site, CHANNEL, TITLE, [_post(1, minutes_ago=120), _post(2, quoted, 20)])
    site.add_page("/feed.xml", rss_feed(site.url(), []), content_type="application/rss+xml")
    with SmtpSink() as smtp:
        config = write_config(tmp_path, [("tg-viasna", site.url(f"/s/{CHANNEL}"), "telegram"),
                                         ("example-news", site.url("/feed.xml"), "feed")], [smtp.url()])
        assert run_once(config).returncode == 0
        assert len(smtp.messages) == 1, "the post alerts first"
        site.add_page(article, article_html("Kalesnikava sentenced again", body, published=NOW))
        site.add_page(other, article_html("Kalesnikava plays in Vilnius", other_body, published=NOW))
        site.add_page("/feed.xml", rss_feed(site.url(), [(article, "Kalesnikava sentenced again", NOW),
                                                        (other, "Kalesnikava plays in Vilnius", NOW)]),
                      content_type="application/rss+xml")
        result = run_once(config)
        assert result.returncode == 0, result.stderr
        subjects = [str(m["Subject"]) for m in smtp.messages]
    assert len(subjects) == 2, subjects
    assert "Kalesnikava plays in Vilnius" in subjects[1], "other news about the same person alerts"
    db = _db(tmp_path)
    post_story, = db.execute("SELECT story FROM articles WHERE url = ?", [site.url(f"/{CHANNEL}/2")]).fetchone()
    assert db.execute("SELECT story FROM articles WHERE url = ?", [site.url(article)]).fetchone()[0] == post_story
    assert db.execute("SELECT story FROM articles WHERE url = ?", [site.url(other)]).fetchone()[0] != post_story


def test_missing_private_and_moved_channels_are_reported_in_status_while_others_run(tmp_path, site):
    site.add_page("/s/private_chan", contact_page("private_chan", "A private channel"))  # exists, no preview
    site.add_redirect("/s/gone_chan", "/gone_chan", status=302)
    site.add_page("/gone_chan", contact_page("gone_chan"))  # t.me's answer for a name nobody has
    serve_channel(site, CHANNEL, TITLE, [_post(1, "Viktar Babaryka was seen in court.", 10)])
    with SmtpSink() as smtp:
        config = write_config(tmp_path, [("tg-missing", site.url("/s/nobody_here"), "telegram"),
                                         ("tg-private", site.url("/s/private_chan"), "telegram"),
                                         ("tg-gone", site.url("/s/gone_chan"), "telegram"),
                                         ("tg-viasna", site.url(f"/s/{CHANNEL}"), "telegram")], [smtp.url()])
        result = run_once(config)
        assert result.returncode == 0, result.stderr
        assert len(smtp.messages) == 1
        assert "Viktar Babaryka" in str(smtp.messages[0]["Subject"])
    assert _source_row(tmp_path, "tg-missing") == (
        "error", f"Telegram @nobody_here: no such public channel ({site.url('/s/nobody_here')} answered HTTP 404)")
    status, error = _source_row(tmp_path, "tg-private")
    assert status == "error"
    assert error.startswith("Telegram @private_chan: no public preview (the channel is private")
    status, error = _source_row(tmp_path, "tg-gone")
    assert status == "error"
    assert error.startswith("Telegram @gone_chan: no such public channel")
    assert _source_row(tmp_path, "tg-viasna") == ("ok", None)
    report = monitor(config, "status").stdout
    assert "error: Telegram @nobody_here: no such pub" in report
    assert "error: Telegram @private_chan: no public" in report


def test_a_channel_page_in_an_unexpected_layout_is_reported_and_nothing_crashes(tmp_path, site):
    # The posts are there, but in markup this reader does not know (no data-post containers).
    site.add_page("/s/redesigned", "<!doctype html><html><head><title>Redesigned – Telegram</title></head><body>"
                  "<section class='tgme_channel_history'>" + "".join(
                      f"<article class='msg' id='m{i}'><p>Maria Kalesnikava news item {i} with some words.</p>"
                      f"<time datetime='{NOW.isoformat()}'>now</time></article>" for i in range(5))
                  + "</section></body></html>")
    site.add_page("/s/not_telegram", "<!doctype html><html><body><h1>Welcome to our shop</h1><p>Buy now.</p></body>"
                  "</html>")
    site.add_page("/s/binary_chan", b"\x89PNG\r\n\x1a\n" + b"\x00" * 2000, content_type="text/html")
    # Posts whose containers survive but hold nothing readable: no text block, no date, no preview.
    site.add_page("/s/hollow_chan", channel_page("hollow_chan", "Hollow", []).replace(
        "</section>", "".join(f'<div data-post="hollow_chan/{i}"></div>' for i in range(1, 4)) + "</section>"))
    site.add_page("/news/ok.html", article_html("Statkevich hearing", "Opposition politician Mikalai Statkevich "
                  "appeared in court in Minsk on Tuesday, his lawyer said, in a hearing closed to the press and to his "
                  "family, who waited outside the courthouse for several hours.", published=NOW))
    site.add_page("/feed.xml", rss_feed(site.url(), [("/news/ok.html", "Statkevich hearing", NOW)]),
                  content_type="application/rss+xml")
    broken = ("redesigned", "not_telegram", "binary_chan", "hollow_chan")
    with SmtpSink() as smtp:
        config = write_config(tmp_path, [*((f"tg-{n}", site.url(f"/s/{n}"), "telegram") for n in broken),
                                         ("example-news", site.url("/feed.xml"), "feed")], [smtp.url()])
        result = run_once(config)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        assert len(smtp.messages) == 1
        assert "Mikalai Statkevich" in str(smtp.messages[0]["Subject"])
    for name in ("redesigned", "not_telegram", "hollow_chan"):
        status, error = _source_row(tmp_path, f"tg-{name}")
        assert status == "error"
        assert error.startswith(f"Telegram @{name}: the preview page at ")
        assert "unexpected layout" in error
    status, error = _source_row(tmp_path, "tg-binary_chan")
    assert status == "error"
    assert "empty, too large or not HTML" in error
    assert _source_row(tmp_path, "example-news") == ("ok", None)
    assert _db(tmp_path).execute("SELECT count(*) FROM articles WHERE kind = 'post'").fetchone()[0] == 0
