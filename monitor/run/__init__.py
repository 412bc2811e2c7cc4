"""Run stage: the daemon that schedules crawls and deliveries and keeps going for months.

Takes a config path; gives a running daemon (`run_daemon`): one APScheduler job per source and digest,
config reload, source health, signals and an orderly shutdown. `run --once` is the same daemon, one cycle.
For `monitor status`: `daemon_state` (is a daemon alive?), `describe_gap` and `PROBLEM_LABELS` (source health).
A term added to a watchlist is looked for in recent stored articles too (`rescan`, also on request).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from monitor.exports import lazy_exports

if TYPE_CHECKING:
    from monitor.run.daemon import Daemon as Daemon
    from monitor.run.daemon import run_daemon as run_daemon
    from monitor.run.health import PROBLEM_LABELS as PROBLEM_LABELS
    from monitor.run.heartbeat import daemon_state as daemon_state
    from monitor.run.lookback import rescan as rescan
    from monitor.run.lookback import rescan_report as rescan_report
    from monitor.run.rhythm import describe_gap as describe_gap

# name → the module that defines it, imported on first use (see monitor/exports.py for why).
EXPORTS = {
    "Daemon": "daemon",
    "PROBLEM_LABELS": "health",
    "daemon_state": "heartbeat",
    "describe_gap": "rhythm",
    "rescan": "lookback",
    "rescan_report": "lookback",
    "run_daemon": "daemon",
}
__all__ = sorted(EXPORTS)
__getattr__ = lazy_exports(__name__, EXPORTS)
