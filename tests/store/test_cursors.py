"""Cursors: how far a paged source (a Telegram channel) has read, kept only when a run completes."""

from __future__ import annotations

from monitor.store import RunState, Store


def test_a_cursor_is_kept_only_when_the_run_commits(tmp_path):
    store = Store(tmp_path / "monitor.db")
    try:
        assert store.cursor("https://t.me/viasna_test") is None
        failed = RunState(store)
        failed.advance_cursor("https://t.me/viasna_test", "120")
        assert failed.cursor("https://t.me/viasna_test") == "120", "the run itself sees its own advance"
        assert store.cursor("https://t.me/viasna_test") is None, "a run that did not complete keeps nothing"
        done = RunState(store)
        done.advance_cursor("https://t.me/viasna_test", "125")
        done.commit()
        assert store.cursor("https://t.me/viasna_test") == "125"
    finally:
        store.close()
    reopened = Store(tmp_path / "monitor.db")
    try:
        assert RunState(reopened).cursor("https://t.me/viasna_test") == "125"
    finally:
        reopened.close()
