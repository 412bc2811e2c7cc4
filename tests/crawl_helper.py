"""Run our spiders in tests: callbacks in-process, and real crawls in a child process.

In-process: make_spider() builds a spider on an unstarted crawler (stats work), response()
builds a Scrapy response from bytes, and results() drains a callback, sync or async.

Child process (Twisted's reactor cannot restart inside pytest): run_crawl() writes a JSON
job and runs this file as a script, which crawls each source under scrapy_settings(...),
marks every yielded page as stored in a MemoryCrawlState (what the store would do) and
writes pages, stats and state back as JSON.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import subprocess
import sys
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scrapy.http import Request, Response

    from spiders.base import CrawlState, NewsSpider

REPO = Path(__file__).resolve().parents[1]


# ----- in-process -------------------------------------------------------------------------------
def make_spider(
    cls: type[NewsSpider],
    *,
    state: CrawlState | None = None,
    settings: dict[str, Any] | None = None,
    **source: Any,
) -> NewsSpider:
    """A spider of cls for a Source built from keyword fields (name/url/type/interval default)."""
    from scrapy.utils.test import get_crawler

    from monitor.models import Source
    from spiders.settings import scrapy_settings

    base = scrapy_settings(
        user_agent="NewsMonitorTest/1.0",
        download_timeout=10,
        max_page_size=1_000_000,
        concurrency_per_domain=2,
        obey_robots=True,
        fast=True,
    )
    crawler = get_crawler(cls, {**base, **(settings or {})})
    fields: dict[str, Any] = {"name": "test", "url": "http://news.example/", "type": cls.name, "interval": 60.0}
    fields.update(source)
    fields["urls"] = tuple(fields.get("urls", ()))
    return cls.from_crawler(crawler, source=Source(**fields), state=state)


def response(
    url: str,
    body: bytes | str,
    *,
    status: int = 200,
    headers: dict[str, str] | None = None,
    request: Request | None = None,
) -> Response:
    """A response of the class Scrapy would pick for these headers and body."""
    from scrapy.http import Request
    from scrapy.responsetypes import responsetypes

    data = body.encode("utf-8") if isinstance(body, str) else body
    raw_headers = {k.encode(): v.encode() for k, v in (headers or {}).items()}
    cls = responsetypes.from_args(headers=raw_headers, url=url, body=data)
    return cls(url=url, body=data, status=status, headers=headers, request=request or Request(url))


def reply(request: Request, body: bytes | str, **kwargs: Any) -> Response:
    """The response to one of our requests (meta and cb_kwargs reach the callback)."""
    return response(request.url, body, request=request, **kwargs)


def results(output: Any) -> list[Any]:
    """Everything a callback yields, whether it is a generator or an async generator."""
    if output is None:
        return []
    if hasattr(output, "__aiter__"):

        async def drain() -> list[Any]:
            return [item async for item in output]

        return asyncio.run(drain())
    return list(output)


def stats(spider: NewsSpider) -> dict[str, Any]:
    """The spider's crawler stats."""
    return dict(spider.crawler.stats.get_stats())


@dataclass
class CrawlResult:
    """What one child-process crawl produced."""

    pages: list[dict[str, Any]]  # RawPage fields; body as bytes
    stats: dict[str, dict[str, Any]]  # source name -> Scrapy stats
    log: str  # the child's stderr (Scrapy log)

    def urls(self) -> list[str]:
        """Requested URLs of the pages, sorted."""
        return sorted(p["url"] for p in self.pages)

    def stat(self, source: str, key: str) -> Any:
        """One stat of one source (0 when absent)."""
        return self.stats.get(source, {}).get(key, 0)


# ----- child process ----------------------------------------------------------------------------
def run_crawl(
    workdir: Path,
    sources: list[dict[str, Any]],
    *,
    obey_robots: bool = True,
    max_page_size: int = 2_000_000,
    download_timeout: float = 10.0,
    overrides: dict[str, Any] | None = None,
    timeout: float = 60.0,
) -> CrawlResult:
    """Crawl sources (Source fields as dicts) in a child process; the state file in workdir
    carries over between calls, like the database between cycles."""
    workdir.mkdir(parents=True, exist_ok=True)
    job: dict[str, Any] = {
        "sources": sources,
        "state": str(workdir / "state.json"),
        "out": str(workdir / "pages.json"),
        "stats": str(workdir / "stats.json"),
        "obey_robots": obey_robots,
        "max_page_size": max_page_size,
        "download_timeout": download_timeout,
        "overrides": overrides or {},
    }
    job_file = workdir / "job.json"
    job_file.write_text(json.dumps(job), encoding="utf-8")
    done = subprocess.run(  # noqa: S603 - our own script, fixed arguments
        [sys.executable, str(Path(__file__).resolve()), str(job_file)],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise AssertionError(f"crawl failed ({done.returncode}):\n{done.stderr[-4000:]}")
    pages = json.loads(Path(job["out"]).read_text(encoding="utf-8"))
    for page in pages:
        page["body"] = base64.b64decode(page["body"])
    stats = json.loads(Path(job["stats"]).read_text(encoding="utf-8"))
    return CrawlResult(pages=pages, stats=stats, log=done.stderr)


def _main(job_file: str) -> None:
    """Child process: run the job and write its results."""
    from scrapy import signals
    from scrapy.crawler import AsyncCrawlerProcess

    from monitor.models import RawPage, Source
    from spiders import SPIDERS
    from spiders.base import MemoryCrawlState
    from spiders.settings import scrapy_settings

    job = json.loads(Path(job_file).read_text(encoding="utf-8"))
    settings = scrapy_settings(
        user_agent="NewsMonitorTest/1.0",
        download_timeout=job["download_timeout"],
        max_page_size=job["max_page_size"],
        concurrency_per_domain=4,
        obey_robots=job["obey_robots"],
        fast=True,
        overrides={"LOG_LEVEL": "INFO", "STATS_DUMP": False, **job["overrides"]},
    )
    state = MemoryCrawlState.load(job["state"])
    process = AsyncCrawlerProcess(settings)
    pages: list[RawPage] = []
    stats: dict[str, dict[str, Any]] = {}
    crawlers = []

    def collect(item: RawPage, **_: Any) -> None:
        pages.append(item)

    # Signals hold receivers weakly: `collect` must stay referenced (it does, as a local).
    for fields in job["sources"]:
        source = Source(**{**fields, "urls": tuple(fields.get("urls", ()))})
        crawler = process.create_crawler(SPIDERS[source.type])
        crawler.signals.connect(collect, signal=signals.item_scraped)
        process.crawl(crawler, source=source, state=state)
        crawlers.append((source.name, crawler))
    process.start()
    for name, crawler in crawlers:
        stats[name] = {k: _plain(v) for k, v in crawler.stats.get_stats().items()}
    for page in pages:
        state.mark_stored(page.url)
    state.dump(job["state"])
    rows = []
    for page in pages:
        row = asdict(page)
        row["body"] = base64.b64encode(page.body).decode("ascii")
        row["hint_published"] = page.hint_published.isoformat() if page.hint_published else None
        rows.append(row)
    Path(job["out"]).write_text(json.dumps(rows), encoding="utf-8")
    Path(job["stats"]).write_text(json.dumps(stats), encoding="utf-8")


def _plain(value: Any) -> Any:
    """Stats values JSON can hold."""
    return value.isoformat() if isinstance(value, datetime) else value


if __name__ == "__main__":
    _main(sys.argv[1])
