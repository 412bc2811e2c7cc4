"""Group commit: the articles cleaned close together are written in one SQLite transaction.

Every article used to be its own transaction. SQLite's per-transaction work (taking the write lock, the WAL
frames of the pages a commit touches, the full-text index's segment flush) is then paid per article; grouped,
it is paid once per batch. Each article still goes in whole or not at all: its rows (article, hits, alerts,
outbox) are written under a savepoint, so one failing article is undone alone, and nothing of a batch is visible
(or alerted) before the batch's COMMIT.

A batch is written as soon as no other page is being prepared (nothing more is about to arrive), or when it is
`window` seconds old, or `limit` articles long: a lone article waits for nobody, and under load an article
waits at most `window` for its alert.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

WINDOW_S = 0.25
LIMIT = 64


class GroupCommit(Generic[Item, Result]):
    """Collects items on the event loop and hands each batch to `write`, which returns one result per item
    (or the exception that item raised); `submit` returns that item's result once its batch is written."""

    def __init__(self, write: Callable[[Sequence[Item]], list[Result | Exception]], *,
                 busy: Callable[[], bool] = lambda: False, window: float = WINDOW_S, limit: int = LIMIT) -> None:
        self.write, self.busy, self.window, self.limit = write, busy, window, limit
        self._items: list[tuple[Item, asyncio.Future[Result]]] = []
        self._timers: list[asyncio.Handle] = []
        self._soon = self._late = False

    async def submit(self, item: Item) -> Result:
        """Queue one item; returns its result after its batch is written (raises what writing it raised)."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Result] = loop.create_future()
        self._items.append((item, future))
        if len(self._items) >= self.limit:
            self.flush()
        elif not self.busy():
            if not self._soon:  # in this loop turn, the items of pages that finished together may still come
                self._soon = True
                self._timers.append(loop.call_soon(self.flush))
        elif not self._late:
            self._late = True
            self._timers.append(loop.call_later(self.window, self.flush))
        return await future

    def flush(self) -> None:
        """Write everything queued now, as one batch."""
        for timer in self._timers:
            timer.cancel()
        self._timers, self._soon, self._late = [], False, False
        items, self._items = self._items, []
        if not items:
            return
        try:
            results = self.write([item for item, _ in items])
        except Exception as exc:  # the batch's transaction failed: every item in it failed
            results = [exc] * len(items)
        for (_, future), result in zip(items, results, strict=True):
            if future.done():  # its awaiting task was cancelled
                continue
            if isinstance(result, BaseException):
                future.set_exception(result)
            else:
                future.set_result(result)
