"""Throughput and cost per article of one monitoring cycle, against the extraction-only ceiling, on a loopback
news site (benchmarks/site.py: real news pages copied with unique URLs across many loopback sites).

    python benchmarks/throughput.py                      # 50 sources × 40 articles, 3 cycles, ceilings, 1 round
    python benchmarks/throughput.py --rounds 3           # the issue's "best of 3": pipeline and ceilings, 3 times
    python benchmarks/throughput.py --ab main .          # A/B: main's code against this working tree, alternating
    python benchmarks/throughput.py --ab .:workers=1 .:workers=2 --skip-ceilings   # A/B of two settings
    python benchmarks/throughput.py --workers 2          # scale-out: redis-server, coordinator, 2 workers
    python benchmarks/throughput.py --profile /tmp/p.raw --cycles 1 --skip-ceilings   # py-spy (with --ab: p-A, p-B)
    python benchmarks/throughput.py --sources 10 --articles 20 --cycles 2 --skip-ceilings --fast   # quick look

The pipeline runs the daemon's cycle exactly as `monitor run --once` does, with the shipped politeness defaults
(`--fast` drops the delays), in a child process (benchmarks/pipeline_child.py). Cycles 2..n run over the unchanged
site, as the daemon's next ticks would. The ceilings (benchmarks/ceilings.py) are our cleaner alone and trafilatura
alone (default mode) over the same pages on all cores; the faster one is the extraction-only ceiling of the
targets. A/B variants are git revisions (`.` is this working tree, uncommitted edits included), each optionally
with `[monitor]` settings (`REV:workers=1,concurrency_per_domain=4`); their runs alternate (A B, B A, A B, ...)
so that a machine whose speed drifts treats both alike. On a shared machine compare ratios and CPU per article
measured in the same run, never absolute rates across runs.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

CHILD = REPO / "benchmarks" / "pipeline_child.py"
TARGET_RATE, TARGET_CPU, TARGET_QUIET, TARGET_MB = 0.70, 1.20, 0.05, 500


@dataclass
class Variant:
    """What one side of an A/B runs: a checkout of some code, and [monitor] settings."""

    label: str
    code: Path
    settings: dict[str, str]


def variant(spec: str, folder: Path) -> Variant:
    """`REV[:key=value,...]`: REV `.` is this working tree, anything else a git revision (exported to a folder)."""
    rev, _, rest = spec.partition(":")
    settings = dict(item.split("=", 1) for item in rest.split(",") if item)
    if rev in (".", ""):
        return Variant(spec, REPO, settings)
    target = folder / f"code-{len(list(folder.glob('code-*')))}"
    target.mkdir()
    archive = subprocess.run(["git", "archive", rev], cwd=REPO, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    commit = subprocess.run(["git", "rev-parse", "--short", rev], cwd=REPO, check=True, capture_output=True,
                            text=True).stdout.strip()
    return Variant(f"{spec} ({commit})", target, settings)


def write_config(folder: Path, sources: list[dict[str, str]], notify: str, redis_url: str | None,
                 settings: dict[str, str]) -> Path:
    """config.toml for the site's sources and a 1,000-name watchlist."""
    from benchmarks.site import watch_names

    blocks = "".join(f'\n[[sources]]\nname = "{s["name"]}"\nurl = "{s["url"]}"\ntype = "{s["type"]}"\n'
                     for s in sources)
    names = ",\n  ".join(json.dumps(n) for n in watch_names())
    extra = "".join(f"{key} = {value}\n" for key, value in settings.items())
    redis = f'redis_url = "{redis_url}"\n' if redis_url else ""
    path = folder / "config.toml"
    # The pages are real ones with their own (old) dates: no age limit, so every hit alerts and is measured.
    path.write_text(f'[monitor]\ndatabase = "monitor.db"\ninterval = "5m"\nmax_age = "36500d"\n'
                    f'backfill = "36500d"\n{redis}{extra}\n{blocks}\n'
                    f'[watchlists.bench]\nterms = [\n  {names}\n]\nnotify = ["{notify}"]\n', encoding="utf-8")
    return path


def start_workers(config: Path, count: int, folder: Path, code: Path, fast: bool) -> list[subprocess.Popen[bytes]]:
    """`monitor worker` processes (scale-out), importing the variant's code."""
    from benchmarks.pipeline_child import FAST, QUIET

    overrides = {**(FAST if fast else {}), **QUIET}
    program = ("import sys; from monitor.config.loader import load_config; from monitor.logs import setup_logging; "
               "from monitor.scaleout.worker import run_worker; setup_logging(-1, 'text'); "
               f"sys.exit(run_worker(load_config(sys.argv[1]), scrapy_overrides={overrides!r}))")
    return [subprocess.Popen([sys.executable, "-c", program, str(config)], cwd=folder,
                             stderr=(folder / f"worker-{i}.log").open("wb"), start_new_session=True,
                             env={**os.environ, "PYTHONPATH": str(code)}) for i in range(count)]


def start_redis(port: int) -> subprocess.Popen[bytes]:
    """A throw-away redis-server on loopback."""
    import redis

    process = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no"], stdout=subprocess.DEVNULL)
    client, deadline = redis.Redis(port=port), time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            client.ping()
            return process
        except redis.ConnectionError:
            time.sleep(0.05)
    raise RuntimeError("redis-server did not start")


def redis_commands(port: int) -> int:
    """Commands redis-server has processed so far."""
    import redis

    return int(redis.Redis(port=port).info("stats")["total_commands_processed"])


def run_pipeline(args: argparse.Namespace, info: dict[str, Any], smtp: Any, side: Variant, work: Path,
                 profile: Path | None = None) -> dict[str, Any]:
    """One run of the pipeline child (fresh database), with workers and Redis when scale-out."""
    import psutil

    from tests.receivers import free_port

    folder = Path(tempfile.mkdtemp(prefix="run-", dir=work))
    redis = port = None
    workers: list[subprocess.Popen[bytes]] = []
    emails_before = len(smtp.messages)
    site_cpu0 = _cpu(psutil.Process(info["site_pid"]))
    try:
        if args.workers:
            port = free_port()
            redis = start_redis(port)
        config = write_config(folder, info["sources"], smtp.url(), f"redis://127.0.0.1:{port}/0" if port else None,
                              side.settings)
        if args.workers:
            workers = start_workers(config, args.workers, folder, side.code, args.fast)
        out = folder / "pipeline.json"
        command = [sys.executable, str(CHILD), str(config), str(args.cycles), str(out), "--code", str(side.code),
                   *(["--fast"] if args.fast else []), "--watch-pids", ",".join(str(w.pid) for w in workers)]
        if profile:
            command = ["py-spy", "record", "--subprocesses", "--format", "raw", "--rate", "50", "--output",
                       str(profile), "--", *command]
        commands0 = redis_commands(port) if port else 0
        subprocess.run(command, check=True, cwd=folder, stdout=subprocess.DEVNULL if profile else None)
        result: dict[str, Any] = json.loads(out.read_text())
        if port:
            result["redis_commands"] = redis_commands(port) - commands0
    finally:
        for worker in workers:
            worker.terminate()
            worker.wait(60)
        if redis is not None:
            redis.terminate()
            redis.wait(30)
        shutil.rmtree(folder, ignore_errors=True)
    result["emails"] = len(smtp.messages) - emails_before
    result["site_cpu"] = _cpu(psutil.Process(info["site_pid"])) - site_cpu0
    return result


def _cpu(process: Any) -> float:
    times = process.cpu_times()
    return float(times.user + times.system)


def figures(args: argparse.Namespace, pipeline: dict[str, Any]) -> dict[str, float]:
    """Rate, CPU per article (all processes of the pipeline), quiet-cycle share, memory."""
    total = args.sources * args.articles
    first = pipeline["cycles"][0]
    cpu = first["cpu_main"] + first["cpu_pool"] + first["cpu_workers"]
    out = {"rate": total / first["wall"], "cpu_ms": cpu / total * 1000, "main_ms": first["cpu_main"] / total * 1000,
           "pool_ms": (first["cpu_pool"] + first["cpu_workers"]) / total * 1000,
           "match_ms": first["cpu_match"] / total * 1000, "store_ms": first["cpu_store"] / total * 1000,
           "stories_ms": first["cpu_stories"] / total * 1000, "state_ms": first["cpu_state"] / total * 1000,
           "alert_ms": first["cpu_alert"] / total * 1000, "peak_mb": pipeline["peak_total_mb"],
           "main_mb": pipeline["peak_main_mb"], "wall": first["wall"],
           "round_trips": first["redis_round_trips"] / total, "redis_commands": pipeline.get("redis_commands", 0) / total}
    later = pipeline["cycles"][1:]
    if later:
        out["quiet"] = max((c["cpu_main"] + c["cpu_pool"] + c["cpu_workers"]) / cpu for c in later)
    return out


def describe(label: str, f: dict[str, float], pipeline: dict[str, Any], workers: int) -> str:
    """One variant's figures, several lines."""
    lines = [f"{label}: {f['rate']:.1f} articles/s ({f['wall']:.1f} s), CPU {f['cpu_ms']:.1f} ms/article "
             f"(main process {f['main_ms']:.1f}, {'workers' if workers else 'cleaning pool'} {f['pool_ms']:.1f}); "
             f"{pipeline['articles']} articles stored, {pipeline['emails']} e-mails, runs {pipeline['runs']}"]
    lines.append(f"    main process, thread CPU ms/article: match {f['match_ms']:.2f}, store {f['store_ms']:.2f}, "
                 f"stories {f['stories_ms']:.2f}, crawl state {f['state_ms']:.2f}, alerts {f['alert_ms']:.2f}")
    if workers:
        by_command = pipeline["cycles"][0].get("redis_by_command", {})
        lines.append(f"    coordinator: {f['main_ms']:.2f} ms CPU and {f['round_trips']:.2f} Redis round trips per "
                     f"article ({', '.join(f'{k} {v}' for k, v in sorted(by_command.items(), key=lambda kv: -kv[1]))}"
                     f"); Redis processed {f['redis_commands']:.2f} commands per article (all clients)")
    for n, cycle in enumerate(pipeline["cycles"][1:], start=2):
        cpu = cycle["cpu_main"] + cycle["cpu_pool"] + cycle["cpu_workers"]
        lines.append(f"    cycle {n} (unchanged site): {cycle['wall']:.2f} s wall, CPU {cpu:.2f} s "
                     f"({f['quiet']:.1%} of cycle 1 at most)" if n == 2 else
                     f"    cycle {n}: {cycle['wall']:.2f} s wall, CPU {cpu:.2f} s")
    lines.append("    RSS of the main process after each cycle: "
                 + ", ".join(f"{c['rss_main_mb']:.0f} MB" for c in pipeline["cycles"])
                 + f"; peak {f['main_mb']:.0f} MB main, {f['peak_mb']:.0f} MB with its children")
    return "\n".join(lines)


def measure_ceilings(args: argparse.Namespace, info: dict[str, Any], work: Path) -> dict[str, Any]:
    from benchmarks.ceilings import bare_spider, extraction_ceilings

    extraction = extraction_ceilings(args.sources, args.articles, args.pages)
    faster = max(extraction, key=lambda k: extraction[k]["rate"])
    result: dict[str, Any] = {**extraction, "faster": faster}
    if args.bare:
        base = {s["name"]: s["url"].rsplit("/", 1)[0] for s in info["sources"]}
        urls = [f"{base[f'source-{k}']}/news/{k}/{a}-story-of-the-day.html"
                for k in range(args.sources) for a in range(args.articles)]
        result["bare"] = bare_spider(urls, work, args.fast)
    return result


def describe_ceilings(c: dict[str, Any]) -> str:
    lines = [f"ceiling, {name} alone on {c[name]['cores']} cores: {c[name]['rate']:.1f} pages/s, "
             f"{c[name]['cpu_per_page_ms']:.1f} ms CPU per page ({c[name]['empty']} pages without text)"
             + ("  ← the faster: the extraction-only ceiling" if name == c["faster"] else "")
             for name in ("cleaner", "trafilatura")]
    if "bare" in c:
        bare = c["bare"]
        lines.append(f"bare Scrapy spider, same URLs and politeness: {bare['responses']} responses in "
                     f"{bare['wall']:.1f} s, {bare['cpu_per_response_ms']:.1f} ms CPU per response")
    return "\n".join(lines)


def verdict(f: dict[str, float], c: dict[str, Any]) -> str:
    ceiling = c[c["faster"]]
    rate, cpu = f["rate"] / ceiling["rate"], f["cpu_ms"] / ceiling["cpu_per_page_ms"]
    quiet = f.get("quiet")
    return (f"    against the extraction-only ceiling ({c['faster']}): throughput {rate:.2f}× (target ≥ {TARGET_RATE}), "
            f"CPU per article {cpu:.2f}× (target ≤ {TARGET_CPU}); quiet cycle "
            f"{'-' if quiet is None else f'{quiet:.1%}'} (≤ {TARGET_QUIET:.0%}); peak memory {f['peak_mb']:.0f} MB "
            f"(< {TARGET_MB})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--sources", type=int, default=50)
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--cycles", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=1, help="repeat everything; best of the rounds is reported")
    parser.add_argument("--ab", nargs=2, metavar=("A", "B"), help="compare two variants, alternating")
    parser.add_argument("--workers", type=int, default=0, help="scale-out workers (0: one process, the default)")
    parser.add_argument("--pages", type=Path, default=None, help="folder of real pages (default ../shared/...)")
    parser.add_argument("--fast", action="store_true", help="no politeness delays (the machine's capacity)")
    parser.add_argument("--skip-ceilings", action="store_true")
    parser.add_argument("--bare", action="store_true", help="also fetch every page with a bare Scrapy spider")
    parser.add_argument("--profile", type=Path, help="py-spy the pipeline (raw format) into this file; summary")
    parser.add_argument("--json", type=Path, help="also write every figure as JSON")
    args = parser.parse_args()
    run(args)


def run(args: argparse.Namespace) -> None:
    from tests.receivers import SmtpSink

    work = Path(tempfile.mkdtemp(prefix="throughput-"))
    command = [sys.executable, str(REPO / "benchmarks" / "site.py"), "--sources", str(args.sources),
               "--articles", str(args.articles), *(["--pages", str(args.pages)] if args.pages else [])]
    site = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=REPO)
    info = json.loads(site.stdout.readline())  # type: ignore[union-attr]
    info["site_pid"] = site.pid
    sides = [variant(spec, work) for spec in args.ab] if args.ab else [Variant(".", REPO, {})]
    mode = f"scale-out, {args.workers} worker(s)" if args.workers else "one process"
    print(f"site: {args.sources} sources × {args.articles} articles, {info['bytes'] / 2**20:.0f} MB, {info['pages']}, "
          f"{info['hits']} articles name a watched person; 1,000-name watchlist; politeness "
          f"{'off (--fast)' if args.fast else 'as shipped'}; {mode}; load average at start {os.getloadavg()[0]:.2f}",
          flush=True)
    record: dict[str, Any] = {"rounds": []}
    try:
        with SmtpSink() as smtp:
            for n in range(args.rounds):
                order = sides if n % 2 == 0 else sides[::-1]
                done: dict[str, Any] = {}
                for side in order:
                    profile = profile_path(args.profile, sides.index(side), len(sides))
                    pipeline = run_pipeline(args, info, smtp, side, work, profile)
                    done[side.label] = {"figures": figures(args, pipeline), "pipeline": pipeline}
                    print(f"round {n + 1}, load {os.getloadavg()[0]:.2f}: "
                          + describe(side.label, done[side.label]["figures"], pipeline, args.workers), flush=True)
                    if profile:
                        from benchmarks.profile_summary import summarize

                        print(f"py-spy profile of {side.label} ({profile}):\n{summarize(profile)}", flush=True)
                ceilings = {} if args.skip_ceilings else measure_ceilings(args, info, work)
                if ceilings:
                    print(describe_ceilings(ceilings), flush=True)
                    for side in sides:
                        print(f"  {side.label}:\n" + verdict(done[side.label]["figures"], ceilings), flush=True)
                record["rounds"].append({"pipeline": done, "ceilings": ceilings})
        summary(args, sides, record)
        if args.json:
            args.json.write_text(json.dumps(record, indent=1, default=str), encoding="utf-8")
    finally:
        site.stdin.close()  # type: ignore[union-attr]
        site.wait(30)
        shutil.rmtree(work, ignore_errors=True)


def profile_path(base: Path | None, index: int, sides: int) -> Path | None:
    """Where the py-spy profile of one variant goes (one file per A/B side)."""
    if base is None or sides == 1:
        return base
    return base.with_name(f"{base.stem}-{'AB'[index]}{base.suffix}")


def summary(args: argparse.Namespace, sides: list[Variant], record: dict[str, Any]) -> None:
    """Best of the rounds, per variant; and the A/B differences, round by round."""
    rounds = record["rounds"]
    if len(rounds) < 2 and len(sides) < 2:
        return
    print(f"summary over {len(rounds)} round(s) (load average now {os.getloadavg()[0]:.2f}):")
    for side in sides:
        runs = [r["pipeline"][side.label]["figures"] for r in rounds]
        rates, cpus = [f["rate"] for f in runs], [f["cpu_ms"] for f in runs]
        line = (f"  {side.label}: articles/s {', '.join(f'{x:.1f}' for x in rates)} (best {max(rates):.1f}); "
                f"CPU ms/article {', '.join(f'{x:.1f}' for x in cpus)} (best {min(cpus):.1f})")
        ratios = [(r["pipeline"][side.label]["figures"]["rate"] / r["ceilings"][r["ceilings"]["faster"]]["rate"],
                   r["pipeline"][side.label]["figures"]["cpu_ms"]
                   / r["ceilings"][r["ceilings"]["faster"]]["cpu_per_page_ms"]) for r in rounds if r["ceilings"]]
        if ratios:
            line += (f"; vs ceiling, same round: throughput {', '.join(f'{a:.2f}×' for a, _ in ratios)} (best "
                     f"{max(a for a, _ in ratios):.2f}×), CPU {', '.join(f'{b:.2f}×' for _, b in ratios)} (best "
                     f"{min(b for _, b in ratios):.2f}×)")
        print(line)
    if len(sides) == 2:
        a, b = sides
        gains = [r["pipeline"][b.label]["figures"]["rate"] / r["pipeline"][a.label]["figures"]["rate"] for r in rounds]
        costs = [r["pipeline"][b.label]["figures"]["cpu_ms"] / r["pipeline"][a.label]["figures"]["cpu_ms"]
                 for r in rounds]
        print(f"  B/A per round: throughput {', '.join(f'{g:.2f}' for g in gains)} (median "
              f"{statistics.median(gains):.2f}); CPU per article {', '.join(f'{c:.2f}' for c in costs)} (median "
              f"{statistics.median(costs):.2f})")


if __name__ == "__main__":
    main()
