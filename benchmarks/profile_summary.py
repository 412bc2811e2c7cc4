"""A text summary of a py-spy profile (`py-spy record --subprocesses --format raw`): where each kind of process
spends its samples, by pipeline stage, and its busiest functions.

    python benchmarks/profile_summary.py PROFILE.raw [--top 12]

benchmarks/throughput.py --profile writes such a file for the pipeline child and prints this summary. A stack
counts for the first stage in STAGES that any of its frames belongs to (matching under an item pipeline under
Scrapy counts as matching), so the stages of one process add up to its samples.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter, defaultdict
from pathlib import Path

# (stage, substrings of a frame's "function (file:line)"), most specific first.
STAGES: list[tuple[str, tuple[str, ...]]] = [
    ("match", ("monitor/match/", "rapidfuzz")),
    ("signature", ("monitor/store/minhash", "datasketch/minhash")),
    ("stories", ("monitor/store/stories", "datasketch/lsh", "datasketch/storage")),
    ("store", ("monitor/store/", "sqlite_utils", "sqlite3")),
    ("clean", ("monitor/clean/", "trafilatura", "justext", "htmldate", "courlan", "lxml")),
    ("alert", ("monitor/deliver/", "apprise", "smtplib", "jinja2")),
    ("redis", ("redis/", "dramatiq/")),
    ("ipc", ("multiprocessing/", "concurrent/futures", "pickle", "copyreg")),
    ("spiders", ("spiders/",)),
    ("scrapy", ("scrapy/", "twisted/", "w3lib/", "parsel/")),
    ("loop", ("asyncio/", "selectors")),
]
_PROCESS = re.compile(r'process (\d+):"([^"]*)";')  # py-spy nests them: root process; child; grandchild; frames
_COUNT = re.compile(r"^(.*) (\d+)$")


def role(command: str) -> str:
    """Which part of the pipeline a process is, from its command line."""
    if "multiprocessing" in command and "resource_tracker" in command:
        return "resource tracker"
    if "spawn_main" in command or "--multiprocessing-fork" in command:
        return "cleaning pool"
    if "run_worker" in command:
        return "scale-out worker"
    return "main"


def stage(frames: list[str]) -> str:
    """The stage a stack counts for (see STAGES)."""
    for name, needles in STAGES:
        if any(needle in frame for frame in frames for needle in needles):
            return name
    return "other"


def summarize(path: Path, top: int = 12) -> str:
    """The summary text of one raw profile."""
    stages: dict[str, Counter[str]] = defaultdict(Counter)
    leaves: dict[str, Counter[str]] = defaultdict(Counter)
    processes: dict[str, set[str]] = defaultdict(set)
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        found, at, pid, command = _COUNT.match(line), 0, "", ""
        if not found:
            continue
        while process := _PROCESS.match(line, at):
            pid, command, at = process.group(1), process.group(2), process.end()
        stack, count = found.group(1)[at:], int(found.group(2))
        who = role(command)
        processes[who].add(pid)
        frames = stack.split(";")
        stages[who][stage(frames)] += count
        leaves[who][_short(frames[-1])] += count
    grand = sum(sum(c.values()) for c in stages.values()) or 1
    out = []
    for who in sorted(stages, key=lambda w: -sum(stages[w].values())):
        total = sum(stages[who].values())
        out.append(f"{who} ({len(processes[who])} process(es)): {total} samples, {total / grand:.0%} of all")
        out.append("  by stage: " + ", ".join(f"{name} {n / total:.0%}" for name, n in stages[who].most_common()))
        out.append("  busiest functions (self): " + "; ".join(
            f"{name} {n / total:.1%}" for name, n in leaves[who].most_common(top)))
    return "\n".join(out)


def _short(frame: str) -> str:
    """`function (path/to/file.py:123)` → `function (file.py)`."""
    name, _, where = frame.partition(" (")
    file = where.rsplit(":", 1)[0].rsplit("/", 1)[-1]
    return f"{name} ({file})" if file else name


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("profile", type=Path)
    parser.add_argument("--top", type=int, default=12)
    arguments = parser.parse_args()
    print(summarize(arguments.profile, arguments.top))
