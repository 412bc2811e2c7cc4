"""The daemon: config → scheduled crawls → pipeline → outbox → alerts, with reload and a clean shutdown.

Shutdown order matters (integration notes §1): pause the scheduler, stop the crawls (they drain), stop the
outbox, and only then shut the scheduler down; cancelling a crawl from the scheduler leaves it half-closed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from monitor.config import Config, load_config
from monitor.crawl import ArticleProcessor, CrawlRunner, Rules, RunCounts, make_executor, parallel_crawls, settings_for
from monitor.deliver import Dispatcher, Message, send_message, watch_targets
from monitor.errors import MonitorError
from monitor.match import Matcher
from monitor.models import Source
from monitor.run.health import REREAD_WHILE, SourceHealth
from monitor.run.heartbeat import beat_until, daemon_state, orphaned_runs
from monitor.run.lookback import describe, find, plan, record, window_of
from monitor.run.progress import CycleProgress
from monitor.run.scheduler import SourceScheduler
from monitor.store import RunState, Store, gained_terms, record_terms, this_host, utcnow

logger = logging.getLogger(__name__)

CONFIG_POLL_S = 2.0  # mtime polling: works on NFS and bind mounts, and sees editors' rename-saves
STOP_GRACE_S = 30.0
OUTBOX_POLL_S = 15.0
NOTICE_WAIT_S = 30.0  # at exit, for operator notices still being sent (apprise's own timeout is as long)
LOOK_BACK_WRITES = 50  # articles a look back stores before it lets the event loop run other work


class Daemon:
    """Owns the store, the matcher, the crawl runner, the scheduler and the outbox of one config."""

    def __init__(self, config: Config, *, scrapy_overrides: dict[str, Any] | None = None) -> None:
        self.config = config
        self.store = Store(config.monitor.database)
        self.store.sync_sources(config.sources)
        # Scale-out: workers elsewhere fetch and clean; this process only matches, stores and alerts.
        self.executor = None if config.monitor.redis_url else make_executor(config.monitor.workers)
        self.processor = ArticleProcessor(
            self.store, Matcher.build(config.watchlists), config.watchlists, rules=self._rules(config),
            executor=self.executor, max_page_size=config.monitor.max_page_size,
        )
        self.runner: Any
        if config.monitor.redis_url:
            from monitor.scaleout import Coordinator

            self.runner = Coordinator(config)
        else:
            self.runner = CrawlRunner(settings_for(config, scrapy_overrides))
        self.dispatcher = Dispatcher(
            self.store, lambda: watch_targets(self.config.watchlists), retry_for=config.monitor.alert_retry_for,
            retry_first=config.monitor.alert_retry_delay, on_given_up=self._given_up,
            templates=str(config.monitor.templates) if config.monitor.templates else None)
        self.processor.on_alert = self.dispatcher.kick
        # poll at least as often as the first retry is due, so short retry delays are honoured
        self.outbox_poll = min(OUTBOX_POLL_S, config.monitor.alert_retry_delay)
        self.scheduler = SourceScheduler(self.run_source)
        # one process crawls parallel_crawls() sources at once; a scale-out coordinator hands more to its workers
        self.crawl_slots = asyncio.Semaphore(getattr(self.runner, "max_crawls", 0) or parallel_crawls())
        self.stop_event = asyncio.Event()
        self._config_stamp = _stamp(config.path)
        self.progress: CycleProgress | None = None
        self.health = SourceHealth(self.store, self._notify_admin)
        self._notices: set[asyncio.Future[None]] = set()
        self.background: set[asyncio.Future[None]] = set()  # look backs under way

    @staticmethod
    def _rules(config: Config) -> Rules:
        return Rules(max_age=config.monitor.max_age, backfill=config.monitor.backfill)

    def source(self, name: str) -> Source | None:
        """The current config's source of that name."""
        return next((s for s in self.config.sources if s.name == name), None)

    async def run_source(self, name: str) -> RunCounts | None:
        """Crawl one source once, record the run and its health; never raises."""
        source = self.source(name)
        if source is None or self.stop_event.is_set():
            return None
        async with self.crawl_slots:
            started = utcnow()
            run_id = self.store.start_run(source.name)
            baseline = not self.store.is_baseline_done(source.name)
            status, error, counts = "ok", None, RunCounts()
            state = RunState(self.store)
            try:
                counts = await self.runner.crawl(source, state=state, processor=self.processor, baseline=baseline)
                if counts.finish_reason not in ("finished", ""):
                    status, error = ("stopped" if counts.finish_reason == "shutdown" else "error"), counts.finish_reason
                elif counts.stats.get("monitor/source_error"):  # the spider said why, in words
                    status, error = "error", str(counts.stats["monitor/source_error"])
                elif counts.stats.get("monitor/start_failed") and not counts.stats.get("monitor/start_ok"):
                    status, error = "error", _first_error(counts.stats) or "the source could not be fetched"
                elif any(counts.stats.get(f"monitor/rejected/{r}") for r in _BROKEN_SOURCE):
                    status, error = "error", next(r for r in _BROKEN_SOURCE if counts.stats.get(f"monitor/rejected/{r}"))
            except Exception as exc:  # a crawl that blows up must not take the daemon with it
                logger.exception("source %s: crawl failed", source.name)
                status, error = "error", f"{type(exc).__name__}: {exc}"
            self._finish(run_id, source, counts, status, error, baseline)
            problem = None if status == "stopped" else self.health.after_run(  # a cut run proves nothing
                source, counts, status=status, started=started, baseline=baseline,
                quiet_after=self.config.monitor.quiet_after, max_age=self.config.monitor.max_age)
            # A feed or listing that lists nothing useful is read in full again next time (not answered with a
            # 304): a fix on the site, or of article_pattern in config.toml, then shows at once.
            if status == "ok" and not _retryable_failures(counts.stats) and problem not in REREAD_WHILE:
                state.commit()
        self.dispatcher.kick()
        return counts

    def _finish(self, run_id: int, source: Source, counts: RunCounts, status: str, error: str | None,
                baseline: bool) -> None:
        failures = self.store.finish_run(
            run_id, source.name, {"pages": counts.pages, "new_articles": counts.new_articles, "hits": counts.hits,
                                  "errors": counts.errors, "rejected": counts.rejected, "baseline": int(baseline)},
            status, error, counts.stats)
        logger.info(
            "source %s: %s%s — %d pages (%d not modified), %d new and %d changed articles, %d rejected, %d hits,"
            " %d alerts%s", source.name, status, " (first run: baseline)" if baseline else "", counts.pages,
            counts.not_modified, counts.new_articles, counts.changed, counts.rejected, counts.hits, counts.alerts,
            f"; error: {error}" if error else "")
        if self.progress is not None:
            self.progress.finish(source.name, status=status, pages=counts.pages, new=counts.new_articles,
                                 hits=counts.hits, alerts=counts.alerts, note=error or "")
        row = self.store.query("SELECT healthy FROM sources WHERE name = ?", [source.name])
        healthy = bool(row and row[0]["healthy"])
        if status == "error" and healthy and failures >= self.config.monitor.unhealthy_after:
            self.store.set_health(source.name, False)
            logger.error("source %s is unhealthy: %d failed runs in a row (%s)", source.name, failures, error)
            self._notify_admin(f"news-monitor: source {source.name} is failing",
                               f"{failures} runs in a row failed. Last error: {error}")
        elif status == "ok" and not healthy:
            self.store.set_health(source.name, True)
            logger.info("source %s has recovered", source.name)
            self._notify_admin(f"news-monitor: source {source.name} recovered", "The last run succeeded.")
        self.store.set_next_run(source.name, self.scheduler.next_run(source.name))

    def _given_up(self, row: dict[str, Any]) -> None:
        self._notify_admin("news-monitor: an alert could not be delivered",
                           f"Alert {row['alert_id']} to {row['target_masked']} failed for good: {row['last_error']}")

    def _notify_admin(self, title: str, body: str) -> None:
        urls = self.config.monitor.admin_notify
        if not urls:
            return
        message = Message(title, body, body, body)

        async def send() -> None:
            for url in urls:
                ok, error = await send_message(url, message)
                if not ok:
                    logger.error("operator notice not delivered: %s", error)
        task = asyncio.ensure_future(send())
        self._notices.add(task)  # close() waits for it: `run --once` must not exit with a notice unsent
        task.add_done_callback(self._notices.discard)

    # -- config reload ---------------------------------------------------------------------------
    def reload(self) -> bool:
        """Re-read config.toml; a bad edit is reported and the last good config stays in force."""
        self._config_stamp = _stamp(self.config.path)
        try:
            config = load_config(self.config.path)
            matcher = Matcher.build(config.watchlists)
        except MonitorError as exc:
            logger.error("config not reloaded, still running on the last good one: %s", exc)
            return False
        self.store.sync_sources(config.sources)
        self.config = config
        self.processor.use(matcher, config.watchlists)
        self.processor.rules = self._rules(config)
        self.dispatcher.retry_for = config.monitor.alert_retry_for
        self.dispatcher.retry_first = config.monitor.alert_retry_delay
        self.dispatcher.templates = str(config.monitor.templates) if config.monitor.templates else None
        self.scheduler.apply(config.sources, self._last_runs())
        self.scheduler.apply_digests(config.watchlists, config.monitor.timezone, self.dispatcher.send_digest)
        logger.info("config reloaded: %d sources, %d watchlists", len(config.sources), len(config.watchlists))
        self.start_look_back()
        return True

    # -- terms added to a watchlist ----------------------------------------------------------------
    def start_look_back(self) -> asyncio.Future[None]:
        """Look for terms the watchlists gained in recent stored articles, in the background."""
        task = asyncio.ensure_future(self.look_back())
        self.background.add(task)
        task.add_done_callback(self.background.discard)
        return task

    async def look_back(self) -> None:
        """Match each gained term against the articles its watchlist's backfill window holds; alert once."""
        config = self.config
        gained = gained_terms(self.store, config.watchlists)
        for watchlist in config.watchlists:
            window = window_of(watchlist, config)
            if watchlist.name not in gained or window <= 0:
                continue
            try:
                found = await asyncio.to_thread(find, config.monitor.database, watchlist, gained[watchlist.name],
                                                utcnow() - timedelta(seconds=window))
                result = plan(self.store, watchlist, found)
                for n, finding in enumerate(result.findings, 1):
                    record(self.store, watchlist, result, finding)
                    if n % LOOK_BACK_WRITES == 0:
                        await asyncio.sleep(0)  # let crawls store their pages between the look back's writes
            except Exception:  # a failed look back must not stop the daemon; the next reload tries again
                logger.exception("watchlist %s: looking back for its new terms failed", watchlist.name)
                return
            logger.info("%s", describe(result, window))
        if config is self.config:  # not reloaded meanwhile: what was looked for is now known
            record_terms(self.store, config.watchlists)
        self.dispatcher.kick()

    async def watch_config(self) -> None:
        """Poll config.toml for changes."""
        while not self.stop_event.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.stop_event.wait(), CONFIG_POLL_S)
            if not self.stop_event.is_set() and _stamp(self.config.path) != self._config_stamp:
                self.reload()

    def _last_runs(self) -> dict[str, datetime | None]:
        rows = self.store.query("SELECT name, last_run_started FROM sources")
        return {r["name"]: datetime.fromisoformat(r["last_run_started"]) if r["last_run_started"] else None
                for r in rows}

    # -- the two ways to run ---------------------------------------------------------------------
    async def run_once(self) -> int:
        """Crawl every enabled source once, send what is due, exit (cron, tests, the demo)."""
        sources = [s.name for s in self.config.sources if s.enabled]
        self._register("once")
        beating = asyncio.ensure_future(beat_until(self.store, self.stop_event))
        self.progress = CycleProgress(sources, lambda: list(getattr(getattr(self.runner, "runner", None),
                                                                     "crawlers", ())))
        self.progress.start()
        try:
            await asyncio.gather(self.look_back(), *(self.run_source(name) for name in sources))
            await self.dispatcher.send_due()
        finally:
            self.progress.stop()
            beating.cancel()
            self.store.process_stopped()
            await self.close()
        return 0

    async def run_forever(self) -> int:
        """Run until SIGINT/SIGTERM; SIGHUP reloads the config."""
        loop = asyncio.get_running_loop()
        signals = 0

        def on_stop() -> None:
            nonlocal signals
            signals += 1
            if signals > 1:
                logger.warning("second stop signal: exiting now")
                os._exit(1)
            logger.info("stopping: finishing running crawls (up to %.0f s)", STOP_GRACE_S)
            self.stop_event.set()

        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, on_stop)
        loop.add_signal_handler(signal.SIGHUP, self.reload)
        self._register("daemon")
        self.scheduler.apply(self.config.sources, self._last_runs())
        self.scheduler.apply_digests(self.config.watchlists, self.config.monitor.timezone, self.dispatcher.send_digest)
        self.scheduler.start()
        self.start_look_back()  # terms added while the daemon was stopped
        tasks = [asyncio.ensure_future(self.dispatcher.run(self.stop_event, self.outbox_poll)),
                 asyncio.ensure_future(self.watch_config()),
                 asyncio.ensure_future(beat_until(self.store, self.stop_event))]
        logger.info("news-monitor running: %d sources, %d watchlists, database %s (pid %d)",
                    sum(s.enabled for s in self.config.sources), len(self.config.watchlists),
                    self.config.monitor.database, os.getpid())
        await self.stop_event.wait()
        self.scheduler.pause()
        try:
            await asyncio.wait_for(self.runner.stop(), STOP_GRACE_S)
        except TimeoutError:
            logger.warning("crawls did not stop within %.0f s", STOP_GRACE_S)
        await asyncio.gather(*tasks, *self.background, return_exceptions=True)
        self.scheduler.shutdown()
        self.store.process_stopped()
        await self.close()
        logger.info("stopped")
        return 0

    def _register(self, mode: str) -> None:
        """Record this process in the database; close the runs a killed process left `running`."""
        rows = self.store.processes()
        other = daemon_state(rows, this_host())
        if mode == "daemon" and other.running:
            logger.warning("another daemon uses this database (%s): each source will be crawled twice", other.text)
        self.store.register_process(mode)
        orphans = orphaned_runs(self.store.running_runs(), rows, this_host(), os.getpid())
        if orphans:
            self.store.mark_interrupted(orphans)
            logger.warning("%d run(s) left unfinished by a process that was killed or crashed: marked "
                           "interrupted", len(orphans))

    async def close(self) -> None:
        """Send the operator notices still in flight; release the worker processes and the database."""
        if self._notices:
            await asyncio.wait(set(self._notices), timeout=NOTICE_WAIT_S)
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
        if self.config.monitor.redis_url:
            await self.runner.stop()
        self.store.close()


def _stamp(path: Path) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


# Rejections that mean the source document itself is unusable (it answered, but not with a feed/sitemap).
_BROKEN_SOURCE = ("not_a_feed", "malformed_feed", "xml_entities", "malformed_xml", "bad_gzip", "not_a_sitemap")
# An article that is gone for good must not make every later run fetch its feed again in full.
_PERMANENT = ("monitor/errors/http_404", "monitor/errors/http_410", "monitor/errors/robots",
              "monitor/errors/internal_address")


def _retryable_failures(stats: dict[str, Any]) -> int:
    """Failures that a later run could fix: while there are any, the feed must be read again in full."""
    return sum(int(v) for k, v in stats.items() if k.startswith("monitor/errors/") and not k.startswith(_PERMANENT))


def _first_error(stats: dict[str, Any]) -> str | None:
    for key in sorted(stats):
        if key.startswith(("monitor/errors/", "monitor/rejected/", "downloader/exception_type_count/")):
            return key.rsplit("/", 1)[-1]
    return None


async def run_daemon(config_path: str | Path, *, once: bool = False, **options: Any) -> int:
    """Load the config and run the daemon (or one cycle)."""
    daemon = Daemon(load_config(config_path), **options)
    return await (daemon.run_once() if once else daemon.run_forever())

