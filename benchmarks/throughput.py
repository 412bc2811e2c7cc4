"""Throughput of one monitoring cycle, and its two ceilings, on a loopback news site (benchmarks/site.py).

    python benchmarks/throughput.py                      # 50 sources × 40 articles, 3 cycles, one process
    python benchmarks/throughput.py --workers 2          # scale-out: redis-server, coordinator, 2 workers
    python benchmarks/throughput.py --sources 10 --articles 20 --cycles 2 --skip-ceilings   # quick look

The pipeline runs the daemon's cycle exactly as `monitor run --once` does (Daemon.run_source for every source,
then the outbox), in a child process, with Scrapy's politeness delays off: every source is its own loopback
site, and what is measured is the machine's capacity, not the sites' patience. Cycles 2..n run in the same
process over the unchanged site, as the daemon's next ticks would. CPU is split by stage with thread CPU clocks
around the matcher and the store, psutil for the cleaning processes, and the rest of the main process counted
as fetch and parse. Ceilings: a bare Scrapy spider fetching the same URLs with the same concurrency and doing
nothing with them, and the cleaner alone over the same pages on all cores. Numbers vary with the machine's
load: run it on a quiet machine and compare runs made the same day.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

# No politeness delays (see the docstring); the concurrency settings stay those of config.toml.
FAST = {"DOWNLOAD_DELAY": 0.0, "AUTOTHROTTLE_ENABLED": False, "LOG_LEVEL": "WARNING"}


# -- the pipeline, in a child process -------------------------------------------------------------------------
def instrument(clock: Counter[str]) -> None:
    """Add thread-CPU timers around the match and store stages (benchmark only)."""
    from monitor.crawl import ArticleProcessor
    from monitor.match import Matcher
    from monitor.store import Store

    def timed(cls: Any, name: str, key: str) -> None:
        original = getattr(cls, name)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.thread_time()
            try:
                return original(*args, **kwargs)
            finally:
                clock[key] += time.thread_time() - start
        setattr(cls, name, wrapper)

    timed(Matcher, "find_hits", "match")
    timed(ArticleProcessor, "accept", "accept")  # store = accept - match
    for name in ("validators", "remember", "is_known", "start_run", "finish_run", "set_next_run"):
        timed(Store, name, "state")


class Sampler:
    """Peak RSS of this process and of this process plus its children, sampled every 0.1 s."""

    def __init__(self) -> None:
        import psutil

        self.me = psutil.Process()
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


def children_cpu(process: Any) -> float:
    """CPU seconds of a psutil process's live children."""
    import psutil

    total = 0.0
    for child in process.children(recursive=True):
        try:
            times = child.cpu_times()
            total += times.user + times.system
        except psutil.Error:  # a child that exited between listing and reading
            continue
    return total


def _safe_rss(process: Any) -> int:
    try:
        return int(process.memory_info().rss)
    except Exception:
        return 0


async def run_cycles(config_path: str, cycles: int) -> dict[str, Any]:
    """The daemon's cycle `cycles` times; per-cycle wall time, CPU by stage, RSS."""
    clock: Counter[str] = Counter()
    instrument(clock)
    sampler = Sampler()
    from monitor.config import load_config
    from monitor.run import Daemon

    config = load_config(config_path)
    daemon = Daemon(config, scrapy_overrides=FAST)
    if config.monitor.redis_url:  # until the daemon chooses the Coordinator itself
        from monitor.scaleout import Coordinator

        daemon.runner = Coordinator(config)  # type: ignore[assignment]
    if daemon.executor is not None:
        # The cleaning processes import trafilatura and friends once, at start-up (~2 s CPU each). A daemon
        # pays that once in its life, so it is start-up cost, not a cycle's, as in the cleaner ceiling below.
        from monitor.crawl import warm_up

        loop = asyncio.get_running_loop()
        calls = 4 * (os.cpu_count() or 1)  # enough that every pool process has run one
        await asyncio.gather(*(loop.run_in_executor(daemon.executor, warm_up) for _ in range(calls)))
    startup_cpu = time.process_time() + sampler.children_cpu()
    results = []
    try:
        for _ in range(cycles):
            before = dict(clock)
            cpu0, child0, wall0 = time.process_time(), sampler.children_cpu(), time.perf_counter()
            await asyncio.gather(*(daemon.run_source(s.name) for s in config.sources if s.enabled))
            cpu1 = time.process_time()
            sent = await daemon.dispatcher.send_due()
            cpu2, wall2 = time.process_time(), time.perf_counter()
            delta = {k: clock[k] - before.get(k, 0.0) for k in clock}
            store = delta.get("accept", 0.0) - delta.get("match", 0.0) + delta.get("state", 0.0)
            results.append({
                "wall": wall2 - wall0, "cpu_main": cpu2 - cpu0, "cpu_clean": sampler.children_cpu() - child0,
                "cpu_match": delta.get("match", 0.0), "cpu_store": store, "cpu_alert": cpu2 - cpu1,
                "cpu_fetch_parse": (cpu1 - cpu0) - delta.get("match", 0.0) - store, "alerts_sent": sent,
                "rss_main_mb": sampler.me.memory_info().rss / 2**20,
            })
        articles = daemon.store.query("SELECT count(*) AS n FROM articles")[0]["n"]
        runs = daemon.store.query("SELECT status, count(*) AS n FROM runs GROUP BY status")
    finally:
        if hasattr(daemon.runner, "stop") and config.monitor.redis_url:
            await daemon.runner.stop()
        await daemon.close()
    return {"cycles": results, "articles": articles, "runs": runs, "startup_cpu": startup_cpu,
            "peak_main_mb": sampler.peak_main / 2**20, "peak_total_mb": sampler.peak_total / 2**20}


def child_main(config_path: str, cycles: int, out: str) -> None:
    """Child mode: run the cycles in the reactor, write JSON to `out`."""
    from monitor.crawl import run_in_reactor
    from monitor.logs import setup_logging

    setup_logging(-1, "text")
    result: dict[str, Any] = {}

    async def main() -> int:
        result.update(await run_cycles(config_path, cycles))
        return 0

    run_in_reactor(main)
    Path(out).write_text(json.dumps(result), encoding="utf-8")


# -- ceilings ----------------------------------------------------------------------------------------------------
def bare_spider_main(urls_file: str, out: str) -> None:
    """Child mode: fetch every URL with a spider that does nothing with the pages; write the wall time."""
    import scrapy
    from scrapy.crawler import AsyncCrawlerProcess

    from monitor.config import MonitorSettings
    from spiders.settings import scrapy_settings

    urls = json.loads(Path(urls_file).read_text())

    class Bare(scrapy.Spider):
        name = "bare"

        async def start(self) -> Any:
            for url in urls:
                yield scrapy.Request(url, callback=self.parse, dont_filter=True)

        def parse(self, response: Any, **kwargs: Any) -> None:
            return None

    m = MonitorSettings()
    settings = scrapy_settings(user_agent=m.user_agent, download_timeout=m.download_timeout,
                               max_page_size=m.max_page_size, concurrency_per_domain=m.concurrency_per_domain,
                               obey_robots=m.obey_robots, overrides=FAST)
    # The daemon runs 8 crawls at once, each with Scrapy's 16 slots: give the bare spider the same concurrency.
    settings["CONCURRENT_REQUESTS"] = 8 * int(settings["CONCURRENT_REQUESTS"])  # type: ignore[call-overload]
    process = AsyncCrawlerProcess(settings)
    crawler = process.create_crawler(Bare)
    start = time.perf_counter()
    process.crawl(crawler)
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    Path(out).write_text(json.dumps({"wall": time.perf_counter() - start, "cpu": time.process_time(),
                                     "responses": stats.get("downloader/response_count", 0)}))


def cleaner_ceiling(sources: int, articles: int) -> dict[str, float]:
    """The cleaner alone over the same pages, all cores, pages already in memory."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    import psutil

    from benchmarks.site import BenchSite
    from monitor.models import RawPage

    site = BenchSite(sources, articles)
    site.build()
    pages = [RawPage(url=f"http://{h}{p}", final_url=f"http://{h}{p}", body=page.body, source="bench",
                     http_encoding="utf-8", content_type=page.content_type)
             for (h, p), page in site.pages.items() if p.startswith("/news/")]
    cores = os.cpu_count() or 1
    with ProcessPoolExecutor(cores, mp_context=multiprocessing.get_context("spawn")) as pool:
        list(pool.map(_warm, range(cores)))  # imports done before the clock starts, as in a running daemon
        me = psutil.Process()
        cpu0 = children_cpu(me)
        start = time.perf_counter()
        rejected = sum(pool.map(_clean_one, pages, chunksize=8))
        wall = time.perf_counter() - start
        cpu = children_cpu(me) - cpu0
    return {"pages": len(pages), "wall": wall, "rate": len(pages) / wall, "rejected": rejected, "cores": cores,
            "cpu_per_page_ms": cpu / len(pages) * 1000}


def _warm(_: int) -> None:
    from monitor.clean import clean_page  # noqa: F401


def _clean_one(page: Any) -> int:
    from monitor.clean import clean_page
    from monitor.errors import PageRejected

    try:
        clean_page(page)
    except PageRejected:
        return 1
    return 0


# -- orchestration -----------------------------------------------------------------------------------------------
def write_config(folder: Path, sources: list[dict[str, str]], notify: str, redis_url: str | None) -> Path:
    from benchmarks.site import watch_names

    blocks = "".join(f'\n[[sources]]\nname = "{s["name"]}"\nurl = "{s["url"]}"\ntype = "{s["type"]}"\n'
                     for s in sources)
    names = ",\n  ".join(json.dumps(n) for n in watch_names())
    redis = f'redis_url = "{redis_url}"' if redis_url else ""
    path = folder / "config.toml"
    # The pages are real ones with their own (old) dates: no age limit, so every hit alerts and is measured.
    path.write_text(f'[monitor]\ndatabase = "monitor.db"\ninterval = "5m"\nmax_age = "36500d"\n'
                    f'backfill = "36500d"\n{redis}\n{blocks}\n'
                    f'[watchlists.bench]\nterms = [\n  {names}\n]\nnotify = ["{notify}"]\n', encoding="utf-8")
    return path


def start_workers(config: Path, count: int, folder: Path) -> list[subprocess.Popen[bytes]]:
    code = ("import sys; from monitor.config.loader import load_config; from monitor.logs import setup_logging; "
            "from monitor.scaleout.worker import run_worker; setup_logging(-1, 'text'); "
            f"sys.exit(run_worker(load_config(sys.argv[1]), scrapy_overrides={FAST!r}))")
    return [subprocess.Popen([sys.executable, "-c", code, str(config)], cwd=REPO,
                             stderr=(folder / f"worker-{i}.log").open("wb"), start_new_session=True,
                             env={**os.environ, "PYTHONPATH": str(REPO)}) for i in range(count)]


def start_redis(port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no"], stdout=subprocess.DEVNULL)
    import redis

    client, deadline = redis.Redis(port=port), time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            client.ping()
            return process
        except redis.ConnectionError:
            time.sleep(0.05)
    raise RuntimeError("redis-server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sources", type=int, default=50)
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--cycles", type=int, default=3)
    parser.add_argument("--workers", type=int, default=0, help="scale-out workers (0: one process, the default)")
    parser.add_argument("--skip-ceilings", action="store_true")
    parser.add_argument("--child", nargs=3, metavar=("CONFIG", "CYCLES", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--bare", nargs=2, metavar=("URLS", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_main(args.child[0], int(args.child[1]), args.child[2])
        return
    if args.bare:
        bare_spider_main(*args.bare)
        return
    run(args)


def run(args: argparse.Namespace) -> None:
    from tests.receivers import SmtpSink, free_port

    folder = Path(tempfile.mkdtemp(prefix="throughput-"))
    site = subprocess.Popen([sys.executable, str(REPO / "benchmarks" / "site.py"), "--sources", str(args.sources),
                             "--articles", str(args.articles)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            cwd=REPO)
    info = json.loads(site.stdout.readline())  # type: ignore[union-attr]
    redis = workers = None
    try:
        with SmtpSink() as smtp:
            redis_url = None
            if args.workers:
                port = free_port()
                redis = start_redis(port)
                redis_url = f"redis://127.0.0.1:{port}/0"
            config = write_config(folder, info["sources"], smtp.url(), redis_url)
            if args.workers:
                workers = start_workers(config, args.workers, folder)
            out = folder / "pipeline.json"
            subprocess.run([sys.executable, __file__, "--child", str(config), str(args.cycles), str(out)],
                           check=True, cwd=folder)
            pipeline = json.loads(out.read_text())
            emails = len(smtp.messages)
            import psutil

            times = psutil.Process(site.pid).cpu_times()
            # the loopback site's own share of the 2 cores while serving (building the pages came before)
            info["server_cpu"] = times.user + times.system - info["build_cpu"]
        ceilings = {} if args.skip_ceilings else measure_ceilings(args, info, folder)
        report(args, info, pipeline, ceilings, emails)
    finally:
        for worker in workers or []:
            worker.terminate()
            worker.wait(60)
        if redis is not None:
            redis.terminate()
        site.stdin.close()  # type: ignore[union-attr]
        site.wait(30)
        shutil.rmtree(folder, ignore_errors=True)


def measure_ceilings(args: argparse.Namespace, info: dict[str, Any], folder: Path) -> dict[str, Any]:
    urls = [s["url"] for s in info["sources"]]
    base = {s["name"]: s["url"].rsplit("/", 1)[0] for s in info["sources"]}
    for k in range(args.sources):
        urls += [f"{base[f'source-{k}']}/news/{k}/{a}-story-of-the-day.html" for a in range(args.articles)]
    urls_file, out = folder / "urls.json", folder / "bare.json"
    urls_file.write_text(json.dumps(urls))
    subprocess.run([sys.executable, __file__, "--bare", str(urls_file), str(out)], check=True, cwd=folder)
    bare = json.loads(out.read_text())
    bare["rate"] = args.sources * args.articles / bare["wall"]
    return {"bare_spider": bare, "cleaner": cleaner_ceiling(args.sources, args.articles)}


def report(args: argparse.Namespace, info: dict[str, Any], pipeline: dict[str, Any], ceilings: dict[str, Any],
           emails: int) -> None:
    total = args.sources * args.articles
    first = pipeline["cycles"][0]
    rate = total / first["wall"]
    mode = f"scale-out, {args.workers} worker(s)" if args.workers else "one process"
    print(f"site: {args.sources} sources × {args.articles} articles = {total} articles, "
          f"{info['bytes'] / 2**20:.0f} MB, {info['hits']} articles name a watched person; 1,000-name watchlist")
    print(f"pipeline ({mode}): {pipeline['articles']} articles stored, {emails} e-mails received, "
          f"runs {pipeline['runs']}")
    print(f"cycle 1: {first['wall']:.1f} s wall → {rate:.1f} articles/s end to end "
          f"(the loopback site itself used {info['server_cpu']:.1f} s CPU over all cycles)")
    if not args.workers:
        per = {k: first[f"cpu_{k}"] / total * 1000 for k in ("fetch_parse", "clean", "match", "store", "alert")}
        print("CPU ms per article: " + ", ".join(f"{k.replace('_', ' and ')} {v:.1f}" for k, v in per.items())
              + f" (total {sum(per.values()):.1f}; start-up {pipeline['startup_cpu']:.1f} s CPU, pool included)")
    for n, cycle in enumerate(pipeline["cycles"][1:], start=2):
        cost = (cycle["cpu_main"] + cycle["cpu_clean"]) / (first["cpu_main"] + first["cpu_clean"])
        print(f"cycle {n} (unchanged site): {cycle['wall']:.2f} s wall ({cycle['wall'] / first['wall']:.1%} of "
              f"cycle 1), CPU {cycle['cpu_main'] + cycle['cpu_clean']:.2f} s ({cost:.1%} of cycle 1)")
    print("RSS of the main process after each cycle: "
          + ", ".join(f"{c['rss_main_mb']:.0f} MB" for c in pipeline["cycles"])
          + f"; peak {pipeline['peak_main_mb']:.0f} MB main, {pipeline['peak_total_mb']:.0f} MB with the pool")
    if ceilings:
        bare, cleaner = ceilings["bare_spider"], ceilings["cleaner"]
        if bare["responses"] < cleaner["pages"]:
            raise SystemExit(f"bare spider fetched {bare['responses']} of {cleaner['pages']} pages: ceiling invalid")
        print(f"ceiling, bare Scrapy spider: {bare['rate']:.1f} articles/s ({bare['responses']} responses in "
              f"{bare['wall']:.1f} s) → pipeline at {rate / bare['rate']:.0%}")
        print(f"ceiling, cleaner alone on {cleaner['cores']} cores: {cleaner['rate']:.1f} pages/s "
              f"({cleaner['pages']} pages in {cleaner['wall']:.1f} s) → pipeline at {rate / cleaner['rate']:.0%}")
        if not args.workers:
            alone, inside = cleaner["cpu_per_page_ms"], first["cpu_clean"] / total * 1000
            print(f"cleaning CPU per page: {alone:.1f} ms alone, {inside:.1f} ms inside the pipeline "
                  f"({inside / alone - 1:+.0%}: signing, and the pool sharing the cores with the crawl)")
        slower = min(bare["rate"], cleaner["rate"])
        print(f"pipeline / slower ceiling: {rate / slower:.0%} (target ≥ 70%)")


if __name__ == "__main__":
    main()
