"""Find watched people, phrases and queries in an article, and say why each hit matched.

How a name is found (docs/matching.md has the long version):

1. `monitor.match.normalize` splits the title and body into words with their offsets and gives each word a plain
   key (case and diacritics folded) and a transliteration *skeleton* ("Лукашэнка", "Łukaszenka" and
   "Loukachenko" all become ``lukaxenka``).
2. `monitor.match.forms` compiles each term and alias once. "Maria Kalesnikava" becomes a *person*: a
   first name with its equivalence class from `monitor.match.names`, and a surname whose stem may take the case
   endings of its inflection class (`monitor.match.words`). Other terms are *phrases*.
3. `monitor.match.index` files every surname (or last phrase word) under hash keys that a matching word of
   text reproduces, so each word of an article costs a few dictionary lookups whatever the size of the
   watchlists. Tolerant matches (one or two transliteration edits in the stem) are confirmed with
   rapidfuzz.
4. `monitor.match.context` checks the context of each candidate. A surname counts alone, or with a
   compatible first name or initial before it (or after it, as in "Бабарико Виктор"); with another known
   first name ("Eduard Babaryka" for "Viktar Babaryka") it is another person and does not count.
5. Hits are grouped per watchlist: an `exclude` phrase silences the watchlist for the article, and each
   query (`monitor.match.query`) is evaluated on the occurrences of its words.

A hit's `reason` is the largest change needed: exact < transliteration < inflection < fuzzy; `alias`
when the spelling came from the term's aliases; `query` for a query. `Matcher.explain` lists the
candidates that did not count, with the reason.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from monitor.errors import QueryError
from monitor.match.around import Field
from monitor.match.context import NameContext, Occurrence, OtherPerson, rank
from monitor.match.coreference import resolve
from monitor.match.forms import Form, FormError, compile_form, compile_query_leaf, other_reading
from monitor.match.index import WordIndex
from monitor.match.lexicon import text_language
from monitor.match.names import FirstNames
from monitor.match.normalize import Tokens, inflects, looks_slavic
from monitor.match.query import Leaf, Query, Span, evaluate, parse_query
from monitor.match.snippet import make_snippet
from monitor.models import Article, Hit, Watchlist

logger = logging.getLogger(__name__)


class Miss(NamedTuple):
    """A word that looked like a watched term but did not count, and why (see `Matcher.explain`)."""

    watchlist: str
    term: str
    found: str
    field: str
    start: int
    end: int
    why: str


class _Owner(NamedTuple):
    kind: str  # term | exclude
    watchlist: int
    item: int  # index of the term or exclude in the watchlist
    alias: bool


@dataclass(frozen=True)
class _QuerySpec:
    watchlist: int
    query: Query
    leaf_forms: dict[Leaf, int]


@lru_cache(maxsize=1)
def _first_names() -> FirstNames:
    return FirstNames.load()


class Matcher:
    """Compiled watchlists: build once, then call `find_hits` for each article. Picklable."""

    def __init__(self, watchlists: Sequence[Watchlist], names: FirstNames) -> None:
        self.watchlists = tuple(watchlists)
        self._names = names
        self._context = NameContext(names)
        self._forms: list[Form] = []
        self._owners: list[list[_Owner]] = []
        self._form_ids: dict[tuple[str, bool, bool], int] = {}
        self._index = WordIndex()
        self._queries: list[_QuerySpec] = []
        self._wl_order = {w.name: i for i, w in reversed(list(enumerate(self.watchlists)))}
        self._credit_lists = {w.name for w in self.watchlists if w.match_credits}

    @classmethod
    def build(cls, watchlists: Sequence[Watchlist]) -> Matcher:
        """Compile every term, alias, exclude and query; raises QueryError naming the watchlist."""
        matcher = cls(watchlists, _first_names())
        for wi, watchlist in enumerate(matcher.watchlists):
            matcher._add_watchlist(wi, watchlist)
        logger.debug("matcher built: %d forms, %d anchor words", len(matcher._forms), len(matcher._index))
        return matcher

    def _add_watchlist(self, wi: int, watchlist: Watchlist) -> None:
        for ti, term in enumerate(watchlist.terms):
            for alias, text in [(False, term.text), *((True, a) for a in term.aliases)]:
                self._add_form(text, _Owner("term", wi, ti, alias), watchlist.name, exact=term.exact)
            reading = None if term.exact else other_reading(term.text, self._names)
            if reading:  # "Do Kwon" is also "Kwon Do": both words can be the family name
                self._add_form(reading, _Owner("term", wi, ti, False), watchlist.name)
        for xi, text in enumerate(watchlist.exclude):
            self._add_form(text, _Owner("exclude", wi, xi, False), watchlist.name)
        for qi, text in enumerate(watchlist.queries):
            try:
                query = parse_query(text)
            except QueryError as e:
                where = f"watchlist {watchlist.name!r}, query {qi + 1}"
                raise QueryError(text, e.position, f"{where}: {e.message}") from e
            leaf_forms = {leaf: self._add_form(leaf.text, None, watchlist.name, query=True) for leaf in query.leaves}
            self._queries.append(_QuerySpec(wi, query, leaf_forms))

    def _add_form(
        self, text: str, owner: _Owner | None, watchlist: str, exact: bool = False, query: bool = False
    ) -> int:
        key = (text, exact, query)
        fid = self._form_ids.get(key)
        if fid is None:
            try:
                form = compile_query_leaf(text) if query else compile_form(text, self._names, exact=exact)
            except FormError as e:
                raise QueryError(text, 0, f"watchlist {watchlist!r}: {e}") from e
            fid = self._form_ids[key] = len(self._forms)
            self._forms.append(form)
            self._owners.append([])
            self._index.add(form.anchor, fid)
        if owner is not None:
            self._owners[fid].append(owner)
        return fid

    def find_hits(self, article: Article) -> list[Hit]:
        """Hits of every watchlist in the article's title and text (and credits, for lists that ask)."""
        return self.find_hits_in(article.title, article.text, article.credits)

    def find_hits_in(self, title: str, text: str, credits: str = "") -> list[Hit]:
        """Hits of every watchlist in a title and a body text; in the credits for lists with match_credits."""
        found, texts = self._collect(title, text)
        with_credits = bool(credits and self._credit_lists)
        if not found and not with_credits:
            return []
        excluded = self._excluded(found)
        hits = self._term_hits(found, excluded, texts) + self._query_hits(found, excluded, texts)
        if with_credits:
            hits += self._credit_hits(credits, excluded)
        order = {"title": 0, "text": 1}
        hits.sort(key=lambda h: (self._wl_order[h.watchlist], order.get(h.field, 2), h.start, h.term))
        return hits

    def _credit_hits(self, credits: str, excluded: dict[int, int]) -> list[Hit]:
        """Term hits in the byline and credit lines, for the watchlists that count them (match_credits)."""
        field = self._field("credits", credits)
        if field is None:
            return []
        events: dict[int, list[Occurrence | OtherPerson]] = {}
        self._scan(field, events)
        # Credit lines name people in full ("Reporting by Jane Doe"): no bare surnames to resolve.
        found = {fid: kept for fid, evs in events.items() if (kept := [e for e in evs if isinstance(e, Occurrence)])}
        hits = self._term_hits(found, excluded, {"credits": credits})
        return [h for h in hits if h.watchlist in self._credit_lists]

    def explain(self, title: str, text: str) -> list[Miss]:
        """Words that matched a term but did not count, with the reason: what `monitor match` shows."""
        misses: list[tuple[int, Span, str]] = []
        found, texts = self._collect(title, text, misses)
        out = []
        for fid, span, why in misses:
            for owner in self._owners[fid]:
                if owner.kind == "term":
                    watchlist = self.watchlists[owner.watchlist]
                    found_text = texts[span.field][span.start : span.end]
                    out.append(Miss(watchlist.name, watchlist.terms[owner.item].text, found_text, span.field,
                                    span.start, span.end, why))  # fmt: skip
        for wi, fid in self._excluded(found).items():
            span = found[fid][0].span
            for hit_fid, occurrences in found.items():
                for owner in self._owners[hit_fid]:
                    if owner.kind == "term" and owner.watchlist == wi:
                        watchlist = self.watchlists[wi]
                        why = f"the article contains the exclude term {self._forms[fid].text!r}"
                        for occ in occurrences:
                            s = occ.span
                            out.append(Miss(watchlist.name, watchlist.terms[owner.item].text,
                                            texts[s.field][s.start : s.end], s.field, s.start, s.end, why))  # fmt: skip
        order = {"title": 0, "text": 1}
        return sorted(out, key=lambda m: (order.get(m.field, 2), m.start, m.watchlist, m.term))

    def _collect(
        self, title: str, text: str, misses: list[tuple[int, Span, str]] | None = None
    ) -> tuple[dict[int, list[Occurrence]], dict[str, str]]:
        """Every form's occurrences in the title and text (bare surnames resolved), and the fields' texts."""
        fields = [f for f in (self._field("title", title or ""), self._field("text", text or "")) if f]
        found: dict[int, list[Occurrence | OtherPerson]] = {}
        for field in fields:
            self._scan(field, found, misses)  # most articles name no one: no field, nothing to scan
        texts = {f.name: f.text for f in fields}
        out: dict[int, list[Occurrence]] = {}
        for fid, events in found.items():
            form = self._forms[fid]
            if form.person:
                kept, dropped = resolve(form, events, texts)
                if misses is not None:
                    misses.extend((fid, span, why) for span, why in dropped)
                    misses.extend((fid, e.surname, e.why) for e in events if isinstance(e, OtherPerson))
            else:
                kept = [e for e in events if isinstance(e, Occurrence)]
            if kept:
                out[fid] = kept
        return out, texts

    def _excluded(self, found: dict[int, list[Occurrence]]) -> dict[int, int]:
        """Watchlists silenced by an exclude term found in the article → the form that silenced them."""
        return {o.watchlist: fid for fid in found for o in self._owners[fid] if o.kind == "exclude"}

    def _field(self, name: str, text: str) -> Field | None:
        """The field's words, or None when none of them can match anything (most articles)."""
        tokens = Tokens(text)
        slavic = looks_slavic(text, tokens.words)
        lookup = self._index.lookup
        for word in dict.fromkeys(tokens.words):  # each distinct word once: a text repeats most of its words
            if lookup(word, inflects(word, slavic)):
                return Field(name, text, tokens, slavic, text_language(text, tokens.words))
        if tokens.line_breaks():
            return Field(name, text, tokens, slavic, text_language(text, tokens.words))
        return None

    def _scan(
        self,
        field: Field,
        found: dict[int, list[Occurrence | OtherPerson]],
        misses: list[tuple[int, Span, str]] | None = None,
    ) -> None:
        """Look every word up, and check each candidate's context; words split by a line end as well."""
        lookup, slavic, tokens = self._index.lookup, field.slavic, field.tokens
        by_word = {
            word: matches
            for word in dict.fromkeys(tokens.words)
            if (matches := lookup(word, inflects(word, slavic)))
        }
        candidates = [(tokens[i], by_word[word]) for i, word in enumerate(tokens.words) if word in by_word]
        for token in tokens.line_breaks():
            candidates.append((token, lookup(token.word, field.slavic_word(token))))
        for token, matches in candidates:
            for fid, match in matches:
                result = self._context.check(self._forms[fid], field, token, match)
                if not isinstance(result, str):
                    found.setdefault(fid, []).append(result)
                elif misses is not None:
                    misses.append((fid, Span(field.name, token.first, token.last, token.start, token.end), result))

    def _term_hits(
        self, found: dict[int, list[Occurrence]], excluded: dict[int, int], texts: dict[str, str]
    ) -> list[Hit]:
        best: dict[tuple[int, int, str, int], tuple[tuple[int, int, int], Hit]] = {}
        for fid, occurrences in found.items():
            for owner in self._owners[fid]:
                if owner.kind != "term" or owner.watchlist in excluded:
                    continue
                watchlist = self.watchlists[owner.watchlist]
                term = watchlist.terms[owner.item]
                for occ in occurrences:
                    span = occ.span
                    reason = "alias" if owner.alias else occ.reason
                    text = texts[span.field]
                    hit = Hit(watchlist.name, term.text, text[span.start : span.end], span.field, span.start,
                              span.end, make_snippet(text, span.start, span.end), reason)  # fmt: skip
                    # Term and alias may find the same words: keep the term's, the longest, the least changed.
                    order = (owner.alias, span.start - span.end, rank(occ.reason))
                    key = (owner.watchlist, owner.item, span.field, span.end)
                    if key not in best or order < best[key][0]:
                        best[key] = (order, hit)
        return [hit for _, hit in best.values()]

    def _query_hits(
        self, found: dict[int, list[Occurrence]], excluded: dict[int, int], texts: dict[str, str]
    ) -> list[Hit]:
        hits = []
        for spec in self._queries:
            if spec.watchlist in excluded:
                continue

            def spans_of(leaf: Leaf, spec: _QuerySpec = spec) -> list[Span]:
                return [occ.span for occ in found.get(spec.leaf_forms[leaf], ())]

            evidence = evaluate(spec.query.root, spans_of)
            if not evidence:
                continue
            span = min(evidence, key=lambda s: (s.field != "title", s.start))
            text = texts[span.field]
            name = self.watchlists[spec.watchlist].name
            snippet = make_snippet(text, span.start, span.end)
            hits.append(Hit(name, spec.query.text, text[span.start : span.end], span.field, span.start, span.end,
                            snippet, "query"))  # fmt: skip
        return hits



