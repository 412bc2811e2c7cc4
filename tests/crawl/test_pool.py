"""The cleaning pool's processes run at a lower CPU priority than the daemon, and end with it, even when it is
killed with SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import psutil

from tests.paths import REPO

# A stand-in daemon: the real pool, warmed up, its worker pids printed; then it waits to be killed.
DAEMON = """
import time
from monitor.crawl.pipeline import make_executor
from monitor.crawl.pool import warm_up
pool = make_executor(2)
for f in [pool.submit(warm_up) for _ in range(4)]:
    f.result()
print(" ".join(str(p) for p in pool._processes), flush=True)
time.sleep(600)
"""


def test_pool_processes_exit_when_the_daemon_is_killed_with_sigkill():
    daemon = subprocess.Popen([sys.executable, "-c", DAEMON], stdout=subprocess.PIPE, text=True, cwd=REPO,
                              env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        assert daemon.stdout is not None
        pids = [int(p) for p in daemon.stdout.readline().split()]
        assert len(pids) == 2
        assert all(psutil.pid_exists(p) for p in pids)
        # the crawl's process must win the CPU when it wakes (monitor.crawl.pool.POOL_NICENESS)
        assert [psutil.Process(p).nice() for p in pids] == [psutil.Process(daemon.pid).nice() + 5] * 2
        if hasattr(os, "SCHED_BATCH"):
            assert [os.sched_getscheduler(p) for p in pids] == [os.SCHED_BATCH] * 2
        daemon.send_signal(signal.SIGKILL)
        daemon.wait(10)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(_alive(p) for p in pids):
            time.sleep(0.1)  # polling for the orphans to go
        assert not [p for p in pids if _alive(p)], "pool processes outlived the killed daemon"
    finally:
        if daemon.poll() is None:
            daemon.kill()


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
