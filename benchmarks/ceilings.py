"""The ceilings benchmarks/throughput.py compares the pipeline with, over the same pages as its loopback site.

- extraction alone on all cores, pages already in memory: our cleaner (`clean_page`), and trafilatura in its
  default mode (`trafilatura.extract(html)`, the step a user would otherwise script). The faster of the two is
  "the extraction-only ceiling" of the issue's targets, for throughput and for CPU per page.
- a bare Scrapy spider fetching the same URLs and doing nothing with them (CPU per response: what fetching costs).

    python benchmarks/ceilings.py --bare URLS OUT [--fast]     # child mode for the bare spider
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.pipeline_child import FAST, QUIET, children_cpu  # noqa: E402


def extraction_ceilings(sources: int, articles: int, folder: Path | None) -> dict[str, dict[str, float]]:
    """Our cleaner and trafilatura alone over the site's article pages, each on all cores."""
    from benchmarks.site import BenchSite

    site = BenchSite(sources, articles, folder)
    site.build()
    pages = [(f"http://{h}{p}", page.body) for (h, p), page in site.pages.items() if p.startswith("/news/")]
    return {"cleaner": _on_all_cores(_clean_one, pages), "trafilatura": _on_all_cores(_trafilatura_one, pages)}


def _on_all_cores(function: Any, pages: list[tuple[str, bytes]]) -> dict[str, float]:
    import psutil

    cores = os.cpu_count() or 1
    with ProcessPoolExecutor(cores, mp_context=multiprocessing.get_context("spawn")) as pool:
        list(pool.map(_warm, range(cores)))  # imports done before the clock starts, as in a running daemon
        me = psutil.Process()
        cpu0 = children_cpu(me)
        start = time.perf_counter()
        empty = sum(pool.map(function, pages, chunksize=8))
        wall = time.perf_counter() - start
        cpu = children_cpu(me) - cpu0
    return {"pages": len(pages), "wall": wall, "rate": len(pages) / wall, "empty": empty, "cores": cores,
            "cpu_per_page_ms": cpu / len(pages) * 1000}


def _warm(_: int) -> None:
    import trafilatura  # noqa: F401

    from monitor.clean import clean_page  # noqa: F401


def _clean_one(item: tuple[str, bytes]) -> int:
    from monitor.clean import clean_page
    from monitor.errors import PageRejected
    from monitor.models import RawPage

    url, body = item
    try:
        clean_page(RawPage(url=url, final_url=url, body=body, source="bench", http_encoding="utf-8",
                           content_type="text/html; charset=utf-8"))
    except PageRejected:
        return 1
    return 0


def _trafilatura_one(item: tuple[str, bytes]) -> int:
    import trafilatura

    return 0 if trafilatura.extract(item[1], url=item[0]) else 1


def bare_spider(urls: list[str], folder: Path, fast: bool) -> dict[str, Any]:
    """Fetch every URL with a spider that does nothing with the pages, in a child process."""
    urls_file, out = folder / "urls.json", folder / "bare.json"
    urls_file.write_text(json.dumps(urls))
    subprocess.run([sys.executable, __file__, "--bare", str(urls_file), str(out), *(["--fast"] if fast else [])],
                   check=True, cwd=folder)
    result: dict[str, Any] = json.loads(out.read_text())
    result["cpu_per_response_ms"] = result["cpu"] / max(1, result["responses"]) * 1000
    return result


def _bare_main(urls_file: str, out: str, fast: bool) -> None:
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
                               obey_robots=m.obey_robots, overrides={**(FAST if fast else {}), **QUIET})
    # All sites at once, each with the pipeline's per-site politeness.
    settings["CONCURRENT_REQUESTS"] = 16 * int(settings["CONCURRENT_REQUESTS"])  # type: ignore[call-overload]
    process = AsyncCrawlerProcess(settings)
    crawler = process.create_crawler(Bare)
    cpu0, start = time.process_time(), time.perf_counter()
    process.crawl(crawler)
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    Path(out).write_text(json.dumps({"wall": time.perf_counter() - start, "cpu": time.process_time() - cpu0,
                                     "responses": stats.get("downloader/response_count", 0)}))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bare", nargs=2, metavar=("URLS", "OUT"), required=True)
    parser.add_argument("--fast", action="store_true")
    arguments = parser.parse_args()
    _bare_main(*arguments.bare, fast=arguments.fast)
