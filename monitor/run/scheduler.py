"""The only APScheduler user: one interval job per source, overruns skipped, never run twice at once."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from monitor.config import parse_digest
from monitor.models import Source, Watchlist
from monitor.store import utcnow

logger = logging.getLogger(__name__)

JOB_PREFIX = "source:"
DIGEST_PREFIX = "digest:"


class SourceScheduler:
    """Keeps one job per enabled source in step with the config."""

    def __init__(self, run_source: Callable[[str], Awaitable[object]]) -> None:
        self.run_source = run_source
        self.scheduler = AsyncIOScheduler(timezone="UTC")

    def start(self) -> None:
        """Start firing jobs."""
        self.scheduler.start()

    def apply(self, sources: tuple[Source, ...], last_runs: dict[str, datetime | None]) -> None:
        """Add, change or remove jobs to match `sources`; a source resumes from its last run after a restart."""
        wanted = {JOB_PREFIX + s.name: s for s in sources if s.enabled}
        for job in self.scheduler.get_jobs():
            if job.id.startswith(JOB_PREFIX) and job.id not in wanted:
                job.remove()
                logger.info("source %s removed from the schedule", job.id[len(JOB_PREFIX):])
        now = utcnow()
        for job_id, source in wanted.items():
            existing = self.scheduler.get_job(job_id)
            interval = timedelta(seconds=source.interval)
            if existing is not None and getattr(existing.trigger, "interval", None) == interval:
                continue
            last = last_runs.get(source.name)
            first = now if last is None else max(now, last + interval)
            if existing is not None and existing.next_run_time is not None:
                first = min(existing.next_run_time, now + interval)
            self.scheduler.add_job(
                self.run_source, "interval", seconds=source.interval, args=[source.name], id=job_id,
                replace_existing=True, max_instances=1, coalesce=True,
                misfire_grace_time=max(1, int(source.interval)), next_run_time=first,
                # spread sources out a little so a big config doesn't fire everything at the same second
                jitter=min(30, int(source.interval * 0.05)) or None,
            )

    def apply_digests(self, watchlists: tuple[Watchlist, ...], timezone: str,
                      send: Callable[[str], Awaitable[int]]) -> None:
        """One cron job per watchlist that needs digests (digest mode, or a rate limit's overflow)."""
        wanted = {DIGEST_PREFIX + w.name: w for w in watchlists if w.mode == "digest" or w.max_per_hour}
        for job in self.scheduler.get_jobs():
            if job.id.startswith(DIGEST_PREFIX) and job.id not in wanted:
                job.remove()
        for job_id, watchlist in wanted.items():
            spec = parse_digest(watchlist.digest or "hourly")
            fields: dict[str, object] = {"minute": spec.minute}
            if spec.every != "hourly":
                fields["hour"] = spec.hour
            if spec.every == "weekly":
                fields["day_of_week"] = spec.weekday
            trigger = CronTrigger(timezone=timezone, **fields)
            self.scheduler.add_job(send, trigger, args=[watchlist.name], id=job_id, replace_existing=True,
                                   max_instances=1, coalesce=True, misfire_grace_time=3600)

    def next_run(self, source: str) -> datetime | None:
        """When a source runs next."""
        job = self.scheduler.get_job(JOB_PREFIX + source)
        return job.next_run_time if job else None

    def pause(self) -> None:
        """Stop firing new jobs (shutdown step 1)."""
        if self.scheduler.running:
            self.scheduler.pause()

    def shutdown(self) -> None:
        """Final step, after running crawls have finished: cancelling them here would leave them half-closed."""
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
