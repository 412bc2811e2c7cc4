"""The look back as users meet it (issue 16, item 13): a real daemon, a loopback news site, and real SMTP and
webhook receivers. A name added to config.toml while the daemon runs alerts once for the stored story that
names it; a name added while it was stopped is looked for when it starts; many stories come as one message."""

from __future__ import annotations

import os
import signal
from datetime import UTC, datetime, timedelta

from tests.daemon_process import DaemonProcess, run_once, write_config
from tests.receivers import SmtpSink, WebhookSink, body_text, wait_until
from tests.servers import NewsSite, article_html, rss_feed

LOSIK = "Ihar Losik"
FILLER = ("His wife said she had not received a letter from him for two months. Lawyers who have visited other "
          "prisoners in the colony describe cold cells and long spells in solitary confinement. ")


def publish(site: NewsSite, stories: list[tuple[str, str]], *, distinct: bool = False) -> None:
    """Articles published an hour ago or so, and the feed listing them."""
    now = datetime.now(UTC).replace(microsecond=0)
    entries = []
    for n, (slug, sentence) in enumerate(stories):
        when = now - timedelta(minutes=30 + 10 * n)
        # distinct stories need distinct text, else story grouping rightly takes them for copies of one
        body = f"{sentence} " * 6 if distinct else f"{sentence} {FILLER * 2}"
        site.add_page(f"/news/{slug}.html", article_html(f"Report {n}: {slug.replace('-', ' ')}", body,
                                                         published=when))
        entries.append((f"/news/{slug}.html", f"Report {n}", when))
    site.add_robots("User-agent: *\nAllow: /\n")
    site.add_page("/feed.xml", rss_feed(site.url(), entries), content_type="application/rss+xml")


def test_a_name_added_while_the_daemon_runs_alerts_once_for_the_stored_story(tmp_path, news_site):
    publish(news_site, [("losik-moved-to-colony", "Ihar Losik was moved to a colony in the east, his wife said.")])
    with SmtpSink() as smtp:
        config = write_config(tmp_path, [("news", news_site.url("/feed.xml"), "feed")], [smtp.url()],
                              interval="5s", monitor='alert_retry_delay = "1s"', terms=["Maria Kalesnikava"])
        with DaemonProcess(config) as daemon:
            daemon.wait_for_log(r"source news: ok")
            assert smtp.messages == []  # nobody on the list is named
            config.write_text(config.read_text().replace('terms = ["Maria Kalesnikava"]',
                                                         f'terms = ["Maria Kalesnikava", "{LOSIK}"]'))
            wait_until(lambda: smtp.messages, timeout=60)
            daemon.wait_for_log(rf"watchlist political-prisoners gained {LOSIK}: .* 1 name them, 1 alert\(s\)")
            os.kill(daemon.pid, signal.SIGHUP)  # a reload with nothing new, and more crawl cycles
            daemon.wait_for_log("config reloaded", count=2)
            daemon.wait_for_log(r"source news: ok", count=3)
            assert daemon.stop() == 0
    (message,) = smtp.messages
    assert str(message["Subject"]).startswith(f"{LOSIK}: Report 0")
    assert "Ihar Losik was moved to a colony in the east" in body_text(message)


def test_a_name_added_while_stopped_is_looked_for_at_start_and_many_come_as_one_message(tmp_path, news_site):
    stories = [  # five different stories naming him, and one naming nobody
        ("losik-appeal", "The supreme court turned down an appeal by Ihar Losik, the blogger, on Monday morning."),
        ("losik-wife-letter", "Ihar Losik wrote to his wife for the first time since spring; the letter was short."),
        ("embassies-statement", "Eleven embassies signed a statement naming Ihar Losik among the jailed bloggers."),
        ("prison-hunger-strike", "Rights groups say Ihar Losik refused food for three days in protest at conditions."),
        ("award-in-absentia", "A press freedom award went to Ihar Losik in absentia at a ceremony in Prague."),
        ("weather", "Snow is expected in Minsk on Saturday, and the roads may be closed in the north."),
    ]
    publish(news_site, stories, distinct=True)
    with WebhookSink() as hook:
        config = write_config(tmp_path, [("news", news_site.url("/feed.xml"), "feed")], [hook.url()],
                              terms=["Maria Kalesnikava"])
        first = run_once(config)
        assert first.returncode == 0, first.stderr
        assert hook.posts == []
        config.write_text(config.read_text().replace('terms = ["Maria Kalesnikava"]',
                                                     f'terms = ["Maria Kalesnikava", "{LOSIK}"]'))
        second = run_once(config)
        assert second.returncode == 0, second.stderr
        assert "gained Ihar Losik" in second.stderr
        third = run_once(config)
        assert third.returncode == 0, third.stderr
    (post,) = hook.posts  # five stories, one message; nothing again on the third run
    assert post["title"] == f"political-prisoners: 5 recent stories name {LOSIK} (found when added to the watchlist)"
    for n in range(5):
        assert f"Report {n}" in post["message"]
    assert "weather" not in post["message"].lower()
