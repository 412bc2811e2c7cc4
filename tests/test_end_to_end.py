"""The whole pipeline, as users run it: `monitor run --once` against a loopback news site, a real SMTP
server receiving what apprise sends, and a real SQLite file."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from tests.daemon_process import WATCHED, belarus_page, run_once, write_config
from tests.receivers import SmtpSink, body_text
from tests.servers import NewsSite, article_html, rss_feed


@pytest.fixture
def site_with_feed():
    now = datetime.now(UTC).replace(microsecond=0)
    with NewsSite() as site:
        site.add_page("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
        site.add_page("/news/belarus-prisoners.html", belarus_page(site.url(), now - timedelta(hours=2)))
        site.add_page("/news/weather.html", article_html(
            "Snow expected in Minsk", "Heavy snow is expected across Minsk from Saturday morning, forecasters "
            "said on Thursday. Drivers are advised to avoid unnecessary journeys and to check the state of the "
            "roads before setting off, and public transport is expected to run to its normal timetable for "
            "most of the weekend.", published=now - timedelta(hours=3)))
        entries = [("/news/belarus-prisoners.html", "Belarus frees 123 political prisoners", now - timedelta(hours=2)),
                   ("/news/weather.html", "Snow expected in Minsk", now - timedelta(hours=3))]
        site.add_page("/feed.xml", rss_feed(site.url(), entries), content_type="application/rss+xml")
        site.entries = entries  # type: ignore[attr-defined]
        yield site


def test_one_cycle_sends_one_email_then_nothing_then_one_more_for_a_new_story(tmp_path, site_with_feed):
    site = site_with_feed
    with SmtpSink() as smtp:
        config = write_config(tmp_path, [("loopback-news", site.url("/feed.xml"), "feed")], [smtp.url()])

        result = run_once(config)
        assert result.returncode == 0, result.stderr
        assert len(smtp.messages) == 1, result.stderr
        (message,) = smtp.messages
        subject, text = str(message["Subject"]), body_text(message)
        for name in WATCHED:
            assert name in subject
        for spelling in ("Maryja Kalesnikawa", "Ales Bjaljazki", "Viktor Babariko", "Nikolai Statkevich"):
            assert spelling in text
        assert site.url("/news/belarus-prisoners.html") in text
        assert "Belarus frees 123 political prisoners" in subject

        result = run_once(config)
        assert result.returncode == 0, result.stderr
        assert len(smtp.messages) == 1, "a second cycle over the same news must not alert again"

        now = datetime.now(UTC).replace(microsecond=0)
        site.add_page("/news/statkevich-hearing.html", article_html(
            "Statkevich appears in court", "Opposition politician Mikalai Statkevich appeared in court in Minsk on "
            "Tuesday, his lawyer said, in a hearing that was closed to the press and to his family. The veteran "
            "politician, who has spent most of the past fifteen years in prison, looked thin but spoke clearly, "
            "according to people who saw him arrive at the courthouse.", published=now))
        site.add_page("/feed.xml", rss_feed(site.url(), [("/news/statkevich-hearing.html", "Statkevich in court", now),
                                                         *site.entries]), content_type="application/rss+xml")
        result = run_once(config)
        assert result.returncode == 0, result.stderr
        assert len(smtp.messages) == 2, result.stderr
        second = smtp.messages[1]
        assert "Mikalai Statkevich" in str(second["Subject"])
        assert "Statkevich appears in court" in str(second["Subject"])

    db = sqlite3.connect(tmp_path / "monitor.db")
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 3
    assert db.execute("SELECT count(*) FROM alerts").fetchone()[0] == 2
    assert db.execute("SELECT count(*) FROM deliveries WHERE status = 'sent'").fetchone()[0] == 2
    assert db.execute("SELECT journal_mode FROM pragma_journal_mode").fetchone()[0] == "wal"
    # The unrelated article was cleaned and stored, and the related-links block did not make it a hit.
    assert db.execute("SELECT count(*) FROM hits h JOIN articles a ON a.url = h.article_url "
                      "WHERE a.title LIKE 'Snow%'").fetchone()[0] == 0
    # Known articles were not fetched again on the second and third cycles.
    assert site.count("/news/belarus-prisoners.html") == 1
