"""Live per-source progress for `monitor run --once` and the demo, when a person is watching a terminal."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from rich.console import Console
from rich.live import Live
from rich.table import Table

REFRESH_S = 0.5


@dataclass
class Row:
    """What one source has done so far."""

    state: str = "waiting"
    pages: int = 0
    new: int = 0
    hits: int = 0
    alerts: int = 0
    note: str = ""


def rows_table(rows: dict[str, Row]) -> Table:
    """The progress table: one line per source."""
    table = Table(title="news-monitor: one cycle", title_justify="left")
    for column in ("source", "state", "pages", "new articles", "hits", "alerts", ""):
        table.add_column(column)
    for name, row in rows.items():
        table.add_row(name, row.state, str(row.pages), str(row.new), str(row.hits), str(row.alerts), row.note)
    return table


class CycleProgress:
    """Polls the running crawlers' stats and redraws a table; does nothing when stdout is not a terminal."""

    def __init__(self, sources: Iterable[str], crawlers: Callable[[], Iterable[Any]], *, enabled: bool | None = None):
        self.rows = {name: Row() for name in sources}
        self.crawlers = crawlers
        self.enabled = sys.stdout.isatty() if enabled is None else enabled
        self._task: asyncio.Task[None] | None = None
        self._live: Live | None = None

    def finish(self, source: str, *, status: str, pages: int, new: int, hits: int, alerts: int, note: str = "") -> None:
        """Record a finished source."""
        self.rows[source] = Row("done" if status == "ok" else status, pages, new, hits, alerts, note)

    def _poll(self) -> None:
        for crawler in self.crawlers():
            spider = getattr(crawler, "spider", None)
            stats = crawler.stats.get_stats() if getattr(crawler, "stats", None) else {}
            name = getattr(getattr(spider, "source", None), "name", None)
            if name in self.rows and self.rows[name].state == "waiting" or (
                    name in self.rows and self.rows[name].state == "crawling"):
                self.rows[name] = Row("crawling", int(stats.get("downloader/response_count", 0)),
                                      int(stats.get("monitor/articles/new", 0)), int(stats.get("monitor/hits", 0)),
                                      int(stats.get("monitor/alerts", 0)))

    async def _loop(self, live: Live) -> None:
        while True:
            self._poll()
            live.update(rows_table(self.rows))
            await asyncio.sleep(REFRESH_S)

    def start(self) -> None:
        """Begin redrawing (terminal only)."""
        if self.enabled:
            self._live = live = Live(rows_table(self.rows), console=Console(), refresh_per_second=4, transient=False)
            live.start()
            self._task = asyncio.ensure_future(self._loop(live))

    def stop(self) -> None:
        """Draw the final table and stop."""
        if self._task is not None:
            self._task.cancel()
        if self._live is not None:
            self._live.update(rows_table(self.rows))
            self._live.stop()
