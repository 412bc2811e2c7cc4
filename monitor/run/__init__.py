"""Run stage: the daemon that schedules crawls and deliveries and keeps going for months.

Takes a config path; gives a running daemon (`run_daemon`): one APScheduler job per source and digest,
config reload, source health, signals and an orderly shutdown. `run --once` is the same daemon, one cycle.
A term added to a watchlist is looked for in recent stored articles too (`rescan`, also on request).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from monitor.exports import lazy_exports

if TYPE_CHECKING:
    from monitor.run.daemon import Daemon as Daemon
    from monitor.run.daemon import run_daemon as run_daemon
    from monitor.run.lookback import rescan as rescan
    from monitor.run.lookback import rescan_report as rescan_report

# name → the module that defines it, imported on first use (see monitor/exports.py for why).
EXPORTS = {
    "Daemon": "daemon",
    "rescan": "lookback",
    "rescan_report": "lookback",
    "run_daemon": "daemon",
}
__all__ = sorted(EXPORTS)
__getattr__ = lazy_exports(__name__, EXPORTS)
