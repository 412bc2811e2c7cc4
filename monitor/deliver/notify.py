"""The only apprise user: sends due outbox deliveries, retries with backoff, never sends a delivery twice.

Exactly-once, as far as a network allows: a delivery row is created in the same transaction as its
alert (store.py), marked `sent` only after apprise reports success, and retried otherwise. A process
killed while a send is in flight sends that one message again on restart (at most one resend).
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import apprise

from monitor.config import masked_url, redact
from monitor.deliver.alerts import Message, render, render_digest
from monitor.models import Watchlist
from monitor.store import Store, target_key, utcnow

logger = logging.getLogger(__name__)

SEND_TIMEOUT_S = 30  # per delivery; a slow chat API must not hold the outbox for long
RETRY_FIRST_S = 30.0
RETRY_MAX_S = 3600.0
EMAIL_SCHEMES = ("mailto", "mailtos", "email")


def backoff(attempts: int, *, first: float = RETRY_FIRST_S, cap: float = RETRY_MAX_S) -> float:
    """Seconds before the next try: exponential, capped, with ±50% jitter so retries don't align."""
    base = min(cap, first * 2.0 ** max(0, attempts - 1))
    return base * random.uniform(0.5, 1.5)  # noqa: S311 (jitter, not cryptography)


def _is_email(url: str) -> bool:
    return url.split("://", 1)[0].lower() in EMAIL_SCHEMES


CONFIG_TARGET = "apprise-config:"  # an apprise config file (+ tags) standing in for a URL in the outbox


def config_target(path: str, tags: tuple[str, ...]) -> str:
    """The outbox target for a watchlist's `notify_config` file and `notify_tags`."""
    return f"{CONFIG_TARGET}{path}#{','.join(tags)}"


def _notifier(url: str) -> tuple[apprise.Apprise | None, Any]:
    apobj = apprise.Apprise()
    if url.startswith(CONFIG_TARGET):
        path, _, tags = url[len(CONFIG_TARGET):].partition("#")
        config = apprise.AppriseConfig()
        config.add(path)
        apobj.add(config)
        return apobj, [t for t in tags.split(",") if t] or "all"
    return (apobj if apobj.add(url) else None), "all"


async def send_message(url: str, message: Message, *, timeout: float = SEND_TIMEOUT_S) -> tuple[bool, str]:
    """Send one message to one apprise URL (or config file): HTML for e-mail, Markdown elsewhere. (ok, error)."""
    apobj, tag = _notifier(url)
    if apobj is None:
        return False, f"apprise refused the URL {masked_url(url)}"
    if _is_email(url):
        body, body_format = message.html, apprise.NotifyFormat.HTML
    else:  # apprise turns Markdown into each service's own format (HTML for e-mail in a config file)
        body, body_format = message.markdown, apprise.NotifyFormat.MARKDOWN
    try:
        result = await apobj.async_notify(title=message.title, body=body, body_format=body_format, timeout=timeout,
                                          tag=tag)
    except Exception as exc:  # a plugin bug must not kill the outbox loop
        return False, redact(f"{type(exc).__name__}: {exc}")
    if bool(result):
        return True, ""
    status = getattr(getattr(result, "status", None), "name", "FAILURE")
    return False, f"apprise status {status} for {masked_url(url)}"


class Dispatcher:
    """Sends due deliveries from the outbox; `kick()` wakes it when new alerts were stored."""

    def __init__(self, store: Store, targets: Callable[[], Mapping[str, str]], *, retry_for: float = 86400.0,
                 retry_first: float = RETRY_FIRST_S, on_given_up: Callable[[dict[str, Any]], None] | None = None,
                 timeout: float = SEND_TIMEOUT_S, templates: str | None = None) -> None:
        self.store, self.targets, self.retry_for = store, targets, retry_for
        self.templates = templates
        self.retry_first, self.on_given_up, self.timeout = retry_first, on_given_up, timeout
        self._wake = asyncio.Event()
        self._lock = asyncio.Lock()
        self.sent = 0
        self.failed = 0

    def kick(self) -> None:
        """Ask the running loop to send now rather than at the next poll."""
        self._wake.set()

    async def send_due(self, now: datetime | None = None) -> int:
        """Try every due delivery once, the whole backlog batch by batch; returns how many were sent."""
        async with self._lock:  # one sender at a time: a row is never in flight twice
            sent, after = 0, 0
            targets = self.targets()
            # Paged by id: a row that failed again is not due now, and must not stop the rows after it.
            while rows := self.store.due_deliveries(now or utcnow(), after=after):
                for row in rows:
                    sent += await self._deliver(row, targets)
                after = rows[-1]["id"]
            return sent + await self._send_folded(now or utcnow(), targets)

    async def _deliver(self, row: dict[str, Any], targets: Mapping[str, str]) -> int:
        url = targets.get(row["target"])
        if url is None:
            self.store.mark_delivery(row["id"], status="failed", error="destination no longer in config.toml")
            logger.warning("alert %s to %s dropped from the outbox: destination removed from config",
                           row["alert_id"], row["target_masked"])
            return 0
        payload = json.loads(row["payload"])
        ok, error = await send_message(url, render(payload, self.templates), timeout=self.timeout)
        if ok:
            self.store.mark_delivery(row["id"], status="sent")
            self.sent += 1
            logger.info("alert %s sent to %s: %s", row["alert_id"], row["target_masked"],
                        payload["article"].get("title"))
            return 1
        first = datetime.fromisoformat(row["first_try"] or row["alert_created"])
        if (utcnow() - first).total_seconds() >= self.retry_for:
            self.store.mark_delivery(row["id"], status="failed", error=error)
            self.failed += 1
            logger.error("alert %s to %s failed for good after %s attempts: %s", row["alert_id"],
                         row["target_masked"], row["attempts"] + 1, error)
            if self.on_given_up:
                self.on_given_up(row)
            return 0
        delay = backoff(row["attempts"] + 1, first=self.retry_first)
        self.store.mark_delivery(row["id"], status="pending", error=error,
                                 next_try=utcnow() + timedelta(seconds=delay))
        logger.warning("alert %s to %s not delivered (%s); retry in %.0f s", row["alert_id"],
                       row["target_masked"], error, delay)
        return 0

    async def _send_folded(self, now: datetime, targets: Mapping[str, str]) -> int:
        """A look back's many alerts: one message per watchlist and destination; returns stories sent."""
        groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for row in self.store.folded_deliveries(now):
            groups.setdefault((row["watchlist"], row["target"]), []).append(row)
        sent = 0
        for (watchlist, target), group in groups.items():
            ids, url = [r["id"] for r in group], targets.get(target)
            if url is None:
                self.store.mark_many(ids, status="failed", error="destination no longer in config.toml")
                continue
            payloads = merge_by_story(group)
            names = list(dict.fromkeys(t for p in payloads for t in p["new_terms"]))
            title = (f"{watchlist}: {len(payloads)} recent stories name {', '.join(names)} "
                     "(found when added to the watchlist)")
            message = replace(render_digest(watchlist, payloads, self.templates), title=title)
            ok, error = await send_message(url, message, timeout=self.timeout)
            if ok:
                self.store.mark_many(ids, status="sent")
                sent += len(payloads)
                logger.info("look back for %s sent to %s: %d stories in one message", watchlist,
                            group[0]["target_masked"], len(payloads))
                continue
            first = min(datetime.fromisoformat(r["first_try"] or r["alert_created"]) for r in group)
            if (utcnow() - first).total_seconds() >= self.retry_for:
                self.store.mark_many(ids, status="failed", error=error)
                logger.error("look back for %s to %s failed for good: %s", watchlist, group[0]["target_masked"], error)
                if self.on_given_up:
                    self.on_given_up(group[0])
                continue
            delay = backoff(max(r["attempts"] for r in group) + 1, first=self.retry_first)
            self.store.mark_many(ids, status="folded", error=error, next_try=utcnow() + timedelta(seconds=delay))
            logger.warning("look back for %s to %s not delivered (%s); retry in %.0f s", watchlist,
                           group[0]["target_masked"], error, delay)
        return sent

    async def send_digest(self, watchlist: str) -> int:
        """Send one digest per destination with every story waiting for it; returns stories sent."""
        async with self._lock:
            rows = self.store.digest_deliveries(watchlist)
            targets = self.targets()
            by_target: dict[str, list[dict[str, Any]]] = {}
            for row in rows:
                by_target.setdefault(row["target"], []).append(row)
            sent = 0
            for target, group in by_target.items():
                ids = [r["id"] for r in group]
                url = targets.get(target)
                if url is None:
                    self.store.mark_many(ids, status="failed", error="destination no longer in config.toml")
                    continue
                payloads = merge_by_story(group)
                ok, error = await send_message(url, render_digest(watchlist, payloads, self.templates), timeout=self.timeout)
                if ok:
                    self.store.mark_many(ids, status="sent")
                    sent += len(payloads)
                    logger.info("digest for %s sent to %s: %d stories", watchlist, group[0]["target_masked"],
                                len(payloads))
                else:
                    first = min(datetime.fromisoformat(r["first_try"] or r["alert_created"]) for r in group)
                    give_up = (utcnow() - first).total_seconds() >= self.retry_for
                    self.store.mark_many(ids, status="failed" if give_up else "digest", error=error)
                    logger.warning("digest for %s to %s not delivered (%s)%s", watchlist, group[0]["target_masked"],
                                   error, "; given up" if give_up else "; it goes out with the next digest")
            return sent

    async def run(self, stop: asyncio.Event, poll: float = 15.0) -> None:
        """Send due deliveries until `stop` is set: at every kick, and every `poll` seconds for retries."""
        while not stop.is_set():
            try:
                await self.send_due()
            except Exception:
                logger.exception("outbox: sending failed; will try again")
            self._wake.clear()
            waiters = [asyncio.ensure_future(self._wake.wait()), asyncio.ensure_future(stop.wait())]
            await asyncio.wait(waiters, timeout=poll, return_when=asyncio.FIRST_COMPLETED)
            for waiter in waiters:
                waiter.cancel()


def destinations(watchlist: Watchlist) -> tuple[str, ...]:
    """Every destination of a watchlist: its URLs, and its apprise config file with tags."""
    extra = (config_target(watchlist.notify_config, watchlist.notify_tags),) if watchlist.notify_config else ()
    return tuple(watchlist.notify) + extra


def watch_targets(watchlists: tuple[Watchlist, ...], extra: tuple[str, ...] = ()) -> dict[str, str]:
    """target key → apprise URL for every configured destination (the outbox stores only the keys)."""
    urls = [u for w in watchlists for u in destinations(w)] + list(extra)
    return {target_key(u): u for u in urls}


def merge_by_story(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One payload per story: a story that alerted twice (a new name later) is listed once with all names."""
    merged: dict[str, dict[str, Any]] = {}
    for row in rows:
        payload = json.loads(row["payload"])
        story = row.get("story") or payload["article"]["url"]
        if story not in merged:
            merged[story] = payload
            continue
        into = merged[story]
        into["new_terms"] = into["new_terms"] + [t for t in payload["new_terms"] if t not in into["new_terms"]]
        into["hits"] = into["hits"] + payload["hits"]
    return list(merged.values())
