"""Run stage: the daemon that schedules crawls and deliveries and keeps going for months.

Takes a config path; gives a running daemon (`run_daemon`): one APScheduler job per source and digest,
config reload, source health, signals and an orderly shutdown. `run --once` is the same daemon, one cycle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from monitor.exports import lazy_exports

if TYPE_CHECKING:
    from monitor.run.daemon import Daemon as Daemon
    from monitor.run.daemon import run_daemon as run_daemon

# name → the module that defines it, imported on first use (see monitor/exports.py for why).
EXPORTS = {
    "Daemon": "daemon",
    "run_daemon": "daemon",
}
__all__ = sorted(EXPORTS)
__getattr__ = lazy_exports(__name__, EXPORTS)
