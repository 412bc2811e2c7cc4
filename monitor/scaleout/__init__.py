"""Scale-out stage: crawls spread over several machines through Redis (Dramatiq).

Takes crawl jobs from the daemon (`Coordinator`, which has the crawl runner's interface); workers
(`run_worker`) fetch and clean; gives the cleaned articles back to the coordinator, which matches, stores
and alerts as in one process.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from monitor.exports import lazy_exports

if TYPE_CHECKING:
    from monitor.scaleout.coordinator import Coordinator as Coordinator
    from monitor.scaleout.coordinator import run_worker as run_worker
    from monitor.scaleout.wire import queue_summary as queue_summary

# name → the module that defines it, imported on first use (see monitor/exports.py for why).
EXPORTS = {
    "Coordinator": "coordinator",
    "queue_summary": "wire",
    "run_worker": "coordinator",
}
__all__ = sorted(EXPORTS)
__getattr__ = lazy_exports(__name__, EXPORTS)
