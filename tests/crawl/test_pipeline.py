"""The pipeline's cost-saving structure keeps its promises: the pool's processes match with the watchlists in force
(also after a config reload), pages wait for the pool instead of piling up, and the articles stored together in
one transaction still succeed or fail one by one, with their alerts only after the commit."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from monitor.crawl.commit import GroupCommit
from monitor.crawl.pipeline import ArticleProcessor, Ready, Rules, make_executor, pages_in_flight
from monitor.crawl.pool import MatchSpec, finish
from monitor.match.matcher import Matcher
from monitor.models import Article, RawPage, Term, Watchlist
from monitor.store.database import Store
from tests.servers import article_html

FIRST = Watchlist("first", terms=(Term("Maria Kalesnikava"),), notify=("json://127.0.0.1:9/first",))
SECOND = Watchlist("second", terms=(Term("Ales Bialiatski"),), notify=("json://127.0.0.1:9/second",))
BOTH_NAMED = ("Maria Kalesnikava and Ales Bialiatski were named in the court's ruling on Tuesday, their lawyers "
              "said, and the hearing was adjourned until the spring.\n\nThe families were not allowed to attend.")


def page(n: int, body: str = BOTH_NAMED) -> RawPage:
    html = article_html(f"Ruling number {n} from the regional court", body, published=datetime.now(UTC))
    return RawPage(url=f"https://news.example/{n}", final_url=f"https://news.example/{n}", body=html.encode(),
                   source="site", http_encoding="utf-8", content_type="text/html; charset=utf-8")


@pytest.fixture(scope="module")
def pool():  # type: ignore[no-untyped-def]
    executor = make_executor(2)
    yield executor
    if executor is not None:
        executor.shutdown()


def test_the_pools_processes_match_with_the_watchlists_of_a_reload(tmp_path, pool):
    store = Store(tmp_path / "m.db")
    processor = ArticleProcessor(store, Matcher.build((FIRST,)), (FIRST,), rules=Rules(), executor=pool)

    async def run() -> list[tuple[set[str], bool]]:
        seen = []
        for n, (watchlists, reload) in enumerate([((FIRST,), False), ((SECOND,), True), ((SECOND,), False)]):
            if reload:
                processor.use(Matcher.build(watchlists), watchlists)
            prepared = await asyncio.gather(*(processor.prepare(page(10 * n + k)) for k in range(4)))
            # matched in the pool (its spec's digest), not on the loop, and with the watchlists now in force
            seen += [({h.term for h in p.hits}, p.matched_with == processor.spec.digest) for p in prepared]
        return seen

    try:
        seen = asyncio.run(run())
    finally:
        store.close()
    assert seen == [({"Maria Kalesnikava"}, True)] * 4 + [({"Ales Bialiatski"}, True)] * 8


def test_an_article_matched_before_a_reload_is_matched_again_when_stored(tmp_path):
    store = Store(tmp_path / "m.db")
    processor = ArticleProcessor(store, Matcher.build((FIRST,)), (FIRST,), rules=Rules())
    article = Article(url="", title="Ruling", text=BOTH_NAMED, published=datetime.now(UTC))
    old = finish(article, None, "https://news.example/1", "site", MatchSpec.of((FIRST,)), Matcher.build((FIRST,)))
    processor.use(Matcher.build((SECOND,)), (SECOND,))
    try:
        (outcome,) = processor.store_batch([Ready(old, False, None)])
        hits = store.query("SELECT watchlist, term FROM hits")
        alerts = store.query("SELECT watchlist FROM alerts")
    finally:
        store.close()
    assert [h.term for h in old.hits] == ["Maria Kalesnikava"]
    assert hits == [{"watchlist": "second", "term": "Ales Bialiatski"}]
    assert alerts == [{"watchlist": "second"}]
    assert not isinstance(outcome, Exception)
    assert outcome.hits == 1


def test_pages_wait_for_the_pool_instead_of_piling_up_in_it(tmp_path, pool):
    store = Store(tmp_path / "m.db")
    processor = ArticleProcessor(store, Matcher.build((FIRST,)), (FIRST,), rules=Rules(), executor=pool)
    most = 0

    async def one(n: int) -> None:
        nonlocal most
        task = asyncio.ensure_future(processor.prepare(page(n)))
        await asyncio.sleep(0)
        most = max(most, processor.preparing)
        await task

    async def run() -> None:
        await asyncio.wait_for(asyncio.gather(*(one(n) for n in range(24))), 120)

    try:
        asyncio.run(run())
    finally:
        store.close()
    assert most == pages_in_flight(pool) == 4


def test_one_failing_article_is_undone_alone_and_alerts_wait_for_the_commit(tmp_path):
    store = Store(tmp_path / "m.db")
    kicks: list[int] = []
    processor = ArticleProcessor(store, Matcher.build((FIRST,)), (FIRST,), rules=Rules(),
                                 on_alert=lambda: kicks.append(store.query("SELECT count(*) AS n FROM alerts")[0]["n"]))
    spec, matcher = processor.spec, processor.matcher
    article = Article(url="", title="Ruling", text=BOTH_NAMED, published=datetime.now(UTC))
    good = [finish(replace(article, title=f"Ruling {n}"), None, f"https://news.example/{n}", f"site-{n}", spec, matcher)
            for n in (1, 3)]
    broken = finish(article, None, "https://news.example/2", "site", spec, matcher)
    # its article row is written, then its alert breaks a NOT NULL constraint: the savepoint must undo the row too
    broken = broken._replace(hits=tuple(replace(h, watchlist=None) for h in broken.hits))
    try:
        results = processor.store_batch([Ready(good[0], False, None), Ready(broken, False, None),
                                         Ready(good[1], False, None)])
        stored = [r["url"] for r in store.query("SELECT url FROM articles ORDER BY url")]
        orphans = store.query("SELECT count(*) AS n FROM articles_fts WHERE articles_fts MATCH 'adjourned'")
    finally:
        store.close()
    assert [type(r).__name__ for r in results] == ["Outcome", "IntegrityError", "Outcome"]
    assert stored == ["https://news.example/1", "https://news.example/3"]
    assert orphans == [{"n": 2}]  # the full-text index holds the two stored articles only
    assert kicks == [2]  # once, after the commit: both alerts were visible to the dispatcher


def test_group_commit_writes_what_arrives_together_in_one_batch():
    batches: list[list[int]] = []
    busy = True

    def write(items):  # type: ignore[no-untyped-def]
        batches.append(list(items))
        return [i * 10 for i in items]

    async def run() -> list[int]:
        nonlocal busy
        commits: GroupCommit[int, int] = GroupCommit(write, busy=lambda: busy, window=0.05, limit=3)
        first = await asyncio.gather(*(commits.submit(i) for i in range(5)))  # limit 3: two batches
        busy = False
        second = await asyncio.gather(*(commits.submit(i) for i in (7, 8)))  # nothing else coming: at once
        return first + second

    results = asyncio.run(run())
    assert results == [0, 10, 20, 30, 40, 70, 80]
    assert batches == [[0, 1, 2], [3, 4], [7, 8]]
