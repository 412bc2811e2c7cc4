"""Person mentions in longer English news-style articles (tests/data/match_articles.toml).

Every mention of a person is marked in the articles as [[as written|Person as watched]]. The matcher watches
every marked person and runs over each article; a mention is found when a hit for its person covers it, and
a hit that covers no mention of its person is a false alarm. Run `python -m tests.match.test_articles` from
the repository root to print the figures and every miss and false alarm.
"""

from __future__ import annotations

import re
import sys
import tomllib
from dataclasses import dataclass, field

from monitor.match.matcher import Matcher
from monitor.models import Term, Watchlist
from tests.paths import DATA

ARTICLES = DATA / "match_articles.toml"
MENTION_RE = re.compile(r"\[\[([^|\]]+)\|([^\]]+)\]\]")
MIN_MENTION_RECALL = 0.97
MIN_HIT_PRECISION = 0.95


@dataclass(frozen=True)
class Mention:
    person: str
    start: int
    end: int


@dataclass
class Article:
    title: str
    text: str
    mentions: list[Mention]


@dataclass
class Tally:
    """Mentions found and missed, and hits that cover no mention of their person."""

    found: int = 0
    missed: int = 0
    hits: int = 0
    false: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / (self.found + self.missed) if self.found + self.missed else 1.0

    @property
    def precision(self) -> float:
        return (self.hits - self.false) / self.hits if self.hits else 1.0


def parse(marked: str) -> tuple[str, list[Mention]]:
    """The article's plain text and its marked mentions, with offsets into the plain text."""
    plain: list[str] = []
    mentions: list[Mention] = []
    cursor = length = 0
    for m in MENTION_RE.finditer(marked):
        before = marked[cursor : m.start()]
        plain.append(before)
        length += len(before)
        mentions.append(Mention(m.group(2), length, length + len(m.group(1))))
        plain.append(m.group(1))
        length += len(m.group(1))
        cursor = m.end()
    plain.append(marked[cursor:])
    return "".join(plain), mentions


def load_articles() -> list[Article]:
    with ARTICLES.open("rb") as f:
        raw = tomllib.load(f)["article"]
    articles = []
    for entry in raw:
        text, mentions = parse(entry["text"].strip())
        articles.append(Article(entry["title"], text, mentions))
    return articles


def score(articles: list[Article]) -> Tally:
    people = sorted({m.person for a in articles for m in a.mentions})
    matcher = Matcher.build([Watchlist("people", terms=tuple(Term(p) for p in people))])
    tally = Tally()
    for article in articles:
        hits = [h for h in matcher.find_hits_in("", article.text)]
        for mention in article.mentions:
            covered = any(h.term == mention.person and h.start < mention.end and mention.start < h.end for h in hits)
            if covered:
                tally.found += 1
            else:
                tally.missed += 1
                tally.errors.append(f"MISS  {mention.person}: {_context(article.text, mention.start, mention.end)}")
        for hit in hits:
            tally.hits += 1
            if not any(m.person == hit.term and hit.start < m.end and m.start < hit.end for m in article.mentions):
                tally.false += 1
                tally.errors.append(f"FALSE {hit.term}: {_context(article.text, hit.start, hit.end)}")
    return tally


def _context(text: str, start: int, end: int) -> str:
    return repr(text[max(0, start - 40) : start] + "[" + text[start:end] + "]" + text[end : end + 40])


def test_articles_are_marked() -> None:
    articles = load_articles()
    assert len(articles) >= 10
    assert sum(len(a.mentions) for a in articles) >= 200
    for article in articles:
        assert "[[" not in article.text, article.title
        assert "]]" not in article.text, article.title


def test_person_mentions_in_articles_are_found() -> None:
    tally = score(load_articles())
    report = "\n".join(tally.errors)
    assert tally.recall >= MIN_MENTION_RECALL, f"mention recall {tally.recall:.3f}\n{report}"
    assert tally.precision >= MIN_HIT_PRECISION, f"hit precision {tally.precision:.3f}\n{report}"


def main() -> int:
    tally = score(load_articles())
    print("\n".join(tally.errors))
    print(f"mentions={tally.found + tally.missed} found={tally.found} missed={tally.missed} "
          f"hits={tally.hits} false={tally.false}")  # fmt: skip
    print(f"mention recall={tally.recall:.3f} hit precision={tally.precision:.3f}")
    return 0 if tally.recall >= MIN_MENTION_RECALL and tally.precision >= MIN_HIT_PRECISION else 1


if __name__ == "__main__":
    sys.exit(main())
