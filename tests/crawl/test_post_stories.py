"""A channel post and a website article on the same news are one story whichever is stored first; other news
about the same person is not. Real parts: the clean stage, the matcher, the store, the story index."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from monitor.crawl.pipeline import ArticleProcessor, Rules
from monitor.match.matcher import Matcher
from monitor.models import Post, RawPage, Term, Watchlist
from monitor.store.database import Store
from tests.servers import article_html

WATCH = Watchlist("prisoners", terms=(Term("Maria Kalesnikava"),), notify=("json://127.0.0.1:9/hook",))
NOW = datetime.now(UTC).replace(microsecond=0)
LEAD = ("The Minsk city court sentenced Maria Kalesnikava in absentia to another three years on Tuesday, on a "
        "charge of insulting the president, her lawyer told journalists outside the courtroom.")
REST = ("The hearing lasted less than an hour and was closed to the press. Kalesnikava, who was released last year "
        "and left the country, called the verdict absurd in a message to supporters. Her sister said the family "
        "had not been told of the hearing in advance, and that the case had been opened months ago without notice. "
        "Rights groups counted it among dozens of such trials this year, most of them held behind closed doors. "
        "Trials in absentia were introduced into Belarusian law in 2022 and have since been used against exiled "
        "journalists, politicians and activists; the sentences cannot be served while the accused live abroad, "
        "but their property can be seized and relatives are often questioned. Kalesnikava's lawyers said they "
        "would appeal, although no appeal in such a case has succeeded so far, according to the rights groups.")
OTHER = ("Maria Kalesnikava played the flute in public for the first time in five years at a concert in Vilnius on "
         "Sunday evening, to an audience of several hundred people who stood to applaud her at the end.")


@pytest.fixture
def processor(tmp_path):
    store = Store(tmp_path / "m.db")
    yield ArticleProcessor(store, Matcher.build((WATCH,)), (WATCH,), rules=Rules())
    store.close()


def _page(path: str, body: str) -> RawPage:
    html = article_html("Kalesnikava sentenced again", body, published=NOW).encode()
    return RawPage(url=f"https://news.example{path}", final_url=f"https://news.example{path}", body=html,
                   source="news", http_encoding="utf-8")


def _post(number: int, text: str) -> Post:
    return Post(url=f"https://t.me/viasna_test/{number}", html=text, source="tg-viasna", channel="Viasna",
                published=NOW - timedelta(minutes=number))


def _run(processor: ArticleProcessor, item: RawPage | Post) -> int:
    outcome = asyncio.run(processor.process(item, baseline=False))
    assert outcome.status == "new", outcome
    return len(outcome.alerts)


def _story(processor: ArticleProcessor, url: str) -> str:
    return processor.store.story_of(url) or ""


@pytest.mark.parametrize("article_first", [True, False], ids=["article-then-post", "post-then-article"])
def test_a_post_quoting_an_articles_lead_is_its_story_in_either_order(processor, article_first):
    article, post = _page("/2026/kalesnikava-sentenced", f"{LEAD}\n\n{REST}"), _post(1, f"⚡️ {LEAD}")
    first, second = (article, post) if article_first else (post, article)
    assert _run(processor, first) == 1
    assert _run(processor, second) == 0, "the same news: no second alert"
    assert _story(processor, article.url) == _story(processor, post.url)
    # A post on other news about her is a story of its own, and alerts.
    assert _run(processor, _post(2, OTHER)) == 1
    assert _story(processor, "https://t.me/viasna_test/2") != _story(processor, article.url)
