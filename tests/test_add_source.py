"""`monitor add-source`: detection against a real loopback news site, and config.toml edits that keep every
comment and blank line of the user's file."""

from __future__ import annotations

import difflib
import os
import shutil
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from monitor.add_source import add_source, insert_block, root_element, suggest_name
from monitor.config.loader import MonitorSettings, load_config
from monitor.errors import ConfigError, MonitorError
from monitor.source_detect import fetch
from tests.servers import (
    article_html,
    atom_feed,
    listing_html,
    news_sitemap,
    rss_feed,
    sitemap_index,
)

SHIPPED_CONFIG = Path(__file__).resolve().parents[1] / "config.toml"
WHEN = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
ARTICLE = "/news/2026/11/24/kalesnikava-moved-to-another-colony"
SMALL_CONFIG = """\
# My newsroom's monitor.
[monitor]
database = "monitor.db"   # next to this file

# --- sources ---
[[sources]]
name = "svaboda"          # Radio Svaboda
url = "https://www.svaboda.org/api/epiqq"
# enabled = false          (kept under its source)

# --- watchlists ---
[watchlists.prisoners]
terms = ["Maria Kalesnikava"]
"""


@pytest.fixture
def config_path(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(SMALL_CONFIG, encoding="utf-8")
    return path


def only_lines_added(old: str, new: str) -> list[str]:
    """The lines `new` adds to `old`; fails if any line of `old` was changed, moved or removed."""
    matcher = difflib.SequenceMatcher(a=old.splitlines(keepends=True), b=new.splitlines(keepends=True), autojunk=False)
    added = []
    for tag, _i1, _i2, j1, j2 in matcher.get_opcodes():
        assert tag in ("equal", "insert"), f"{tag}: the user's lines were changed"
        if tag == "insert":
            added += matcher.b[j1:j2]
    return added


def serve_site(site) -> None:
    """A home page announcing its feeds (a comments feed first), the feed, a section page and an article."""
    site.add_page("/", '<!doctype html><html><head><title>News</title>'
                       '<link rel="alternate" type="application/rss+xml" title="Comments" href="/comments/feed/">'
                       '<link rel="alternate" type="application/rss+xml" title="News" href="/feed/">'
                       '</head><body><p>Home</p></body></html>')
    site.add_page("/feed/", rss_feed(site.url(), [(ARTICLE, "Kalesnikava moved to another colony", WHEN)],
                                     title="Test News"), content_type="application/rss+xml")
    site.add_page("/comments/feed/", rss_feed(site.url(), [("/c/1", "A comment", WHEN)]),
                  content_type="application/rss+xml")
    site.add_page(ARTICLE, article_html("Kalesnikava moved to another colony",
                                        "Maria Kalesnikava was moved to another penal colony, her lawyer said. " * 12,
                                        published=WHEN))
    links = [(f"/news/2026/11/{day}/story-number-{day}", f"Headline of story number {day}") for day in range(10, 18)]
    site.add_page("/politics", listing_html([*links, ("/about", "About us"), ("/tag/belarus", "Belarus")]))


def test_feed_is_autodiscovered_and_appended_after_the_last_source(news_site, config_path, capsys):
    serve_site(news_site)
    assert add_source(config_path, news_site.url("/"), dry_run=False) == 0
    config = load_config(config_path)
    added = config.sources[-1]
    assert (added.name, added.url, added.type) == ("news", news_site.url("/feed/"), "feed")  # the site's <title>
    text = config_path.read_text(encoding="utf-8")
    assert "".join(only_lines_added(SMALL_CONFIG, text)).strip().endswith('type = "feed"')
    # Placed under the last source and its commented key, before the comment that introduces the watchlists.
    assert text.index("(kept under its source)") < text.index(news_site.url("/feed/")) < text.index("--- watchlists")
    out = capsys.readouterr().out
    assert "Kalesnikava moved to another colony" in out
    assert news_site.url(ARTICLE) in out
    assert "also announces: " + news_site.url("/comments/feed/") in out
    assert news_site.count("/comments/feed/") == 0  # the posts feed worked, so the comments feed was not tried


def test_a_feed_url_is_taken_as_it_is(news_site, config_path):
    news_site.add_page("/atom.xml", atom_feed(news_site.url(), [(ARTICLE, "Kalesnikava", WHEN)]),
                       content_type="application/atom+xml")
    add_source(config_path, news_site.url("/atom.xml"), name="test-atom", interval="15m", dry_run=False)
    added = load_config(config_path).sources[-1]
    assert (added.name, added.type, added.interval) == ("test-atom", "feed", 900.0)


@pytest.mark.parametrize("document", ["news", "index"])
def test_sitemaps_are_recognised(news_site, config_path, capsys, document):
    if document == "news":
        body = news_sitemap(news_site.url(), [(ARTICLE, "Kalesnikava moved", WHEN)])
    else:
        body = sitemap_index(news_site.url(), [("/sitemap-2026-11.xml", WHEN)])
    news_site.add_page("/sitemap.xml", body, content_type="application/xml")
    add_source(config_path, news_site.url("/sitemap.xml"), dry_run=False)
    assert load_config(config_path).sources[-1].type == "sitemap"
    out = capsys.readouterr().out
    assert ("sitemap index" in out) == (document == "index")


def test_section_page_becomes_a_listing_showing_the_links_it_would_follow(news_site, config_path, capsys):
    serve_site(news_site)
    add_source(config_path, news_site.url("/politics"), dry_run=False)
    assert load_config(config_path).sources[-1].type == "listing"
    out = capsys.readouterr().out
    assert "8 article links" in out
    assert news_site.url("/news/2026/11/10/story-number-10") in out
    assert "/tag/belarus" not in out
    assert "/about" not in out


def test_article_page_becomes_a_page_source_with_its_cleaned_title(news_site, config_path, capsys):
    serve_site(news_site)
    add_source(config_path, news_site.url(ARTICLE), dry_run=False)
    assert load_config(config_path).sources[-1].type == "page"
    assert "Kalesnikava moved to another colony" in capsys.readouterr().out


def test_type_listing_overrides_feed_discovery(news_site, config_path):
    serve_site(news_site)
    add_source(config_path, news_site.url("/"), type="listing", dry_run=False)
    added = load_config(config_path).sources[-1]
    assert (added.url, added.type) == (news_site.url("/"), "listing")
    assert news_site.count("/feed/") == 0


def test_dry_run_shows_the_block_and_writes_nothing(news_site, config_path, capsys):
    serve_site(news_site)
    assert add_source(config_path, news_site.url("/"), dry_run=True) == 0
    assert config_path.read_text(encoding="utf-8") == SMALL_CONFIG
    out = capsys.readouterr().out
    assert "dry run" in out
    assert f'url = "{news_site.url("/feed/")}"' in out


def test_known_url_and_taken_name_are_refused_before_writing(news_site, config_path):
    serve_site(news_site)
    add_source(config_path, news_site.url("/feed/"), dry_run=False)
    once = config_path.read_text(encoding="utf-8")
    with pytest.raises(ConfigError, match="already configured as source 'test-news'"):
        add_source(config_path, news_site.url("/"), dry_run=False)  # discovers the same feed
    with pytest.raises(ConfigError, match="exists already"):
        add_source(config_path, news_site.url("/politics"), name="SVABODA", dry_run=False)
    assert config_path.read_text(encoding="utf-8") == once


def test_unreachable_or_failing_url_is_an_error_and_writes_nothing(news_site, config_path):
    with pytest.raises(MonitorError, match="HTTP 404"):
        add_source(config_path, news_site.url("/missing"), dry_run=False)
    with pytest.raises(MonitorError, match="--interval must be at least"):
        add_source(config_path, news_site.url("/"), interval="0", dry_run=False)
    assert news_site.count("/") == 0  # bad arguments are refused before any request
    assert config_path.read_text(encoding="utf-8") == SMALL_CONFIG


def test_a_feed_link_to_a_local_file_is_not_read(tmp_path):
    local = tmp_path / "feed.xml"  # a hostile page may announce <link rel="alternate" href="file:///...">
    local.write_text(rss_feed("https://example.org", [(ARTICLE, "Local", WHEN)]), encoding="utf-8")
    with pytest.raises(MonitorError, match="not an http"):
        fetch(local.as_uri(), MonitorSettings())


def test_robots_txt_that_forbids_the_url_is_reported(news_site, config_path, capsys):
    serve_site(news_site)
    news_site.add_robots("User-agent: *\nDisallow: /feed/\n")
    add_source(config_path, news_site.url("/feed/"), dry_run=True)
    assert "robots.txt forbids this URL" in capsys.readouterr().out


def test_shipped_config_keeps_every_comment(news_site, tmp_path):
    path = tmp_path / "config.toml"
    shutil.copy(SHIPPED_CONFIG, path)
    serve_site(news_site)
    add_source(path, news_site.url("/"), dry_run=False)
    original = SHIPPED_CONFIG.read_text(encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    only_lines_added(original, text)
    config = load_config(path)
    assert [s.name for s in config.sources][-1] == "news"
    assert text.index(news_site.url("/feed/")) < text.index("# More outlets")  # after the last active source


def test_missing_secret_in_this_shell_does_not_block_adding(news_site, config_path, capsys, monkeypatch):
    monkeypatch.delenv("NEWSROOM_HOOK", raising=False)
    text = SMALL_CONFIG.replace('terms = ["Maria Kalesnikava"]',
                                'terms = ["Maria Kalesnikava"]\nnotify = ["json://${NEWSROOM_HOOK}"]')
    config_path.write_text(text, encoding="utf-8")
    serve_site(news_site)
    add_source(config_path, news_site.url("/feed/"), dry_run=False)
    assert "NEWSROOM_HOOK is not set" in capsys.readouterr().out
    # (registered as a secret for the rest of the session: a value no other test prints)
    monkeypatch.setenv("NEWSROOM_HOOK", "127.0.0.1:9/newsroom-hook")
    assert load_config(config_path).sources[-1].url == news_site.url("/feed/")


def test_file_mode_and_crlf_line_endings_are_kept(news_site, config_path):
    config_path.write_bytes(SMALL_CONFIG.replace("\n", "\r\n").encode())
    os.chmod(config_path, 0o600)  # it may hold secrets
    serve_site(news_site)
    add_source(config_path, news_site.url("/feed/"), dry_run=False)
    data = config_path.read_bytes()
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert stat.S_IMODE(config_path.stat().st_mode) == 0o600
    assert load_config(config_path).sources[-1].type == "feed"


def test_first_source_goes_before_the_watchlists():
    text = '[monitor]\ninterval = "10m"\n\n# Lists\n[watchlists.a]\nterms = ["X"]\n'
    block = '# added\n[[sources]]\nname = "a"\nurl = "https://a.example/feed"\n'
    new = insert_block(text, block)
    assert new == ('[monitor]\ninterval = "10m"\n\n# added\n[[sources]]\nname = "a"\nurl = "https://a.example/feed"\n'
                   '\n# Lists\n[watchlists.a]\nterms = ["X"]\n')


def test_suggested_names_come_from_the_domain_and_never_collide():
    assert suggest_name("https://www.svaboda.org/api/x", set()) == "svaboda"
    assert suggest_name("https://news.zerkalo.io/rss/all.rss", set()) == "zerkalo"
    assert suggest_name("https://ru.belsat.eu/feed/", set()) == "belsat-ru"
    assert suggest_name("https://feeds.bbci.co.uk/russian/rss.xml", {"BBCI", "bbci-2"}) == "bbci-3"


@pytest.mark.parametrize(("body", "root"), [
    (b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- generator -->\n<rss version="2.0">', "rss"),
    (b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="x">', "rdf"),
    (b"<!DOCTYPE html>\n<html><head>", "html"),
    (b"  <urlset xmlns='x'>", "urlset"),
    (b"not markup at all", None),
])
def test_root_element_sniffing(body, root):
    assert root_element(body) == root
