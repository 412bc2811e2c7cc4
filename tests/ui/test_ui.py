"""`monitor ui`: Datasette on 127.0.0.1 with our metadata, canned queries and Atom feeds, checked over HTTP and in
a real headless Chromium (Debian's, driven by Selenium): skipped locally without it, required when CI=true."""

from __future__ import annotations

import hashlib
import json
import os
import queue
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import feedparser
import pytest

from monitor.config.loader import load_config
from monitor.errors import MonitorError, StorageError
from monitor.models import Article, Hit
from monitor.store.database import Store
from monitor.ui.server import CANNED_QUERIES, TABLES, check_database, datasette_metadata, free_port
from tests.paths import REPO

ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
WATCHLIST = "political-prisoners"
CYRILLIC = "вязні"  # watchlist names may be Belarusian: URLs must quote them
MAIL_TARGET = "mailto://127.0.0.1:8025?from=monitor-bot@example.org&to=desk@example.org"
START_SCRIPT = (
    "import sys\n"
    "from monitor.config.loader import load_config\n"
    "from monitor.ui.server import run_ui\n"
    "sys.exit(run_ui(load_config(sys.argv[1]), port=0, open_browser=False))\n"
)
QUERY_PARAMS: dict[str, dict[str, str]] = {
    "latest_alerts": {"watchlist": ""}, "name_over_time": {"name": "Kalesnikava"},
    "sources_for_name": {"name": "Kalesnikava"}, "stories": {"name": ""}, "source_health": {},
    "search": {"q": "colony"},
}


def article(url: str, source: str, title: str, day: int, text: str) -> Article:
    return Article(url=url, title=title, text=text, source=source, published=datetime(2026, 11, day, 9, tzinfo=UTC))


def kalesnikava(snippet: str) -> Hit:
    return Hit(WATCHLIST, "Maria Kalesnikava", "Maria Kalesnikava", "text", 0, 17, snippet)


def fill(store: Store) -> None:
    """Two sites with one story (a copy), a second story in Belarusian, and an article with no hits."""
    text = "Maria Kalesnikava was seen in the penal colony in Homel, her lawyer said on Monday."
    targets = {WATCHLIST: ("json://127.0.0.1:9/hook", MAIL_TARGET)}
    store.save_article(article("https://svaboda.example/a/1", "svaboda", "Kalesnikava seen in colony", 20, text),
                       "h1", "story-1", [kalesnikava("Maria Kalesnikava was seen in the penal colony")],
                       alertable=True, targets=targets)
    store.save_article(article("https://zerkalo.example/n/7", "zerkalo", "Kalesnikava seen (copy)", 21, text),
                       "h2", "story-1", [kalesnikava("Maria Kalesnikava was seen in the penal colony")],
                       alertable=True, targets=targets)
    store.save_article(article("https://nashaniva.example/3", "nashaniva", "Суд над Бяляцкім", 22,
                               "Суд над Алесем Бяляцкім працягваецца ў Менску."), "h3", "story-2",
                       [Hit(WATCHLIST, "Ales Bialiatski", "Алесем Бяляцкім", "text", 8, 23, "Суд над Алесем Бяляцкім")],
                       alertable=True, targets={})
    store.save_article(article("https://nashaniva.example/4", "nashaniva", "Weather", 22, "Sunny in Minsk."),
                       "h4", "story-3", [], alertable=True, targets={})


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("ui")
    (folder / "config.toml").write_text(
        '[monitor]\ndatabase = "monitor.db"\n\n[[sources]]\nname = "svaboda"\nurl = "https://svaboda.example/rss"\n\n'
        f'[watchlists.{WATCHLIST}]\nterms = ["Maria Kalesnikava", "Ales Bialiatski"]\n\n'
        f'[watchlists."{CYRILLIC}"]\nterms = ["Ihar Losik"]\n', encoding="utf-8")
    config = load_config(folder / "config.toml")
    store = Store(config.monitor.database)
    store.sync_sources(config.sources)
    fill(store)
    store.close()
    return config


def _read_lines(stream: Any, lines: queue.Queue[str]) -> None:
    for line in iter(stream.readline, ""):
        lines.put(line)


@pytest.fixture(scope="module")
def ui(config: Any) -> Iterator[str]:
    """`run_ui` in its own process, as `monitor ui --port 0` runs it; yields the database page's URL."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    process = subprocess.Popen([sys.executable, "-c", START_SCRIPT, str(config.path)], stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, text=True, env=env)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_read_lines, args=(process.stdout, lines), daemon=True).start()
    deadline = time.monotonic() + 60
    url = None
    while url is None and time.monotonic() < deadline and process.poll() is None:
        try:
            line = lines.get(timeout=0.5)
        except queue.Empty:
            continue
        if line.startswith("news-monitor UI (read-only): "):
            url = line.split(": ", 1)[1].strip()
    if url is None:
        process.kill()
        pytest.fail(f"monitor ui did not start (exit code {process.poll()})")
    yield url
    process.terminate()  # SIGTERM: run_ui stops Datasette too
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def get(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read()


def query(ui: str, canned: str, **params: str) -> dict[str, Any]:
    status, _, body = get(f"{ui}/{canned}.json?{urlencode({**params, '_shape': 'objects'})}")
    assert status == 200, body[:500]
    return json.loads(body)


# -- metadata ---------------------------------------------------------------------------------------
def test_every_table_in_the_schema_is_titled_and_described_or_hidden(config):
    with sqlite3.connect(config.monitor.database) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                  if not r[0].startswith(("articles_fts", "sqlite_"))}
    assert tables == set(TABLES)
    for name, meta in TABLES.items():
        assert meta.get("hidden") or (meta["title"] and meta["description"]), name


def test_metadata_names_the_database_and_the_feeds(config):
    metadata = datasette_metadata(config)
    assert set(metadata["databases"]) == {"monitor"}
    assert f'href="/-/feeds/{WATCHLIST}.atom"' in metadata["description_html"]
    assert metadata["plugins"]["news-monitor"] == {"database": "monitor", "watchlists": [WATCHLIST, CYRILLIC]}


def test_ui_refuses_a_missing_database(tmp_path):
    (tmp_path / "config.toml").write_text('[monitor]\ndatabase = "none.db"\n', encoding="utf-8")
    with pytest.raises(StorageError, match="no database yet"):
        check_database(load_config(tmp_path / "config.toml"))


def test_a_taken_port_is_refused_before_starting():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(MonitorError, match="--port"):
            free_port("127.0.0.1", taken.getsockname()[1])
    assert free_port("127.0.0.1", 0) > 0


# -- over HTTP --------------------------------------------------------------------------------------
def test_every_canned_query_runs(ui):
    assert set(QUERY_PARAMS) == set(CANNED_QUERIES)
    for name, params in QUERY_PARAMS.items():
        result = query(ui, name, **params)
        assert result["ok"], (name, result.get("error"))


def test_latest_alerts_shows_names_headline_context_and_delivery(ui):
    rows = query(ui, "latest_alerts", watchlist=WATCHLIST)["rows"]
    assert [(r["names"], r["headline"], r["source"]) for r in rows] == [
        ("Ales Bialiatski", "Суд над Бяляцкім", "nashaniva"),
        ("Maria Kalesnikava", "Kalesnikava seen in colony", "svaboda"),
    ]
    assert rows[1]["context"] == "Maria Kalesnikava was seen in the penal colony"
    assert rows[1]["delivery"] == f"json://127.0.0.1:9/hook: pending; {MAIL_TARGET}: pending"  # as written
    assert query(ui, "latest_alerts", watchlist="other")["rows"] == []


def test_latest_alerts_lists_copies_found_after_the_alert(ui):
    """zerkalo's copy of story-1 arrived after svaboda's alert: the alert row still names it."""
    rows = {r["source"]: r for r in query(ui, "latest_alerts", watchlist=WATCHLIST)["rows"]}
    assert rows["svaboda"]["also_reported_by"] == "zerkalo"
    assert rows["nashaniva"]["also_reported_by"] is None


def test_name_queries_count_per_day_and_per_source(ui):
    days = query(ui, "name_over_time", name="Kalesnikava")["rows"]
    assert [(d["day"], d["hits"], d["sources"]) for d in days] == [("2026-11-21", 1, "zerkalo"),
                                                                   ("2026-11-20", 1, "svaboda")]
    sources = query(ui, "sources_for_name", name="Бяляцк")["rows"]
    assert [(s["source"], s["articles"]) for s in sources] == [("nashaniva", 1)]


def test_stories_query_groups_copies_first_publisher_first(ui):
    rows = query(ui, "stories", name="")["rows"]
    assert [(r["story"], r["copies"], r["source"]) for r in rows] == [("story-1", 2, "svaboda"),
                                                                      ("story-1", 2, "zerkalo")]


def test_source_health_lists_configured_sources(ui):
    rows = query(ui, "source_health")["rows"]
    assert [(r["source"], r["health"]) for r in rows] == [("svaboda", "never run")]


def test_full_text_search_returns_snippets_and_survives_fts_syntax(ui):
    rows = query(ui, "search", q="penal colony")["rows"]
    assert {r["url"] for r in rows} == {"https://svaboda.example/a/1", "https://zerkalo.example/n/7"}
    assert all("**penal** **colony**" in r["snippet"] for r in rows)
    assert query(ui, "search", q='Бяляцкім" OR (')["ok"]  # stray quotes and operators are words, not errors


def test_atom_feed_is_served_live_and_valid(ui, config):
    feed_url = ui.rsplit("/", 1)[0] + f"/-/feeds/{quote(WATCHLIST)}.atom"
    status, content_type, body = get(feed_url)
    assert status == 200
    assert content_type.startswith("application/atom+xml")
    parsed = feedparser.parse(body)
    assert parsed.bozo == 0
    assert parsed.version == "atom10"
    assert [e.link for e in parsed.entries] == ["https://nashaniva.example/3", "https://svaboda.example/a/1"]
    assert parsed.feed.links[0].href == feed_url  # rel=self
    assert get(ui.rsplit("/", 1)[0] + "/-/feeds/nobody.atom")[0] == 404
    status, _, body = get(ui.rsplit("/", 1)[0] + f"/-/feeds/{quote(CYRILLIC)}.atom")
    assert status == 200
    assert feedparser.parse(body).feed.title == f"{CYRILLIC}: news-monitor alerts"


def test_sql_writes_are_refused(ui):
    status, _, body = get(f"{ui}.json?{urlencode({'sql': 'DELETE FROM alerts'})}")
    assert status == 400
    assert b"SELECT" in body
    assert len(query(ui, "latest_alerts", watchlist="")["rows"]) == 2


def test_new_alerts_written_by_the_daemon_appear_without_restart(ui, config):
    before = hashlib.sha256(Path(config.monitor.database).read_bytes()).hexdigest()
    query(ui, "latest_alerts", watchlist="")  # Datasette reading must not change the file ...
    assert hashlib.sha256(Path(config.monitor.database).read_bytes()).hexdigest() == before
    store = Store(config.monitor.database)  # ... while the daemon writing to it shows at once (not --immutable)
    try:
        store.save_article(article("https://svaboda.example/a/9", "svaboda", "Losik and Kalesnikava", 23, "x"),
                           "h9", "story-9", [kalesnikava("late news")], alertable=True, targets={})
        rows = query(ui, "latest_alerts", watchlist="")["rows"]
        assert rows[0]["headline"] == "Losik and Kalesnikava"
    finally:
        store.db.execute("DELETE FROM alerts WHERE story = 'story-9'")
        store.db.execute("DELETE FROM articles WHERE url = 'https://svaboda.example/a/9'")
        store.close()


def refuses_connections(url: str, timeout: float = 15) -> bool:
    """Poll until nothing answers at `url` any more (True) or the deadline passes (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).close()
        except urllib.error.URLError:
            return True
        time.sleep(0.1)  # poll interval, bounded by the deadline
    return False


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_stopping_ui_stops_datasette(config, stop):
    """SIGTERM (systemd, docker stop) is a clean stop; even SIGKILL leaves no Datasette serving."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    process = subprocess.Popen([sys.executable, "-c", START_SCRIPT, str(config.path)], stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, text=True, env=env)
    try:
        line = process.stdout.readline()  # printed once Datasette answers
        assert line.startswith("news-monitor UI (read-only): "), line
        url = line.split(": ", 1)[1].strip()
        process.send_signal(stop)
        assert process.wait(timeout=30) == (0 if stop == signal.SIGTERM else -signal.SIGKILL)
        assert refuses_connections(url)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


# -- in a real browser ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Debian's headless Chromium through its chromedriver (no browser download, no network)."""
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        if os.environ.get("CI") == "true":
            pytest.fail("CI must install chromium and chromium-driver (apt) for the browser tests")
        pytest.skip("needs /usr/bin/chromium and /usr/bin/chromedriver (apt install chromium chromium-driver)")
    if os.environ.get("CI") == "true":
        from selenium import webdriver
    else:
        webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-dev-shm-usage", "--window-size=1400,1000",
                     f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def test_alerts_page_in_a_browser_shows_the_alerts(ui, browser):
    from selenium.webdriver.common.by import By

    browser.get(f"{ui}/latest_alerts")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Latest alerts"
    headlines = [td.text for td in browser.find_elements(By.CSS_SELECTOR, "td.col-headline")]
    assert headlines == ["Суд над Бяляцкім", "Kalesnikava seen in colony"]
    links = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "td.col-url a")]
    assert "https://svaboda.example/a/1" in links
    ARTIFACTS.mkdir(exist_ok=True)
    assert browser.save_screenshot(str(ARTIFACTS / "ui-latest-alerts.png"))


def test_alerts_page_at_1400_px_shows_the_delivery_column_whole(ui, browser):
    """A 1,400 px wide window shows every column of the latest alerts, delivery included, without cutting."""
    from selenium.webdriver.common.by import By

    browser.set_window_size(1400, 1000)
    browser.get(f"{ui}/latest_alerts")
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "ui-latest-alerts-1400.png"))
    viewport = browser.execute_script("return document.documentElement.clientWidth")
    assert 1300 < viewport <= 1400
    cells = browser.find_elements(By.CSS_SELECTOR, "td.col-delivery")
    assert any(MAIL_TARGET in cell.text.replace("\n", "") for cell in cells)
    for cell in cells:
        right = browser.execute_script("return arguments[0].getBoundingClientRect().right", cell)
        assert right <= viewport, f"the delivery column ends at {right:.0f} px, past the window's {viewport} px"
    table = browser.find_element(By.CSS_SELECTOR, "table.rows-and-columns")
    assert browser.execute_script("return arguments[0].getBoundingClientRect().right", table) <= viewport


def test_search_form_in_a_browser_finds_and_highlights(ui, browser):
    from selenium.webdriver.common.by import By

    browser.get(f"{ui}/search")
    field = browser.find_element(By.CSS_SELECTOR, "input[name=q]")
    field.clear()
    field.send_keys("Homel")
    field.submit()
    deadline = time.monotonic() + 10
    while "q=Homel" not in browser.current_url and time.monotonic() < deadline:
        time.sleep(0.05)  # polling the browser's address until the submitted page loads
    titles = sorted(td.text for td in browser.find_elements(By.CSS_SELECTOR, "td.col-title"))
    assert titles == ["Kalesnikava seen (copy)", "Kalesnikava seen in colony"]
    assert {m.text for m in browser.find_elements(By.CSS_SELECTOR, "td.col-snippet mark")} == {"Homel"}
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "ui-search.png"))


def test_chromium_is_installed_in_ci():
    """CI=true must never skip the browser tests silently."""
    if os.environ.get("CI") != "true":
        pytest.skip("only checked in CI")
    assert CHROMIUM.exists()
    assert CHROMEDRIVER.exists()
    assert shutil.which("chromium")


def test_source_health_says_what_needs_attention(tmp_path):
    """Issue 15: quiet, broken and moved sources come first, each with what to do (the canned query's SQL,
    run by SQLite as Datasette runs it)."""
    from monitor.models import Source

    store = Store(tmp_path / "monitor.db")
    names = ["calm", "quiet", "walled", "moved"]
    store.sync_sources([Source(n, f"https://{n}.example/rss", "feed", 600.0) for n in names])
    for name in names:
        run = store.start_run(name)
        store.finish_run(run, name, {"pages": 2}, "ok", None, {})
    store.set_source_health("quiet", {"quiet_since": "2026-11-20T08:15:00+00:00", "usual_gap": 2400.0})
    store.set_source_health("walled", {"problem": "same_text", "problem_since": "2026-11-21T10:00:00+00:00",
                                       "problem_detail": "6 of 6 pages have the same text: “We value your privacy”"})
    store.set_source_health("moved", {"moved_to": "https://moved.example/feed"})
    rows = store.query(CANNED_QUERIES["source_health"]["sql"])
    store.close()
    assert [(r["source"], r["health"]) for r in rows] == [("walled", "BROKEN"), ("quiet", "QUIET"),
                                                          ("moved", "MOVED"), ("calm", "ok")]
    attention = {r["source"]: r["attention"] for r in rows}
    assert attention["quiet"] == "quiet since 2026-11-20 08:15, usually every 40 min."
    assert attention["walled"] == "broken since 2026-11-21 10:00: 6 of 6 pages have the same text: “We value your privacy”."
    assert attention["moved"] == "moved to https://moved.example/feed: update config.toml (monitor fix-source moved)"
    assert attention["calm"] == ""
