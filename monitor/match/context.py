"""The context of a candidate name: is this "Babaryka" the watched Viktar, his son Eduard, or no one?

`NameContext` checks what stands around a word that matched a surname (or the last word of a phrase):
the earlier parts of a double surname, a first name or initials before it (skipping a patronymic), a
first name after it (surname-first order, as in court papers), and case. Each check returns either an
`Occurrence` or a short reason for refusing, which `Matcher.explain` shows to the user.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from monitor.match.forms import Form, is_patronymic, patronymic_gender
from monitor.match.names import FirstNames
from monitor.match.normalize import Token, Tokens, ascii_letters, is_cyrillic
from monitor.match.query import Span
from monitor.match.words import WordMatch, compare

REASONS = ("exact", "transliteration", "inflection", "fuzzy")  # in order of how much was changed
_NAME_GAP_RE = re.compile(r"[ \t\u00a0]*(?:\r?\n)?[ \t\u00a0]*")  # within a name: spaces, one line break
_INITIAL_GAP_RE = re.compile(r"\.[ \t\u00a0]*(?:\r?\n)?[ \t\u00a0]*")
_SURNAME_GAP_RE = re.compile(r"[ \t\u00a0]*[-‐‑–][ \t\u00a0]*|[ \t\u00a0]+")  # "Kara-Murza", "Kara Murza"
_PHRASE_GAP_RE = re.compile(r"[\s\-‐‑–'’\"“”„«»]{1,3}")
# "Viktar and Eduard Babaryka": a first name joined to the next one names the same surname.
_CONJUNCTIONS = frozenset(["and", "und", "et", "y", "e", "i", "и", "і", "й", "та", "a", "oraz", "ir", "ja"])
_GIVEN_CACHE_SIZE = 100_000
OTHER = "other"  # `_judge_given`: a first name, but another person's


class Occurrence(NamedTuple):
    """A confirmed occurrence of a form: where, and the largest change it needed."""

    span: Span
    reason: str


@dataclass
class Field:
    """One field of the article being matched."""

    name: str
    text: str
    tokens: Tokens
    slavic: bool  # Latin words may carry Slavic case endings (Cyrillic words always may)

    def slavic_word(self, token: Token) -> bool:
        return self.slavic or is_cyrillic(token.word)

    def token(self, index: int) -> Token | None:
        return self.tokens.get(index)


class NameContext:
    """Context checks around candidates, with a cache of first-name lookups."""

    def __init__(self, names: FirstNames) -> None:
        self._names = names
        self._given_cache: dict[str, frozenset[int]] = {}

    def __getstate__(self) -> dict[str, object]:
        return {"_names": self._names, "_given_cache": {}}

    def check(self, form: Form, field: Field, token: Token, match: WordMatch) -> Occurrence | str:
        """The occurrence of `form` whose last word is `token`, or why it does not count."""
        if form.person:
            return self._check_person(form, field, token, match)
        return self._check_phrase(form, field, token, match)

    @staticmethod
    def _walk_back(form: Form, field: Field, token: Token, gap: re.Pattern[str]) -> tuple[Token, list[str]] | str:
        """Match the form's earlier words right-to-left before `token`: (first token, kinds) or why not."""
        kinds, first = [], token
        for pattern in reversed(form.words[:-1]):
            prev = field.token(first.first - 1)
            if prev is None or not gap.fullmatch(field.text, prev.end, first.start):
                return f"not preceded by {pattern.text!r}"
            m = compare(pattern, prev.word, fuzzy=prev.capitalised, slavic=field.slavic_word(prev))
            if m is None or m.weak:
                return f"{prev.word!r} is not {pattern.text!r}"
            kinds.append(m.kind)
            first = prev
        return first, kinds

    def _check_phrase(self, form: Form, field: Field, token: Token, match: WordMatch) -> Occurrence | str:
        if match.weak:
            return "this form of the word is also another gender's form"
        walked = self._walk_back(form, field, token, _PHRASE_GAP_RE)
        if isinstance(walked, str):
            return walked
        first, kinds = walked[0], [match.kind, *walked[1]]
        if token.possessive and len(form.words) == 1:
            kinds.append("inflection")
        span = Span(field.name, first.first, token.last, first.start, token.end)
        return Occurrence(span, _worst(kinds))

    def _check_person(self, form: Form, field: Field, token: Token, match: WordMatch) -> Occurrence | str:
        # Lower-case words are ordinary words more often than names ("dobry znak", "sokol"): a surname
        # in lower case counts only in its exact spelling and with the person's first name before it.
        lower = not token.capitalised
        if lower and match.kind != "exact":
            return "a lower-case word in another spelling: only the exact name after its first name counts"
        if match.kind == "fuzzy" and self._given_classes(token.word):
            return "a first name, not a spelling of the surname"  # "Roman", "Ales"
        walked = self._walk_back(form, field, token, _SURNAME_GAP_RE)
        if isinstance(walked, str):
            return walked
        first, kinds = walked[0], [match.kind, *walked[1]]
        if token.possessive:
            kinds.append("inflection")
        given = self._given_context(form, field, first, token, lower)
        if isinstance(given, str):
            return given
        if given is None and lower:
            return "a lower-case word: it counts only with the person's first name before it"
        if given is None and match.weak:
            return "this form of the surname is also another gender's: it needs the first name next to it"
        start, end = first.start, token.end
        if given is not None:
            given_token, kind = given
            kinds.append(kind)
            start, end = min(start, given_token.start), max(end, given_token.end)
        span = Span(field.name, first.first, token.last, start, end)
        return Occurrence(span, _worst(kinds))

    def _given_context(
        self, form: Form, field: Field, first: Token, last: Token, lower: bool = False
    ) -> tuple[Token, str] | str | None:
        """The compatible first name next to a surname; why not, if another person's; None if there is none."""
        before = self._name_before(field, first)
        if lower:  # "maria kalesnikava": only the exact first name, in the same case, before it
            if before is not None and form.given is not None:
                m = compare(form.given, before.word, fuzzy=False)
                if m is not None and m.kind == "exact":
                    return before, "exact"
            return None
        verdict = self._judge_given(form, before)
        if verdict == OTHER and before is not None:
            # "Viktar and Eduard Babaryka": look past the other first name and the conjunction.
            conj = field.token(before.first - 1)
            if conj and conj.word.casefold() in _CONJUNCTIONS and _adjacent(field.text, conj, before):
                other = field.token(conj.first - 1)
                again = self._judge_given(form, other) if other and _adjacent(field.text, other, conj) else None
                if isinstance(again, tuple):
                    return None  # the surname belongs to both; report it without the other first name
            return f"another person's first name: {before.word!r}"
        if isinstance(verdict, tuple):
            return verdict
        after = field.token(last.last + 1)
        if after is None or not _NAME_GAP_RE.fullmatch(field.text, last.end, after.start):
            return None
        verdict = self._judge_given(form, after)
        if verdict == OTHER:
            # "Бабарико Эдуард Викторович" (surname first, as in court papers) is another person, but in
            # "жена Статкевича Марина Адамович" the name after the surname starts the next person's name.
            # Only the first has the other name's own patronymic after it.
            patronymic = field.token(after.last + 1)
            if patronymic is None or not _adjacent(field.text, after, patronymic):
                return None
            gender = self._names.gender(self._given_classes(after.word))
            if not is_patronymic(patronymic.word) or gender not in (None, patronymic_gender(patronymic.word)):
                return None
            return f"another person's first name after it: {after.word!r}"
        return verdict if isinstance(verdict, tuple) else None

    def _name_before(self, field: Field, first: Token) -> Token | None:
        """The word that would be the first name before a surname: skips a patronymic and middle initials."""
        prev = field.token(first.first - 1)
        if prev is None or not _adjacent(field.text, prev, first):
            return None
        earlier = field.token(prev.first - 1)
        skip = prev.initial and earlier is not None and earlier.initial or is_patronymic(prev.word) and prev.capitalised
        if skip and earlier is not None and _adjacent(field.text, earlier, prev):
            return earlier
        return prev

    def _judge_given(self, form: Form, token: Token | None) -> tuple[Token, str] | str | None:
        """(token, how) if `token` is the person's first name or initial; OTHER if another's; else None."""
        if token is None or not token.capitalised:
            return None
        if token.initial:
            return (token, "transliteration") if ascii_letters(token.word) in form.initials else OTHER
        if form.given is None:  # a person form always has one (match_forms.py); nothing to compare otherwise
            return None
        classes = self._given_classes(token.word)
        m = compare(form.given, token.word, fuzzy=not classes)
        if classes and not classes & form.given_classes and (m is None or m.kind not in REASONS[:2]):
            return OTHER  # a known first name of another class: another person
        if m is not None:
            return token, m.kind
        return (token, "transliteration") if classes else None

    def _given_classes(self, word: str) -> frozenset[int]:
        classes = self._given_cache.get(word)
        if classes is None:
            if len(self._given_cache) >= _GIVEN_CACHE_SIZE:
                self._given_cache.clear()
            classes = self._given_cache[word] = self._names.lookup(word)
        return classes


def _adjacent(text: str, a: Token, b: Token) -> bool:
    gap_re = _INITIAL_GAP_RE if a.initial else _NAME_GAP_RE
    return a.end < b.start and bool(gap_re.fullmatch(text, a.end, b.start))


def rank(reason: str) -> int:
    """Position of a reason in `REASONS` (how much was changed); alias and query come last."""
    return REASONS.index(reason) if reason in REASONS else len(REASONS)


def _worst(kinds: list[str]) -> str:
    return max(kinds, key=rank)
