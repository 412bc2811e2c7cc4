"""Promises users rely on when they leave the daemon running for months, each tested with a real daemon
process, a real SMTP server and a loopback news site: no alert lost or sent twice (outages, kill -9),
clean stops, safe config edits, health reports, no listening sockets, no secrets in output."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psutil
import pytest

from tests.daemon_process import DaemonProcess, belarus_page, monitor, run_once, write_config
from tests.receivers import SmtpSink, WebhookSink, free_port, wait_until
from tests.servers import NewsSite, article_html, rss_feed

FAST = 'alert_retry_delay = "1s"'


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


_FILLER = [
    "Heavy snow fell across the capital overnight, and the trams ran late all morning.",
    "A bakery on Independence Avenue reopened after a renovation that took most of the year.",
    "The national football team lost its friendly match against a side from the second division.",
    "Fuel prices rose for the third week in a row, the statistics office reported on Monday.",
]


def _statkevich(n: int) -> str:
    """A distinct article naming Statkevich (distinct, so story grouping keeps them apart)."""
    return article_html(f"Statkevich hearing, day {n}", (
        f"Opposition politician Mikalai Statkevich appeared in court again, day {n} of the hearing. "
        + " ".join(_FILLER[(n + i) % len(_FILLER)] * (1 + i) for i in range(3))), published=_now())


class Site:
    """A loopback news site whose feed grows as tests publish articles."""

    def __init__(self, site: NewsSite) -> None:
        self.site = site
        self.entries: list[tuple[str, str, datetime]] = []
        site.add_robots("User-agent: *\nAllow: /\n")

    def publish(self, slug: str, html: str, title: str) -> None:
        self.site.add_page(f"/news/{slug}.html", html)
        self.entries.insert(0, (f"/news/{slug}.html", title, _now()))
        self.site.add_page("/feed.xml", rss_feed(self.site.url(), self.entries), content_type="application/rss+xml")

    def publish_stalling(self) -> None:
        """A feed entry whose page sends its headers and then nothing: a crawl that is stuck mid-way."""
        self.site.add_stalling("/news/slow.html")
        self.entries.insert(0, ("/news/slow.html", "A page that never finishes", _now()))
        self.site.add_page("/feed.xml", rss_feed(self.site.url(), self.entries), content_type="application/rss+xml")

    def publish_belarus(self) -> None:
        self.publish("belarus-prisoners", belarus_page(self.site.url(), _now() - timedelta(hours=1)),
                     "Belarus frees 123 political prisoners")

    @property
    def feed(self) -> str:
        return self.site.url("/feed.xml")


@pytest.fixture
def site():
    with NewsSite() as news:
        yield Site(news)


def _deliveries(folder: Path) -> list[tuple[int, str, int]]:
    db = sqlite3.connect(folder / "monitor.db")
    try:
        return db.execute("SELECT alert_id, status, attempts FROM deliveries ORDER BY id").fetchall()
    finally:
        db.close()


def test_smtp_down_for_several_cycles_then_up_delivers_every_alert_exactly_once(tmp_path, site):
    site.publish_belarus()
    smtp = SmtpSink(port=free_port())  # reserved, but nobody answers yet
    config = write_config(tmp_path, [("news", site.feed, "feed")], [smtp.url()], interval="5s", monitor=FAST)
    with DaemonProcess(config) as daemon:
        daemon.wait_for_log(r"alert 1 to .* not delivered", count=3)
        site.publish("statkevich-1", _statkevich(1), "Statkevich hearing")
        daemon.wait_for_log(r"alert 2 to .* not delivered", count=2)
        with smtp:
            wait_until(lambda: len(smtp.messages) >= 2, timeout=60)
            daemon.wait_for_log(r"source news: ok", count=daemon.log.count("source news: ok") + 2)
            subjects = sorted(str(m["Subject"]) for m in smtp.messages)
        assert daemon.stop() == 0
    assert len(subjects) == 2, subjects
    assert any("Belarus frees 123" in s for s in subjects)
    assert any("Statkevich hearing" in s for s in subjects)
    assert [status for _, status, _ in _deliveries(tmp_path)] == ["sent", "sent"]


def test_kill_9_between_matching_and_sending_loses_nothing(tmp_path, site):
    site.publish_belarus()
    smtp = SmtpSink(port=free_port())
    config = write_config(tmp_path, [("news", site.feed, "feed")], [smtp.url()], interval="5s", monitor=FAST)
    with DaemonProcess(config) as daemon:
        daemon.wait_for_log(r"alert 1 to .* not delivered")
        daemon.kill()
    with smtp:
        assert run_once(config).returncode == 0
        assert run_once(config).returncode == 0
        assert len(smtp.messages) == 1


def test_kill_9_during_a_crawl_then_restart_alerts_once(tmp_path, site):
    site.publish_belarus()
    site.publish_stalling()
    with SmtpSink() as smtp:
        config = write_config(tmp_path, [("news", site.feed, "feed")], [smtp.url()], interval="5s", monitor=FAST)
        with DaemonProcess(config) as daemon:
            assert site.site.wait_for("/news/slow.html", timeout=60)
            daemon.kill()
        assert run_once(config).returncode == 0
        assert run_once(config).returncode == 0
        assert len(smtp.messages) == 1
        assert "Maria Kalesnikava" in str(smtp.messages[0]["Subject"])


def test_kill_9_while_a_message_is_in_flight_resends_it_at_most_once(tmp_path, site):
    site.publish_belarus()
    with SmtpSink() as smtp:
        smtp.collector.delay = 30.0  # the server has the message but has not acknowledged it
        config = write_config(tmp_path, [("news", site.feed, "feed")], [smtp.url()], interval="5s", monitor=FAST)
        with DaemonProcess(config) as daemon:
            wait_until(lambda: smtp.messages, timeout=60)
            daemon.kill()
        smtp.collector.delay = 0.0
        assert run_once(config).returncode == 0
        assert run_once(config).returncode == 0
        assert 1 <= len(smtp.messages) <= 2  # README: at most one resend for a send in flight
    assert [status for _, status, _ in _deliveries(tmp_path)] == ["sent"]


def test_kill_9_before_the_server_has_the_message_sends_it_exactly_once_after_restart(tmp_path, site):
    """Killed while the SMTP server holds the connection before DATA: the message was never delivered, so it
    must not count as sent (it would be lost) and must arrive exactly once after the restart."""
    site.publish_belarus()
    with SmtpSink() as smtp:
        smtp.collector.hold_before_data = True
        config = write_config(tmp_path, [("news", site.feed, "feed")], [smtp.url()], interval="5s", monitor=FAST)
        with DaemonProcess(config) as daemon:
            wait_until(lambda: smtp.collector.held, timeout=60)
            daemon.kill()
        assert smtp.messages == []
        smtp.collector.hold_before_data = False
        assert run_once(config).returncode == 0
        assert run_once(config).returncode == 0
        assert len(smtp.messages) == 1
        assert "Maria Kalesnikava" in str(smtp.messages[0]["Subject"])
    assert [status for _, status, _ in _deliveries(tmp_path)] == ["sent"]


def test_sigterm_mid_crawl_stops_in_bounded_time_and_next_start_continues(tmp_path, site):
    site.publish_belarus()
    site.publish_stalling()
    with SmtpSink() as smtp:
        config = write_config(tmp_path, [("news", site.feed, "feed")], [smtp.url()], interval="5s", monitor=FAST)
        with DaemonProcess(config) as daemon:
            assert site.site.wait_for("/news/slow.html", timeout=60)
            started = time.monotonic()
            assert daemon.stop(timeout=45) == 0
            assert time.monotonic() - started < 40
            assert "stopped" in daemon.log
        assert run_once(config).returncode == 0
        assert len(smtp.messages) == 1


def test_daemon_opens_no_listening_socket(tmp_path, site):
    site.publish_belarus()
    with SmtpSink() as smtp:
        config = write_config(tmp_path, [("news", site.feed, "feed")], [smtp.url()], interval="5s", monitor=FAST)
        with DaemonProcess(config) as daemon:
            daemon.wait_for_log(r"source news: ok")
            process = psutil.Process(daemon.pid)
            family = [process, *process.children(recursive=True)]
            listening = [(p.pid, c.laddr) for p in family for c in p.net_connections(kind="inet")
                         if c.status == psutil.CONN_LISTEN]
            assert daemon.stop() == 0
    assert listening == []


def test_config_edits_apply_without_restart_and_bad_edits_keep_the_last_good_config(tmp_path, site):
    site.publish_belarus()
    with SmtpSink() as smtp:
        config = write_config(tmp_path, [("news", site.feed, "feed")], [smtp.url()], interval="5s", monitor=FAST,
                              terms=["Maria Kalesnikava"])
        good = config.read_text()
        with DaemonProcess(config) as daemon:
            wait_until(lambda: len(smtp.messages) == 1, timeout=60)
            config.write_text(good.replace('terms = ["Maria Kalesnikava"]',
                                           'terms = ["Maria Kalesnikava", "Mikalai Statkevich"]'))
            daemon.wait_for_log("config reloaded")
            # the stored story names him too: the look back alerts for it, once
            wait_until(lambda: len(smtp.messages) == 2, timeout=60)
            site.publish("statkevich-1", _statkevich(1), "Statkevich hearing")
            wait_until(lambda: len(smtp.messages) == 3, timeout=60)

            config.write_text(config.read_text().replace("[watchlists.", "[watchlist.", 1))
            log = daemon.wait_for_log("config not reloaded")
            assert "config.toml:" in log
            assert "did you mean 'watchlists'" in log
            site.publish("statkevich-2", _statkevich(2), "Statkevich hearing, day 2")
            wait_until(lambda: len(smtp.messages) == 4, timeout=60)
            assert daemon.stop() == 0
    subjects = [str(m["Subject"]) for m in smtp.messages]
    assert subjects[1].startswith("Mikalai Statkevich: Belarus frees 123 political prisoners")
    assert all("Mikalai Statkevich" in subject for subject in subjects[2:])


def test_failing_source_is_reported_once_and_recovery_once_while_others_carry_on(tmp_path, site):
    site.publish_belarus()
    with NewsSite() as broken, WebhookSink() as admin, SmtpSink() as smtp:
        broken.add_robots("User-agent: *\nAllow: /\n")
        broken.add_failures("/feed.xml", 500, times=None)
        config = write_config(tmp_path, [("good", site.feed, "feed"), ("broken", broken.url("/feed.xml"), "feed")],
                              [smtp.url()], interval="5s", monitor=FAST + f'\nunhealthy_after = 2\nadmin_notify = ["{admin.url()}"]')
        with DaemonProcess(config) as daemon:
            daemon.wait_for_log(r"source broken: error", count=4)
            daemon.wait_for_log(r"source good: ok", count=2)
            wait_until(lambda: admin.posts, timeout=30)
            assert [p["title"] for p in admin.posts] == ["news-monitor: source broken is failing"]
            assert len(smtp.messages) == 1  # the healthy source's alert went out regardless
            status = monitor(config, "status").stdout
            assert "UNHEALTHY" in status
            with broken._lock:  # the site is fixed
                broken._fail_always.clear()
            # fixed with an item: an empty feed would now be reported too ("lists nothing", test_silent_failures.py)
            broken.add_page("/news/fixed.html", article_html("Back online", "The feed works again. " * 10))
            broken.add_page("/feed.xml", rss_feed(broken.url(), [("/news/fixed.html", "Back online", _now())]),
                            content_type="application/rss+xml")
            daemon.wait_for_log(r"source broken has recovered")
            wait_until(lambda: len(admin.posts) == 2, timeout=30)
            daemon.wait_for_log(r"source broken: ok", count=2)
            assert daemon.stop() == 0
    assert [p["title"] for p in admin.posts][1] == "news-monitor: source broken recovered"


def test_secrets_never_appear_in_logs_errors_or_reports(tmp_path, site):
    secret, token = "pa55-Wr0ng-s3cret", "hook-t0ken-9f8e7d"
    site.publish_belarus()
    with SmtpSink() as smtp:  # no AUTH offered: the login fails and is logged
        url = f"mailto://alerts:${{SMTP_PASS}}@127.0.0.1:{smtp.port}?from=alerts@example.org&to=desk@example.org"
        # A webhook whose token is part of its path, and nobody listening: the HTTP driver's error echoes the
        # full URL ("Max retries exceeded with url: /hook/<token>"), and apprise shows paths unmasked, so
        # only the redaction of registered secrets keeps this one out of the output.
        hook = f"json://127.0.0.1:{free_port()}/hook/${{HOOK_TOKEN}}"
        config = write_config(tmp_path, [("news", site.feed, "feed")], [url, hook], interval="5s", monitor=FAST)
        env = {"SMTP_PASS": secret, "HOOK_TOKEN": token}
        outputs = [run_once(config, env=env), monitor(config, "check-config", env=env),
                   monitor(config, "status", env=env), monitor(config, "alerts", env=env),
                   monitor(config, "-vv", "run", "--once", env=env)]
    assert "Max retries exceeded with url: /hook/****" in outputs[-1].stderr  # the driver's error was logged
    for result in outputs:
        for value in (secret, token):
            assert value not in result.stdout
            assert value not in result.stderr
    assert "****" in outputs[1].stdout
    db = (tmp_path / "monitor.db").read_bytes()
    assert secret.encode() not in db
    assert token.encode() not in db


def test_a_reader_process_in_a_loop_never_makes_the_daemon_fail(tmp_path, site):
    site.publish_belarus()
    with SmtpSink() as smtp:
        config = write_config(tmp_path, [("news", site.feed, "feed")], [smtp.url()], interval="1s", monitor=FAST)
        with DaemonProcess(config) as daemon:
            daemon.wait_for_log(r"source news: ok")
            reader = subprocess.Popen([sys.executable, "-c", (
                "import sqlite3, sys, time\n"
                f"db = sqlite3.connect({str(tmp_path / 'monitor.db')!r}, timeout=30)\n"
                "end, reads = time.monotonic() + 8, 0\n"
                "while time.monotonic() < end:\n"
                "    db.execute('BEGIN')\n"  # a long-ish read transaction, as datasette's would be
                "    db.execute('SELECT count(*) FROM articles JOIN hits ON hits.article_url = articles.url')\n"
                "    db.execute('SELECT * FROM alerts').fetchall(); db.execute('COMMIT'); reads += 1\n"
                "print(reads)\n")], stdout=subprocess.PIPE, text=True)
            for n in range(1, 4):
                site.publish(f"statkevich-{n}", _statkevich(n), f"Statkevich hearing, day {n}")
                wait_until(lambda n=n: len(smtp.messages) == 1 + n, timeout=60)
            out, _ = reader.communicate(timeout=60)
            assert daemon.stop() == 0
    assert reader.returncode == 0
    assert int(out) > 20
    assert "locked" not in daemon.log
    assert "Traceback" not in daemon.log


def test_sighup_reloads_the_config(tmp_path, site):
    site.publish_belarus()
    with SmtpSink() as smtp:
        config = write_config(tmp_path, [("news", site.feed, "feed")], [smtp.url()], interval="5s", monitor=FAST,
                              terms=["Maria Kalesnikava"])
        with DaemonProcess(config) as daemon:
            daemon.wait_for_log(r"source news: ok")
            os.kill(daemon.pid, signal.SIGHUP)
            daemon.wait_for_log("config reloaded: 1 sources, 1 watchlists")
            assert daemon.stop() == 0
