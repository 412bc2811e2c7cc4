"""`monitor add-source` for Telegram channels: recognised by address or by page, previewed with their newest
posts as the daemon reads them; missing and private channels refused with a clear error, nothing written."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from monitor.add_source import add_source
from monitor.config.loader import load_config
from monitor.errors import ConfigError, MonitorError
from tests.telegram_pages import ChannelPost, LinkPreview, channel_page, contact_page

WHEN = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
CONFIG = """\
[monitor]
database = "monitor.db"

[[sources]]
name = "viasna-web"
url = "https://spring96.example/feed"

[[sources]]
name = "tg-belsat"
url = "https://t.me/s/belsat_test"
type = "telegram"

[watchlists.prisoners]
terms = ["Maria Kalesnikava"]
"""


@pytest.fixture
def config_path(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


def _serve(site) -> None:
    posts = [ChannelPost(i, f"Notice {i}: office hours", WHEN - timedelta(hours=30 - i)) for i in range(1, 30)]
    posts.append(ChannelPost(30, "Суд у Мінску: Марыя Калеснікава<br>атрымала яшчэ год.", WHEN,
                             preview=LinkPreview("https://news.example/a", "News", "Verdict", "The court ruled.")))
    site.add_page("/s/viasna_test", channel_page("viasna_test", "Viasna (test)", posts[-20:], before=11))


def test_a_channel_preview_page_is_recognised_and_its_newest_posts_shown(news_site, config_path, capsys):
    _serve(news_site)
    assert add_source(config_path, news_site.url("/s/viasna_test")) == 0
    out = capsys.readouterr().out
    assert "Telegram channel @viasna_test “Viasna (test)”, read through its public web preview" in out
    assert "20 posts on its newest page" in out
    lines = out.splitlines()
    newest = lines.index(next(line for line in lines if "2026-11-24 09:30" in line))
    assert "Суд у Мінску: Марыя Калеснікава" in lines[newest]
    assert lines[newest + 1].strip() == news_site.url("/viasna_test/30")
    assert "… and 15 more" in out
    added = load_config(config_path).sources[-1]
    assert (added.name, added.type, added.url) == ("tg-viasna_test", "telegram", news_site.url("/viasna_test"))


def test_type_telegram_reads_the_preview_of_a_channel_address(news_site, config_path, capsys):
    _serve(news_site)
    assert add_source(config_path, news_site.url("/viasna_test"), type="telegram", name="viasna-tg",
                      dry_run=True) == 0
    out = capsys.readouterr().out
    assert 'name = "viasna-tg"' in out
    assert 'type = "telegram"' in out
    assert news_site.count("/s/viasna_test") == 1
    assert config_path.read_text(encoding="utf-8") == CONFIG


@pytest.mark.parametrize(("page", "message"), [
    (None, "no such public Telegram channel"),  # the server answers 404
    (contact_page("viasna_test"), "no such public Telegram channel"),
    (contact_page("viasna_test", "Viasna (private)"), "has no public web preview (a private channel, a group"),
    ("<html><body><p>Something else entirely.</p></body></html>", "does not look like a Telegram channel's preview"),
], ids=["http-404", "contact-card", "private", "other-page"])
def test_a_missing_private_or_strange_channel_is_refused_and_nothing_written(news_site, config_path, page, message):
    if page is not None:
        news_site.add_page("/s/viasna_test", page)
    with pytest.raises(MonitorError) as caught:
        add_source(config_path, news_site.url("/viasna_test"), type="telegram")
    assert message in str(caught.value)
    assert config_path.read_text(encoding="utf-8") == CONFIG


@pytest.mark.parametrize(("url", "message"), [
    ("https://t.me/+AbCdEf12345", "is an invite link to a private chat"),
    ("https://t.me/belsat_test/4411", "links to one post; use the channel's address, https://t.me/belsat_test"),
])
def test_invite_and_post_links_are_refused_without_fetching(config_path, url, message):
    with pytest.raises(MonitorError) as caught:
        add_source(config_path, url)
    assert message in str(caught.value)


def test_a_channel_already_configured_under_its_other_address_is_refused(config_path):
    with pytest.raises(ConfigError) as caught:
        add_source(config_path, "https://t.me/Belsat_Test")
    assert "already configured as source 'tg-belsat'" in str(caught.value)
