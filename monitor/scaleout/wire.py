"""Scale-out plumbing shared by the coordinator and the workers: the Dramatiq broker on Redis, the two
queues, and the JSON form of what travels on them (crawl jobs one way, cleaned articles the other).

Why Dramatiq (README, "Scale-out"): its Redis broker acknowledges a message only after the actor returns
and puts back the unacknowledged messages of a worker whose heartbeat stops, so a crawl on a killed worker
is picked up by another; `dramatiq.Worker` embeds in a process as threads, which lets the coordinator consume
results on its own event loop. scrapy-redis shares one request frontier but has no acknowledgements: the
requests a killed worker had popped are lost, and its dupefilter keeps them from ever being queued again.
"""

from __future__ import annotations

import base64
import json
import logging
import threading
import time
import zlib
from collections.abc import Sequence
from dataclasses import asdict, fields, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

import numpy as np
from dramatiq.brokers.redis import RedisBroker
from dramatiq.middleware import AgeLimit, Callbacks, Pipelines, Retries, ShutdownNotifications, TimeLimit

from monitor.models import Article, Hit, Source, Term, Watchlist

if TYPE_CHECKING:
    from monitor.crawl import Prepared

logger = logging.getLogger(__name__)

NAMESPACE = "news-monitor"  # Redis key prefix: one Redis can serve other applications too
CRAWL_QUEUE = "crawl"
RESULTS_QUEUE = "results"
CRAWL_ACTOR = "monitor_crawl"
RESULTS_ACTOR = "monitor_result"
# A worker whose heartbeat is older than this is dead and its crawls go back on the queue. Dramatiq's default
# (60 s) is kept: a news cycle is minutes long, and a shorter one risks taking a crawl from a worker that is
# only slow to reach Redis.
HEARTBEAT_TIMEOUT_MS = 60_000
# Requeuing a dead worker's messages happens during "maintenance", which Dramatiq runs on a random share of
# broker commands (default 0.1%). That can leave a dead worker's crawl waiting minutes on a quiet queue; 10%
# makes it seconds, and maintenance without dead workers costs two sorted-set range queries.
MAINTENANCE_CHANCE = 100_000
# An idle Dramatiq consumer polls Redis with a backoff up to this (default 1 s). Each crawl job makes two hops
# (job to a worker, results back), and a cycle of many short crawls paid up to 2 s per job: 50 unchanged
# sources took 17 s instead of 2. 100 ms costs an idle consumer ten cheap Redis calls a second.
POLL_MS = 100
SHIPPED_TTL_S = 86_400  # how long a job's "already shipped" URL set outlives it in Redis
# Articles a worker sends in one result message (see monitor.scaleout.worker.Shipment), and how long the first of
# them waits for the others. One article per message cost the coordinator ~3 Redis round trips and a Dramatiq
# message per article; batched and compressed, a message carries a few dozen, a third of their size.
BATCH_ARTICLES = 32
BATCH_WAIT_S = 1.0


def make_broker(url: str, *, heartbeat_timeout_ms: int = HEARTBEAT_TIMEOUT_MS,
                maintenance_chance: int = MAINTENANCE_CHANCE, namespace: str = NAMESPACE) -> RedisBroker:
    """A Dramatiq Redis broker with both queues declared; actors are attached by the side that runs them."""
    middleware = [AgeLimit(), TimeLimit(), ShutdownNotifications(), Callbacks(), Pipelines(),
                  Retries(max_retries=5, min_backoff=1000, max_backoff=60_000)]
    broker = RedisBroker(url=url, namespace=namespace, heartbeat_timeout=heartbeat_timeout_ms,  # type: ignore[no-untyped-call]
                         maintenance_chance=maintenance_chance, middleware=middleware)
    broker.declare_queue(CRAWL_QUEUE)
    broker.declare_queue(RESULTS_QUEUE)
    return broker


def shipped_key(job: str, namespace: str = NAMESPACE) -> str:
    """Redis set of the article URLs a job has already sent to the coordinator (read when it is retried)."""
    return f"{namespace}:shipped:{job}"


def workers_key(namespace: str = NAMESPACE) -> str:
    """Redis sorted set of crawl workers (broker id → time of its last beat), for "is any worker running?"."""
    return f"{namespace}:workers"


def live_workers(broker: RedisBroker) -> int:
    """How many `monitor worker` processes have beaten within the heartbeat timeout."""
    since = time.time() - broker.heartbeat_timeout / 1000
    return int(broker.client.zcount(workers_key(broker.namespace), since, "+inf"))


def queue_summary(url: str, namespace: str = NAMESPACE) -> str:
    """One line for `monitor status`: live workers and crawls waiting, or why Redis could not say."""
    try:
        broker = make_broker(url, namespace=namespace)
        try:
            workers, waiting = live_workers(broker), broker.do_qsize(CRAWL_QUEUE)
        finally:
            broker.close()
    except Exception as exc:  # status must still show the rest
        return f"Redis unreachable ({type(exc).__name__}): crawls cannot be handed to workers"
    if not workers:
        return f"no worker running (start `monitor worker`); {waiting} crawl(s) waiting"
    return f"{workers} worker(s) running; {waiting} crawl(s) waiting"


class Heartbeat:
    """Keeps a broker's heartbeat fresh while its worker threads are busy with long crawls, and tells the
    coordinator that a worker is there (Dramatiq's own heartbeats do not say which process is a worker).

    Dramatiq's Redis broker beats only on broker commands, and a consumer whose prefetch is full sends none,
    so a crawl longer than the heartbeat timeout would be handed to a second worker (dramatiq issue #692).
    """

    def __init__(self, broker: RedisBroker, queue: str) -> None:
        self.broker, self.queue = broker, queue
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="monitor-heartbeat", daemon=True)

    def start(self) -> None:
        """Beat now and then every quarter of the timeout until stop()."""
        self._beat()
        self._thread.start()

    def stop(self) -> None:
        """Stop beating (a worker shutting down, or a test simulating a dead one)."""
        self._stop.set()
        try:
            self.broker.client.zrem(workers_key(self.broker.namespace), self.broker.broker_id)
        except Exception as exc:  # the entry then ages out after the heartbeat timeout
            logger.warning("could not sign off from Redis: %s", exc)

    def _run(self) -> None:
        interval = self.broker.heartbeat_timeout / 4000
        while not self._stop.wait(interval):
            self._beat()

    def _beat(self) -> None:
        try:
            self.broker.do_qsize(self.queue)  # any dispatch command records Dramatiq's heartbeat
            key = workers_key(self.broker.namespace)
            self.broker.client.zadd(key, {self.broker.broker_id: time.time()})
            self.broker.client.zremrangebyscore(key, "-inf", time.time() - 10 * self.broker.heartbeat_timeout / 1000)
        except Exception as exc:  # Redis away for a moment: the consumer reports it too
            logger.warning("heartbeat to Redis failed: %s", exc)


# -- JSON forms ---------------------------------------------------------------------------------------------
def source_to_json(source: Source) -> dict[str, Any]:
    """A Source as JSON (the job carries it, so workers need no copy of the sources list)."""
    return asdict(source)


def source_from_json(data: dict[str, Any]) -> Source:
    """The Source a job carries."""
    known = {f.name for f in fields(Source)}
    values = {k: v for k, v in data.items() if k in known}
    values["urls"] = tuple(values.get("urls", ()))
    return Source(**values)


def article_to_json(article: Article) -> dict[str, Any]:
    """An Article as JSON, dates as ISO strings."""
    data = asdict(article)
    for key in ("published", "updated"):
        if data[key] is not None:
            data[key] = data[key].isoformat()
    return data


def article_from_json(data: dict[str, Any]) -> Article:
    """The Article a result carries."""
    values = dict(data)
    for key in ("published", "updated"):
        if values.get(key):
            values[key] = datetime.fromisoformat(values[key])
    values["authors"] = tuple(values.get("authors") or ())
    return Article(**values)


def signature_to_json(sig: np.ndarray | None) -> dict[str, str] | None:
    """A MinHash signature as base64 bytes plus dtype."""
    if sig is None:
        return None
    return {"dtype": str(sig.dtype), "data": base64.b64encode(sig.tobytes()).decode("ascii")}


def signature_from_json(data: dict[str, str] | None) -> np.ndarray | None:
    """The MinHash signature a result carries."""
    if not data:
        return None
    return np.frombuffer(base64.b64decode(data["data"]), dtype=np.dtype(data["dtype"])).copy()


def plain_stats(stats: dict[str, Any]) -> dict[str, Any]:
    """Scrapy stats with datetimes and other objects as strings, so they travel as JSON."""
    return {k: v if isinstance(v, int | float | str | bool) or v is None else str(v) for k, v in stats.items()}


def watchlists_to_json(watchlists: Sequence[Watchlist]) -> list[dict[str, Any]]:
    """The watchlists a job carries for the worker to match with: every field but the notification targets
    (which hold secrets and stay with the coordinator)."""
    return [asdict(replace(w, notify=(), notify_config=None, notify_tags=())) for w in watchlists]


def watchlists_from_json(data: list[dict[str, Any]]) -> tuple[Watchlist, ...]:
    """The watchlists a job carries (fields this version does not know are left out)."""
    known, term_fields = {f.name for f in fields(Watchlist)}, {f.name for f in fields(Term)}
    out = []
    for entry in data:
        values = {k: _tuples(v) for k, v in entry.items() if k in known and k != "terms"}
        terms = tuple(Term(**{k: _tuples(v) for k, v in t.items() if k in term_fields}) for t in entry["terms"])
        out.append(Watchlist(**values, terms=terms))
    return tuple(out)


def _tuples(value: Any) -> Any:
    """JSON arrays back to the tuples the frozen dataclasses hold."""
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value


def prepared_to_json(prepared: Prepared) -> dict[str, Any]:
    """A prepared article (as a worker's pool made it: cleaned, signed, hashed, matched) as JSON."""
    return {"article": article_to_json(prepared.article), "sig": signature_to_json(prepared.signature),
            "digest": prepared.digest, "hits": [asdict(h) for h in prepared.hits],
            "matched_with": prepared.matched_with}


def prepared_from_json(data: dict[str, Any]) -> Prepared:
    """The prepared article a result carries."""
    from monitor.crawl import Prepared

    return Prepared(article_from_json(data["article"]), signature_from_json(data["sig"]), data["digest"],
                    tuple(Hit(**h) for h in data["hits"]), data["matched_with"])


def pack(items: list[dict[str, Any]]) -> str:
    """JSON items compressed for the trip through Redis (article texts shrink to about a third)."""
    raw = json.dumps(items, ensure_ascii=False, separators=(",", ":")).encode()
    return base64.b64encode(zlib.compress(raw, 1)).decode("ascii")


def unpack(blob: str) -> list[dict[str, Any]]:
    """The items `pack` packed."""
    items: list[dict[str, Any]] = json.loads(zlib.decompress(base64.b64decode(blob)))
    return items
