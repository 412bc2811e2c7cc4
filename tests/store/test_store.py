"""The store: schema, WAL, the exactly-once alert rule, the outbox, migrations."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from monitor.errors import StorageError
from monitor.models import Article, Hit, Source
from monitor.store.database import Store, target_key
from monitor.store.schema import SCHEMA_VERSION

URL = "mailto://127.0.0.1:2525?from=a@example.org&to=b@example.org"


def article(url: str = "https://news.example/a", text: str = "Maria Kalesnikava was freed.") -> Article:
    return Article(url=url, title="Prisoners freed", text=text, source="example",
                   published=datetime(2026, 11, 24, 10, tzinfo=UTC))


def hit(term: str, found: str | None = None, watchlist: str = "prisoners", start: int = 0) -> Hit:
    return Hit(watchlist, term, found or term, "text", start, start + len(found or term), f"… {found or term} …")


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "monitor.db")
    yield s
    s.close()


def test_database_is_in_wal_mode_with_current_schema(store):
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_saving_twice_creates_one_article_and_one_alert(store):
    for _ in range(2):
        store.save_article(article(), "h1", "story-1", [hit("Maria Kalesnikava")], alertable=True,
                           targets={"prisoners": (URL,)})
    assert store.query("SELECT count(*) AS n FROM articles")[0]["n"] == 1
    assert store.query("SELECT count(*) AS n FROM hits")[0]["n"] == 1
    assert store.query("SELECT count(*) AS n FROM alerts")[0]["n"] == 1
    delivery = store.query("SELECT * FROM deliveries")
    assert [(d["status"], d["target"]) for d in delivery] == [("pending", target_key(URL))]
    assert delivery[0]["target_masked"] == URL  # as written: it holds no secret


def test_the_outbox_never_holds_a_password(store):
    secret_url = "mailtos://desk:Pa55-w0rd@example.org?to=b@example.org"
    store.save_article(article(), "h1", "story-1", [hit("Maria Kalesnikava")], alertable=True,
                       targets={"prisoners": (secret_url,)})
    delivery = store.query("SELECT * FROM deliveries")
    assert delivery[0]["target_masked"] == "mailtos://desk:****@example.org?to=b@example.org"
    assert "Pa55-w0rd" not in json.dumps(delivery)


def test_new_name_in_updated_article_alerts_again_for_that_name_only(store):
    targets = {"prisoners": (URL,)}
    store.save_article(article(), "h1", "s", [hit("Maria Kalesnikava")], alertable=True, targets=targets)
    created = store.save_article(article(text="Kalesnikava and Bialiatski"), "h2", "s",
                                 [hit("Maria Kalesnikava"), hit("Ales Bialiatski", start=20)],
                                 alertable=True, targets=targets)
    assert [a.terms for a in created] == [("Ales Bialiatski",)]


def test_copy_of_a_story_on_another_site_does_not_alert_again(store):
    targets = {"prisoners": (URL,)}
    store.save_article(article("https://a.example/1"), "h1", "story", [hit("Maria Kalesnikava")],
                       alertable=True, targets=targets)
    created = store.save_article(article("https://b.example/2"), "h2", "story", [hit("Maria Kalesnikava")],
                                 alertable=True, targets=targets)
    assert created == []


def test_not_alertable_article_records_hits_but_no_alert(store):
    created = store.save_article(article(), "h1", "s", [hit("Maria Kalesnikava")], alertable=False,
                                 targets={"prisoners": (URL,)})
    assert created == []
    assert store.query("SELECT count(*) AS n FROM hits")[0]["n"] == 1


def test_watchlist_without_notify_records_alert_without_deliveries(store):
    created = store.save_article(article(), "h1", "s", [hit("Maria Kalesnikava")], alertable=True, targets={})
    assert len(created) == 1
    assert store.query("SELECT count(*) AS n FROM deliveries")[0]["n"] == 0


def test_full_text_search_finds_articles_without_diacritics_or_case(store):
    store.save_article(article(text="Łukašenka spoke. Колесникова was freed."), "h", "s", [],
                       alertable=False, targets={})
    found = store.query("SELECT url FROM articles_fts JOIN articles ON articles.rowid = articles_fts.rowid "
                        "WHERE articles_fts MATCH ?", ["łukasenka"])
    assert found
    assert store.query("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?", ["колесникова"])


def test_outbox_due_and_mark(store):
    store.save_article(article(), "h1", "s", [hit("Maria Kalesnikava")], alertable=True,
                       targets={"prisoners": (URL,)})
    now = datetime.now(UTC)
    (row,) = store.due_deliveries(now)
    store.mark_delivery(row["id"], status="pending", error="down", next_try=now + timedelta(minutes=5))
    assert store.due_deliveries(now) == []
    assert len(store.due_deliveries(now + timedelta(minutes=6))) == 1
    store.mark_delivery(row["id"], status="sent")
    assert store.due_deliveries(now + timedelta(days=1)) == []
    final = store.query("SELECT status, attempts, sent_at FROM deliveries")[0]
    assert final["status"] == "sent"
    assert final["attempts"] == 2
    assert final["sent_at"]


def test_is_known_respects_lastmod(store):
    store.save_article(article(), "h1", "s", [], alertable=False, targets={})
    assert store.is_known("https://news.example/a")
    assert store.is_known("https://news.example/a", datetime(2000, 1, 1, tzinfo=UTC))
    assert not store.is_known("https://news.example/a", datetime.now(UTC) + timedelta(hours=1))
    assert not store.is_known("https://news.example/other")


def test_run_bookkeeping_counts_failures_in_a_row(store):
    store.sync_sources([Source("s1", "https://x.example/rss", "feed", 60)])
    assert not store.is_baseline_done("s1")
    for expected in (1, 2):
        run = store.start_run("s1")
        assert store.finish_run(run, "s1", {"pages": 0}, "error", "refused", {}) == expected
    run = store.start_run("s1")
    assert store.finish_run(run, "s1", {"pages": 3}, "ok", None, {}) == 0
    assert store.is_baseline_done("s1")


def test_database_from_a_newer_version_is_refused(tmp_path):
    path = tmp_path / "new.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    with pytest.raises(StorageError, match="newer"):
        Store(path)


def test_version_1_database_is_migrated_and_keeps_its_rows(tmp_path):
    path = tmp_path / "old.db"
    import sqlite_utils

    from monitor.store.schema import MIGRATIONS

    db = sqlite_utils.Database(path)
    MIGRATIONS[0](db)
    db.execute("PRAGMA user_version = 1")
    db["articles"].insert({"url": "u", "source": "s", "fetched": "2026-01-01", "content_hash": "h", "text": "t"})
    db.close()
    store = Store(path)
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert "signatures" in store.db.table_names()
    assert store.content_hash("u") == "h"
    store.close()


def test_version_2_database_gains_authors_and_credits(tmp_path):
    path = tmp_path / "v2.db"
    import sqlite_utils

    from monitor.store.schema import MIGRATIONS

    db = sqlite_utils.Database(path)
    for step in MIGRATIONS[:2]:
        step(db)
    db.execute("PRAGMA user_version = 2")
    db["articles"].insert({"url": "u", "source": "s", "fetched": "2026-01-01", "content_hash": "h", "text": "t"})
    db.close()
    store = Store(path)
    assert {"authors", "credits"} <= set(store.db["articles"].columns_dict)
    assert store.content_hash("u") == "h"
    store.close()


# issue 13: a page's own calendar day, its authors and its credit lines are stored as the page gives them
def test_publication_time_keeps_the_pages_own_offset_and_day(store):
    late_evening = datetime(2025, 12, 3, 22, 0, tzinfo=timezone(timedelta(hours=-8)))
    store.save_article(replace(article(), published=late_evening), "h1", "s", [], alertable=False, targets={})
    row = store.query("SELECT published, datetime(published) AS utc FROM articles")[0]
    assert row["published"] == "2025-12-03T22:00:00-08:00"  # converted to UTC first, it would be the 4th
    assert row["utc"] == "2025-12-04 06:00:00"  # SQLite still reads it as the right instant


def test_authors_and_credits_are_stored_and_go_into_the_alert(store):
    stored = replace(article(), author="Anna Kowalska, Jan Nowak", authors=("Anna Kowalska", "Jan Nowak"),
                     credits="By Anna Kowalska and Jan Nowak\nPhoto: Piotr Zieliński")
    store.save_article(stored, "h1", "s", [hit("Maria Kalesnikava")], alertable=True, targets={"prisoners": (URL,)})
    row = store.query("SELECT authors, credits FROM articles")[0]
    assert json.loads(row["authors"]) == ["Anna Kowalska", "Jan Nowak"]
    assert row["credits"].split("\n") == ["By Anna Kowalska and Jan Nowak", "Photo: Piotr Zieliński"]
    payload = json.loads(store.query("SELECT payload FROM alerts")[0]["payload"])
    assert payload["article"]["authors"] == ["Anna Kowalska", "Jan Nowak"]


def test_reader_process_never_blocks_writes(tmp_path):
    path = tmp_path / "monitor.db"
    store = Store(path)
    reader = subprocess.Popen([sys.executable, "-c", (
        "import sqlite3, time, sys\n"
        f"c = sqlite3.connect({str(path)!r}, timeout=30)\n"
        "end = time.monotonic() + 3\n"
        "n = 0\n"
        "while time.monotonic() < end:\n"
        "    c.execute('BEGIN'); c.execute('SELECT count(*) FROM articles').fetchone(); c.execute('COMMIT'); n += 1\n"
        "print(n)\n")], stdout=subprocess.PIPE, text=True)
    written = 0
    while reader.poll() is None:
        store.save_article(article(f"https://news.example/{written}"), f"h{written}", f"s{written}",
                           [hit("Maria Kalesnikava")], alertable=True, targets={"prisoners": (URL,)})
        written += 1
    out, _ = reader.communicate()
    assert reader.returncode == 0
    assert int(out) > 10
    assert store.query("SELECT count(*) AS n FROM articles")[0]["n"] == written > 10
    store.close()
