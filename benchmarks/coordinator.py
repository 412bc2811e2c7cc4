"""How many scale-out workers one coordinator core and one Redis can feed: the coordinator at saturation.

    python benchmarks/coordinator.py --worker-rate 53          # 4,000 articles; rate of one worker on this machine
    python benchmarks/coordinator.py --ab main . --worker-rate 53

The real pages of benchmarks/site.py (unique copies, 5% naming a watched person) are prepared first as workers
prepare them (cleaned, signed, matched, in a process pool) and queued in a real redis-server as the workers'
result messages. Then, measured: a Coordinator with its store and story index takes every message off Redis and
stores every article, as fast as it can. Saturated, idle polling costs nothing per article and every figure is
the marginal cost of an article: coordinator CPU (process and loop thread), round trips to Redis, and
redis-server's own CPU. One core feeds 1,000 / (CPU ms per article) articles a second, and so many workers of
`--worker-rate` articles a second each (measure that rate with `benchmarks/throughput.py --workers 1`). E-mail
delivery is not included: it costs per alert, not per article (apprise builds an SSL context per message,
~25-45 ms here), and runs in the dispatcher's threads.

With `--ab A B` the coordinator of two revisions (see throughput.py; `.` is this working tree) takes the same
queue in turn, alternating over `--rounds` rounds. A revision whose workers send one message per article gets
messages of one article (detected from its wire module).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def prepare_messages(count: int, folder: Path | None, batch: int) -> list[list[dict[str, Any]]]:
    """Prepared articles as the workers' result items, in batches (unique URLs, over 50 sources)."""
    from benchmarks.site import BenchSite, watch_names
    from monitor.crawl import MatchSpec
    from monitor.models import RawPage, Term, Watchlist

    sources = 50
    site = BenchSite(sources, -(-count // sources), folder)
    site.build()
    pages = [RawPage(url=f"http://{h}{p}", final_url=f"http://{h}{p}", body=page.body, source=f"source-{h}",
                     http_encoding="utf-8", content_type=page.content_type)
             for (h, p), page in site.pages.items() if p.startswith("/news/")][:count]
    spec = MatchSpec.of((Watchlist("bench", tuple(Term(n) for n in watch_names())),))
    with ProcessPoolExecutor(os.cpu_count() or 1, mp_context=multiprocessing.get_context("spawn")) as pool:
        items = [item for item in pool.map(_prepare, pages, [spec] * len(pages), chunksize=8) if item]
    return [items[k:k + batch] for k in range(0, len(items), batch)]


def _prepare(page: Any, spec: Any) -> dict[str, Any] | None:
    from monitor.crawl.pool import prepare_article
    from monitor.errors import PageRejected
    from monitor.scaleout.wire import prepared_to_json

    try:
        prepared = prepare_article(page, spec)
    except PageRejected:
        return None
    return {**prepared_to_json(prepared), "url": page.url, "source": page.source, "baseline": False,
            "backfill": None, "validators": ['"etag"', None]}


def measure(code: Path, redis_url: str, batches: list[list[dict[str, Any]]], work: Path,
            profile: Path | None = None) -> dict[str, Any]:
    """Run the measured side in a child process importing `code` (under py-spy when `profile` is given)."""
    queue_file, out = work / "queue.json", work / "out.json"
    queue_file.write_text(json.dumps(batches))
    command = [sys.executable, __file__, "--child", str(code), redis_url, str(queue_file), str(out)]
    if profile:
        command = ["py-spy", "record", "--format", "raw", "--rate", "200", "--output", str(profile), "--", *command]
    subprocess.run(command, check=True, cwd=work, stdout=subprocess.DEVNULL if profile else None)
    result: dict[str, Any] = json.loads(out.read_text())
    return result


def child(code: str, redis_url: str, queue_file: str, out: str) -> None:
    """Queue the messages, then time a Coordinator applying all of them."""
    from collections import Counter

    import dramatiq
    import psutil

    from benchmarks.pipeline_child import count_redis_round_trips
    from benchmarks.throughput import write_config

    sys.path.insert(0, code)  # the benchmark's own modules above stay this checkout's; monitor is the variant's
    from monitor.config import load_config
    from monitor.crawl import ArticleProcessor, Rules
    from monitor.match import Matcher
    from monitor.scaleout import Coordinator, wire
    from monitor.store import RunState, Store

    batches = json.loads(Path(queue_file).read_text())
    folder = Path(out).parent
    source = {"name": "source-0", "url": "http://127.0.0.1:9/feed.xml", "type": "feed"}
    config = load_config(write_config(folder, [source], "json://127.0.0.1:9/", redis_url, {}))
    broker = wire.make_broker(redis_url)
    batched = hasattr(wire, "pack")
    messages = 0
    for batch in batches:
        if batched:
            bodies = [{"kind": "articles", "job": "bench", "attempt": "a", "count": len(batch),
                       "articles": wire.pack(batch)}]
        else:  # an earlier version: one message per article, article and signature only
            bodies = [{"kind": "article", "job": "bench", "attempt": "a", "source": i["source"], "baseline": False,
                       "backfill": None, "url": i["url"], "article": i["article"], "sig": i["sig"],
                       "validators": i["validators"]} for i in batch]
        for body in bodies:
            broker.enqueue(dramatiq.Message(queue_name=wire.RESULTS_QUEUE, actor_name=wire.RESULTS_ACTOR,
                                            args=(body,), kwargs={}, options={}))
            messages += 1
    total = sum(len(b) for b in batches)
    redis = broker.client
    redis_pid = int(redis.info("server")["process_id"])

    store = Store(folder / "monitor.db")
    processor = ArticleProcessor(store, Matcher.build(config.watchlists), config.watchlists, rules=Rules())
    coordinator = Coordinator(config, broker=broker)
    coordinator.processor = processor
    # One crawl job waiting for all of it, as in the daemon: the articles' validators wait in its run's state.
    state = RunState(store)
    if hasattr(coordinator, "state"):  # an earlier version keeps one crawl state for all jobs, set by crawl()
        coordinator.state = state
    else:
        from monitor.scaleout.coordinator import _Job

        coordinator.jobs["bench"] = _Job("source-0", asyncio.new_event_loop().create_future(), state=state)
    clock: Counter[str] = Counter()
    count_redis_round_trips(clock)

    job = coordinator.jobs.get("bench")

    def handled() -> int:
        """Articles applied: stored, or refused by the store (a second URL of a source with the same text)."""
        if job is not None and isinstance(getattr(job, "outcomes", None), dict):
            return len(job.outcomes)  # one outcome per URL
        return int(store.query("SELECT count(*) AS n FROM articles")[0]["n"])  # versions that store every one

    async def run() -> dict[str, Any]:
        server = psutil.Process(redis_pid)
        server_cpu0 = sum(server.cpu_times()[:2])
        commands0 = int(redis.info("stats")["total_commands_processed"])
        cpu0, wall0 = time.process_time(), time.perf_counter()
        loop_cpu0 = time.thread_time()
        coordinator._start()  # the consumer: what crawl() starts on its first call
        while handled() < total:
            await asyncio.sleep(0.02)
        state.commit()  # the run's end: its validators, one transaction
        wall, cpu, loop_cpu = time.perf_counter() - wall0, time.process_time() - cpu0, time.thread_time() - loop_cpu0
        commands = int(redis.info("stats")["total_commands_processed"]) - commands0
        server_cpu = sum(server.cpu_times()[:2]) - server_cpu0
        await coordinator.stop()
        return {"articles": total, "messages": messages, "wall": wall, "cpu": cpu, "loop_cpu": loop_cpu,
                "round_trips": clock["redis"], "commands": commands, "redis_cpu": server_cpu}

    result = asyncio.run(run())
    store.close()
    Path(out).write_text(json.dumps(result))


def report(label: str, r: dict[str, Any], worker_rate: float | None) -> str:
    n = r["articles"]
    per = r["cpu"] / n * 1000
    lines = [f"{label}: {n} articles in {r['messages']} messages applied in {r['wall']:.1f} s ({n / r['wall']:.0f}/s); "
             f"coordinator CPU {per:.3f} ms/article (its loop thread {r['loop_cpu'] / n * 1000:.3f} ms, the rest in "
             f"Dramatiq's threads), {r['round_trips'] / n:.3f} round trips to Redis per article; redis-server "
             f"{r['commands'] / n:.2f} commands and {r['redis_cpu'] / n * 1000:.3f} ms CPU per article"]
    core = 1000 / per
    redis_core = 1000 / max(r["redis_cpu"] / n * 1000, 1e-6)
    line = f"    one coordinator core applies {core:.0f} articles/s; one Redis core carries {redis_core:.0f}/s"
    if worker_rate:
        line += (f"; at {worker_rate:.0f} articles/s per worker: {core / worker_rate:.0f} workers per coordinator "
                 f"core, {redis_core / worker_rate:.0f} per Redis (coordinator side only; the workers' own polling "
                 f"and heartbeats add a fixed load per worker, see README)")
    lines.append(line)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=4000)
    parser.add_argument("--batch", type=int, default=32, help="articles per worker message (the workers' default)")
    parser.add_argument("--pages", type=Path, default=None)
    parser.add_argument("--worker-rate", type=float, default=None, help="articles/s of one worker on this machine")
    parser.add_argument("--ab", nargs=2, metavar=("A", "B"))
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--profile", type=Path, help="py-spy the coordinator (raw format) into this file")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    from benchmarks.throughput import Variant, start_redis, variant
    from tests.receivers import free_port

    work = Path(tempfile.mkdtemp(prefix="coordinator-"))
    try:
        sides = [variant(spec, work) for spec in args.ab] if args.ab else [Variant(".", REPO, {})]
        started = time.perf_counter()
        batches = prepare_messages(args.articles, args.pages, args.batch)
        print(f"{sum(len(b) for b in batches)} prepared articles in {time.perf_counter() - started:.0f} s; load "
              f"average {os.getloadavg()[0]:.2f}", flush=True)
        for n in range(args.rounds):
            for side in sides if n % 2 == 0 else sides[::-1]:
                port = free_port()
                redis = start_redis(port)
                run = Path(tempfile.mkdtemp(dir=work))
                try:
                    result = measure(side.code, f"redis://127.0.0.1:{port}/0", batches, run, args.profile)
                finally:
                    redis.terminate()
                    redis.wait(30)
                print(f"round {n + 1}, load {os.getloadavg()[0]:.2f}: " + report(side.label, result, args.worker_rate),
                      flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
