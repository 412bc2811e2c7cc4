"""The measured side of benchmarks/throughput.py: the daemon's cycle, run in this child process.

    python benchmarks/pipeline_child.py CONFIG CYCLES OUT [--code DIR] [--fast] [--watch-pids PID,...]

`--code DIR` imports `monitor` and `spiders` from DIR (another commit's checkout, for A/B runs) instead of this
repository; everything here copes with both sides of a change (hooks are only set where the method exists).
Each cycle runs `Daemon.run_source` for every source, then the outbox, as `monitor run --once` does; cycles 2..n
run over the unchanged site, as the daemon's next ticks would. CPU is read per cycle for this process (the crawl,
or the coordinator), its children (the cleaning pool) and the processes named by `--watch-pids` (scale-out
workers and their pools); thread-CPU clocks time the matcher and the store where they run in this process, and
a counter on redis-py's connections counts this process's round trips to Redis.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

# No politeness delays (--fast): the machine's capacity, not the sites' patience. Off by default: the issue's
# targets are measured with the shipped politeness.
FAST = {"DOWNLOAD_DELAY": 0.0, "AUTOTHROTTLE_ENABLED": False}
QUIET = {"LOG_LEVEL": "WARNING"}


def timed(owner: Any, name: str, clock: Counter[str], key: str) -> None:
    """Add a thread-CPU timer around owner.name, when the code measured has it (benchmark only)."""
    original = getattr(owner, name, None)
    if original is None:
        return

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.thread_time()
        try:
            return original(*args, **kwargs)
        finally:
            clock[key] += time.thread_time() - start
    setattr(owner, name, wrapper)


def instrument(clock: Counter[str]) -> None:
    """Thread-CPU timers around what runs on the loop thread: matching, storing, crawl state."""
    from monitor.match import Matcher
    from monitor.store import Store

    timed(Matcher, "find_hits", clock, "match")
    timed(Store, "save_article", clock, "store")
    timed(Store, "save_articles", clock, "store")
    for name in ("validators", "remember", "is_known", "start_run", "finish_run", "set_next_run", "content_hash",
                 "touch_article", "story_of"):
        timed(Store, name, clock, "state")
    try:
        from monitor.store.stories import StoryIndex
    except ImportError:
        return
    timed(StoryIndex, "find", clock, "stories")
    timed(StoryIndex, "add", clock, "stories")


def count_redis_round_trips(counter: Counter[str]) -> None:
    """Count every request this process writes to Redis (a pipeline is one round trip)."""
    try:
        from redis import connection
    except ImportError:
        return
    cls = getattr(connection, "AbstractConnection", connection.Connection)
    original = cls.send_packed_command

    def counted(self: Any, command: Any, check_health: bool = True) -> Any:
        counter["redis"] += 1
        first = command[0] if isinstance(command, list) and command else command
        words = bytes(first).split(b"\r\n") if isinstance(first, bytes | bytearray | memoryview) else []
        counter[f"redis {words[2].decode(errors='replace').upper() if len(words) > 2 else '?'}"] += 1
        return original(self, command, check_health)
    cls.send_packed_command = counted


class Sampler:
    """Peak RSS of this process and of this process plus its children, sampled every 0.1 s."""

    def __init__(self, watched: list[int]) -> None:
        import psutil

        self.me = psutil.Process()
        self.watched = [psutil.Process(pid) for pid in watched]
        self.peak_main = self.peak_total = 0
        self._stop = threading.Event()
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        # Listing children scans all of /proc; the pool's processes live as long as the daemon, so the list
        # is refreshed once a second and only their RSS is read every 0.1 s (this thread's CPU is counted
        # in the pipeline's own).
        children, tick = [], 0
        while not self._stop.wait(0.1):
            if tick % 10 == 0:
                children = self.me.children(recursive=True)
            tick += 1
            main = self.me.memory_info().rss
            total = main + sum(_safe_rss(c) for c in children)
            self.peak_main, self.peak_total = max(self.peak_main, main), max(self.peak_total, total)

    def children_cpu(self) -> float:
        """CPU seconds of the live child processes (the cleaning pool)."""
        return children_cpu(self.me)

    def watched_cpu(self) -> float:
        """CPU seconds of the watched processes (scale-out workers) and their children."""
        total = 0.0
        for process in self.watched:
            total += _cpu(process) + children_cpu(process)
        return total


def _cpu(process: Any) -> float:
    import psutil

    try:
        times = process.cpu_times()
    except psutil.Error:  # a process that exited between listing and reading
        return 0.0
    return float(times.user + times.system)


def children_cpu(process: Any) -> float:
    """CPU seconds of a psutil process's live children."""
    return sum(_cpu(child) for child in process.children(recursive=True))


def _safe_rss(process: Any) -> int:
    try:
        return int(process.memory_info().rss)
    except Exception:
        return 0


async def run_cycles(config_path: str, cycles: int, overrides: dict[str, Any], watched: list[int]) -> dict[str, Any]:
    """The daemon's cycle `cycles` times; per-cycle wall time, CPU by process and stage, RSS."""
    clock: Counter[str] = Counter()
    instrument(clock)
    count_redis_round_trips(clock)
    sampler = Sampler(watched)
    from monitor.config import load_config
    from monitor.run import Daemon

    config = load_config(config_path)
    daemon = Daemon(config, scrapy_overrides=overrides)
    if config.monitor.redis_url and not hasattr(daemon.runner, "broker"):  # older code: no Coordinator by itself
        from monitor.scaleout import Coordinator

        daemon.runner = Coordinator(config)
    executor = getattr(daemon, "executor", None)
    if executor is not None:
        # The cleaning processes import trafilatura and friends once, at start-up (~2 s CPU each). A daemon
        # pays that once in its life, so it is start-up cost, not a cycle's, as in the cleaner ceiling.
        from monitor.crawl import warm_up

        loop = asyncio.get_running_loop()
        calls = 4 * (os.cpu_count() or 1)  # enough that every pool process has run one
        await asyncio.gather(*(loop.run_in_executor(executor, warm_up) for _ in range(calls)))
    startup_cpu = time.process_time() + sampler.children_cpu()
    results = []
    try:
        for _ in range(cycles):
            before = dict(clock)
            cpu0, child0, watched0 = time.process_time(), sampler.children_cpu(), sampler.watched_cpu()
            wall0 = time.perf_counter()
            await asyncio.gather(*(daemon.run_source(s.name) for s in config.sources if s.enabled))
            cpu1 = time.process_time()
            sent = await daemon.dispatcher.send_due()
            cpu2, wall2 = time.process_time(), time.perf_counter()
            delta = {k: clock[k] - before.get(k, 0.0) for k in clock}
            results.append({
                "wall": wall2 - wall0, "cpu_main": cpu2 - cpu0, "cpu_pool": sampler.children_cpu() - child0,
                "cpu_workers": sampler.watched_cpu() - watched0, "cpu_alert": cpu2 - cpu1,
                "cpu_match": delta.get("match", 0.0), "cpu_store": delta.get("store", 0.0),
                "cpu_stories": delta.get("stories", 0.0), "cpu_state": delta.get("state", 0.0),
                "redis_round_trips": int(delta.get("redis", 0)), "alerts_sent": sent,
                "redis_by_command": {k[6:]: int(v) for k, v in delta.items() if k.startswith("redis ") and v},
                "rss_main_mb": sampler.me.memory_info().rss / 2**20,
            })
        articles = daemon.store.query("SELECT count(*) AS n FROM articles")[0]["n"]
        runs = daemon.store.query("SELECT status, count(*) AS n FROM runs GROUP BY status")
    finally:
        await daemon.close()
    return {"cycles": results, "articles": articles, "runs": runs, "startup_cpu": startup_cpu,
            "peak_main_mb": sampler.peak_main / 2**20, "peak_total_mb": sampler.peak_total / 2**20}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("config")
    parser.add_argument("cycles", type=int)
    parser.add_argument("out")
    parser.add_argument("--code", help="checkout to import monitor and spiders from (default: this repository)")
    parser.add_argument("--fast", action="store_true", help="no politeness delays")
    parser.add_argument("--watch-pids", default="", help="comma-separated PIDs whose CPU counts too (workers)")
    args = parser.parse_args()
    code = Path(args.code).resolve() if args.code else Path(__file__).resolve().parents[1]
    sys.path.insert(0, str(code))
    from monitor.crawl import run_in_reactor
    from monitor.logs import setup_logging

    setup_logging(-1, "text")
    overrides = {**(FAST if args.fast else {}), **QUIET}
    watched = [int(p) for p in args.watch_pids.split(",") if p]
    result: dict[str, Any] = {}

    async def run() -> int:
        result.update(await run_cycles(args.config, args.cycles, overrides, watched))
        return 0

    run_in_reactor(run)
    Path(args.out).write_text(json.dumps(result), encoding="utf-8")


if __name__ == "__main__":
    main()
