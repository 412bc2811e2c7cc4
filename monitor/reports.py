"""Read-only views of the database for the command line: `monitor status` and `monitor alerts`."""

from __future__ import annotations

import io
import json
from typing import Any

from rich.console import Console
from rich.table import Table

from monitor.config import Config, redact
from monitor.health_report import attention_lines, daemon_line, health_label, rejections_table
from monitor.store import Store


def _render(*tables: Table) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=160, force_terminal=False, color_system=None)
    for table in tables:
        console.print(table)
    return buffer.getvalue().rstrip()


def _short(moment: Any) -> str:
    return str(moment or "—")[:19].replace("T", " ")


def status_report(config: Config) -> str:
    """The daemon; sources (last run, duration, counts, health, next run), watchlists and the outbox."""
    store = Store(config.monitor.database)
    try:
        running, daemon = daemon_line(store)
        sources = Table(title="Sources", title_justify="left")
        for column in ("source", "type", "last run", "result", "secs", "pages", "new", "hits", "errors",
                       "health", "next run"):
            sources.add_column(column)
        rows = {r["name"]: r for r in store.query("SELECT * FROM sources")}
        for source in config.sources:
            r = rows.get(source.name, {})
            health = health_label(r)
            result = r.get("last_status") or "never run"
            if r.get("last_error"):
                result += f": {str(r['last_error'])[:40]}"
            sources.add_row(source.name + ("" if source.enabled else " (off)"), source.type,
                            _short(r.get("last_run_started")), result, str(r.get("last_duration") or "—"),
                            str(r.get("last_pages") or 0), str(r.get("last_new") or 0), str(r.get("last_hits") or 0),
                            str(r.get("last_errors") or 0), health,
                            _short(r.get("next_run")) if running else "no daemon")
        watch = Table(title="Watchlists", title_justify="left")
        for column in ("watchlist", "terms", "queries", "hits 24h", "last alert", "notify"):
            watch.add_column(column)
        for w in config.watchlists:
            hits = store.query("SELECT count(*) AS n FROM hits WHERE watchlist = ? AND found_at >= "
                               "strftime('%Y-%m-%dT%H:%M:%S', 'now', '-1 day')", [w.name])[0]["n"]
            last = store.query("SELECT max(created) AS t FROM alerts WHERE watchlist = ?", [w.name])[0]["t"]
            watch.add_row(w.name, str(len(w.terms)), str(len(w.queries)), str(hits), _short(last),
                          f"{len(w.notify)} URL(s)" if w.notify else "none (recorded only)")
        outbox = Table(title="Outbox", title_justify="left")
        outbox.add_column("status")
        outbox.add_column("deliveries")
        for r in store.query("SELECT status, count(*) AS n FROM deliveries GROUP BY status ORDER BY status"):
            outbox.add_row(r["status"], str(r["n"]))
        scaleout = ""
        if config.monitor.redis_url:
            from monitor.scaleout import queue_summary

            scaleout = f"\nScale-out on {redact(config.monitor.redis_url)}: {queue_summary(config.monitor.redis_url)}"
        attention = "".join(f"\n{line}" for line in attention_lines(config, rows))
        rejected = rejections_table(store, config)
        rest = (watch, outbox) if rejected is None else (rejected, watch, outbox)
        return f"{daemon}\n{_render(sources)}{attention}\n{_render(*rest)}{scaleout}"
    finally:
        store.close()


def alerts_report(config: Config, *, failed: bool = False, limit: int = 20) -> str:
    """Recent alerts with who was named, the headline, and each delivery's status."""
    store = Store(config.monitor.database)
    try:
        where = "WHERE a.id IN (SELECT alert_id FROM deliveries WHERE status = 'failed')" if failed else ""
        rows = store.query(  # `where` is one of two constants
            f"SELECT a.*, (SELECT group_concat(d.target_masked || ': ' || d.status, '; ') FROM deliveries d "  # noqa: S608
            f"WHERE d.alert_id = a.id) AS delivery, (SELECT group_concat(x.source, ', ') FROM articles x "
            f"WHERE x.story = a.story AND x.url != a.article_url) AS copies "
            f"FROM alerts a {where} ORDER BY a.id DESC LIMIT ?", [limit])
        table = Table(title="Failed alerts" if failed else "Recent alerts", title_justify="left")
        for column in ("id", "created", "watchlist", "names", "headline", "source", "delivery"):
            table.add_column(column, overflow="fold")
        for r in rows:
            payload = json.loads(r["payload"])
            article = payload["article"]
            copies = sorted(set((r["copies"] or "").split(", ")) - {""})
            table.add_row(str(r["id"]), _short(r["created"]), r["watchlist"], ", ".join(json.loads(r["terms"])),
                          f"{article.get('title')}\n{article['url']}", article.get("source", "")
                          + (f" (+{len(copies)} more: {', '.join(copies)})" if copies else ""),
                          r["delivery"] or "recorded only")
        return _render(table)
    finally:
        store.close()
