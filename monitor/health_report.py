"""The health part of `monitor status`: whether a daemon runs, which sources are quiet, broken or moved,
and the pages each source had rejected, per reason."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from rich.table import Table

from monitor.config import Config
from monitor.store import Store, this_host, utcnow

REJECTIONS_WINDOW = timedelta(days=7)


def daemon_line(store: Store) -> tuple[bool, str]:
    """(running, "Daemon: …") for this database."""
    from monitor.run import daemon_state

    state = daemon_state(store.processes(), this_host())
    return state.running, f"Daemon: {state.text}"


def health_label(row: dict[str, Any]) -> str:
    """The health column: ok, or every state that needs the operator."""
    if not row.get("last_status"):
        return "—"
    labels = [] if row.get("healthy", 1) else [f"UNHEALTHY ({row.get('failures_in_row')} fails)"]
    labels += [word for column, word in (("problem", "BROKEN"), ("quiet_since", "QUIET"), ("moved_to", "MOVED"))
               if row.get(column)]
    return ", ".join(labels) or "ok"


def _gap(seconds: float | None) -> str:
    from monitor.run import describe_gap

    return describe_gap(float(seconds)) if seconds else "?"


def attention_lines(config: Config, rows: dict[str, dict[str, Any]]) -> list[str]:
    """One line per quiet, broken or moved source, saying what to do."""
    from monitor.run import PROBLEM_LABELS

    lines = []
    for source in config.sources:
        row = rows.get(source.name, {})
        if row.get("problem"):
            since = str(row.get("problem_since") or "")[:16].replace("T", " ")
            word = PROBLEM_LABELS.get(row["problem"], row["problem"])
            lines.append(f"  {source.name}: broken since {since} UTC: {word}: {row.get('problem_detail') or ''}")
        if row.get("quiet_since"):
            since = str(row["quiet_since"])[:16].replace("T", " ")
            lines.append(f"  {source.name}: quiet since {since} UTC, usually every {_gap(row.get('usual_gap'))}")
        if row.get("moved_to") and row["moved_to"] != source.url:
            lines.append(f"  {source.name}: moved to {row['moved_to']}: update config.toml "
                         f"(monitor fix-source {source.name})")
    return ["Needs attention:", *lines] if lines else []


def rejections_table(store: Store, config: Config) -> Table | None:
    """Pages each source had rejected in the last week, per reason; None when there were none."""
    names = {s.name for s in config.sources}
    rows = [(s, r, n) for s, r, n in store.rejections(utcnow() - REJECTIONS_WINDOW) if s in names]
    if not rows:
        return None
    table = Table(title="Rejected pages, last 7 days", title_justify="left")
    for column in ("source", "reason", "pages"):
        table.add_column(column)
    for source, reason, pages in rows:
        table.add_row(source, reason, str(pages))
    return table
