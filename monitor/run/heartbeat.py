"""Is a daemon running on this database? Each daemon (and `run --once`) records its host and pid and beats
every few seconds; a reader compares the beat with the clock and, on the same machine, asks the OS whether
that pid still runs. A daemon that was killed leaves a row that stopped beating and was never closed."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from monitor.store import Store, utcnow

logger = logging.getLogger(__name__)

HEARTBEAT_S = 10.0
# A beat older than this means the process is gone (or hung); on another machine it is all we can know.
SILENT_AFTER = timedelta(seconds=6 * HEARTBEAT_S)
# Past this, a live pid on this machine is a new process that reused the number, not our daemon.
GONE_AFTER = timedelta(minutes=15)


@dataclass(frozen=True)
class DaemonState:
    """What `monitor status` says about the daemon."""

    running: bool
    text: str


def pid_alive(pid: int) -> bool:
    """Whether a process with this pid exists on this machine."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    return True


def _when(value: str | None) -> str:
    return (value or "?")[:19].replace("T", " ") + " UTC"


def _ago(value: str, now: datetime) -> str:
    seconds = max(0, int((now - datetime.fromisoformat(value)).total_seconds()))
    return f"{seconds} s" if seconds < 120 else f"{seconds // 60} min"


def daemon_state(rows: list[dict[str, Any]], host: str, now: datetime | None = None) -> DaemonState:
    """The daemon's state from the process rows (latest beat first) of a database."""
    now = now or utcnow()
    daemons = [r for r in rows if r["mode"] == "daemon"]
    for row in daemons:
        if row["stopped"]:
            continue
        silent = now - datetime.fromisoformat(row["beat"])
        local = row["host"] == host
        if local and not pid_alive(int(row["pid"])):
            continue
        if silent <= SILENT_AFTER:
            return DaemonState(True, f"running: pid {row['pid']} on {row['host']}, since {_when(row['started'])}; "
                                     f"last heartbeat {_ago(row['beat'], now)} ago")
        if local and silent <= GONE_AFTER:
            return DaemonState(True, f"pid {row['pid']} on {row['host']} runs but has not beaten since "
                                     f"{_when(row['beat'])}: is it stuck?")
    if not daemons:
        return DaemonState(False, "no daemon has run on this database (`monitor run` starts one)")
    last = daemons[0]
    how = "stopped" if last["stopped"] else "ended without stopping: killed or crashed"
    return DaemonState(False, f"no daemon running since {_when(last['stopped'] or last['beat'])} "
                              f"(pid {last['pid']} on {last['host']} {how})")


def _alive(row: dict[str, Any], host: str, now: datetime) -> bool:
    """Whether the process of a heartbeat row still runs (on this machine, the OS knows; elsewhere, the beat)."""
    if row["stopped"]:
        return False
    silent = now - datetime.fromisoformat(row["beat"])
    if row["host"] == host:
        return pid_alive(int(row["pid"])) and silent <= GONE_AFTER
    return silent <= SILENT_AFTER


def orphaned_runs(runs: list[dict[str, Any]], processes: list[dict[str, Any]], host: str, pid: int,
                  now: datetime | None = None) -> list[int]:
    """The `running` runs whose process is gone: killed or crashed mid-run (never this process's own)."""
    now = now or utcnow()
    live = {(r["host"], int(r["pid"])) for r in processes if _alive(r, host, now)} | {(host, pid)}
    anyone = any(key != (host, pid) for key in live)
    orphans = []
    for run in runs:
        if run["host"] is None:  # written before runs recorded their process: orphaned unless someone runs
            if not anyone:
                orphans.append(int(run["id"]))
        elif (run["host"], int(run["pid"])) not in live:
            orphans.append(int(run["id"]))
    return orphans


async def beat_until(store: Store, stop: asyncio.Event, every: float = HEARTBEAT_S) -> None:
    """Beat every `every` seconds until `stop` is set; a locked database only delays a beat."""
    while not stop.is_set():
        try:
            store.beat()
        except Exception as exc:  # the heartbeat must never take the daemon down
            logger.warning("heartbeat not recorded: %s", exc)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), every)
