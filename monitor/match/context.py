"""The context of a candidate name: is this "Babaryka" the watched Viktar, his son Eduard, or no one?

`NameContext` checks what stands around a word that matched a surname (or the last word of a phrase):
the earlier parts of a double surname, a first name or initials before it (skipping middle names, middle
initials and a patronymic, and comparing middle initials with the configured ones), a first name after it
(surname-first order, as in court papers and East Asian or Hungarian names), a title or role, a namesake
noun ("the Sakharov Prize"), and case. Each check returns an `Occurrence` (with how the person was named,
for `monitor.match.coreference`), an `OtherPerson` (the same surname with another person's first name:
"Hunter Biden"), or a short reason for refusing, which `Matcher.explain` shows to the user.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from monitor.match.around import (
    NAME_GAP_RE,
    Field,
    adjacent,
    capitals_prove_nothing,
    clause_gender,
    hyphenated,
    middle_clash,
    name_follows,
    namesake,
    starts_clause,
    title_case,
)
from monitor.match.forms import Form, is_patronymic, patronymic_gender
from monitor.match.lexicon import RARE_ZIPF, is_common, wordiness
from monitor.match.names import FirstNames
from monitor.match.normalize import Token, ascii_letters
from monitor.match.query import Span
from monitor.match.roles import is_title
from monitor.match.words import WordMatch, compare

REASONS = ("exact", "transliteration", "inflection", "fuzzy")  # in order of how much was changed
# "Kara-Murza", "Kara Murza", and "Rimsky-" at a line end before "Korsakov".
_SURNAME_GAP_RE = re.compile(r"[ \t\u00a0]*[-‐‑–][ \t\u00a0]*(?:\r?\n[ \t\u00a0]*)?|[ \t\u00a0]+")
_JOIN_GAP_RE = re.compile(r"[-‐‑]|[ \t\u00a0]+")  # inside a given name: "Jae-in", "Jae In"
_MAX_MIDDLES = 3  # words between a first name and the surname: "George Herbert Walker Bush"
_DEMONYM_RE = re.compile(r"(?:ian|ean|ese|ish|ic|ern|ain)$")  # adjectives of peoples and places
_MAX_UNKNOWN_GIVEN = 8  # letters: "Zinzi", "Coretta", "Lisbeth", but not "Bürgerrechtlerin"
_GIVEN_PARTS = 3  # words of a given name: "Nguyen Xuan Phuc", "Kim Jong Un"
_PHRASE_GAP_RE = re.compile(r"[\s\-‐‑–'’\"“”„«»]{1,3}")
# "Viktar and Eduard Babaryka": a first name joined to the next one names the same surname.
_CONJUNCTIONS = frozenset(["and", "und", "et", "y", "e", "i", "и", "і", "й", "та", "a", "oraz", "ir", "ja"])
_GIVEN_CACHE_SIZE = 100_000
OTHER = "other"  # `_judge_given`: a first name, but another person's


FULL, TITLE, BARE = "full", "title", "bare"  # how a person was named: with a first name or initial, a title


class Occurrence(NamedTuple):
    """A confirmed occurrence of a form: where, the largest change it needed, and how the person was named."""

    span: Span
    reason: str
    named: str = FULL  # FULL, TITLE or BARE (phrases are FULL)
    gender: str | None = None  # of a bare surname: what a verb in its clause says ("Шевчук заявила")
    common: bool = False  # a bare surname that is an everyday word where capitals prove nothing


class OtherPerson(NamedTuple):
    """The surname with another person's first name or middle initial: "Hunter Biden" for `Joe Biden`."""

    span: Span  # the whole name
    name: str  # as written
    gender: str | None
    why: str
    surname: Span  # the surname's words alone, what `Matcher.explain` shows


class NameContext:
    """Context checks around candidates, with a cache of first-name lookups."""

    def __init__(self, names: FirstNames) -> None:
        self._names = names
        self._given_cache: dict[str, frozenset[int]] = {}

    def __getstate__(self) -> dict[str, object]:
        return {"_names": self._names, "_given_cache": {}}

    def check(self, form: Form, field: Field, token: Token, match: WordMatch) -> Occurrence | OtherPerson | str:
        """The occurrence of `form` whose last word is `token`, another person's, or why it does not count."""
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
        if form.name and not token.capitalised and match.kind != "exact":
            return "a lower-case word in another spelling: a name counts so only when written exactly"
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

    def _check_person(self, form: Form, field: Field, token: Token, match: WordMatch) -> Occurrence | OtherPerson | str:
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
        named_after = namesake(field, first, token, lambda t: t.initial or bool(self._given_classes(t.word)))
        if named_after:
            return named_after
        if not form.family_first and self._given_classes(token.word) and name_follows(field, token, self._namelike):
            return "a first name here, before another name"  # "Judge Paul A. Engelmayer" for `Tommy Paul`
        given = self._given_context(form, field, first, token, lower, nominative=match.kind in REASONS[:2])
        if isinstance(given, OtherPerson | str):
            return given
        if given is None and lower:
            return "a lower-case word: it counts only with the person's first name before it"
        if given is None and match.weak:
            return "this form of the surname is also another gender's: it needs the first name next to it"
        start, end = first.start, token.end
        if given is not None:
            given_first, given_last, kind = given
            kinds.append(kind)
            start, end = min(start, given_first.start), max(end, given_last.end)
            span = Span(field.name, first.first, token.last, start, end)
            return Occurrence(span, _worst(kinds))
        span = Span(field.name, first.first, token.last, start, end)
        before = field.token(first.first - 1)
        if before is not None and is_title(before.word) and NAME_GAP_RE.fullmatch(field.text, before.end, first.start):
            return Occurrence(span, _worst(kinds), TITLE)
        common = capitals_prove_nothing(field, first) and is_common(token.word, field.language)
        subject = field.slavic_word(token) and match.kind in REASONS[:2] and starts_clause(field, first)
        return Occurrence(span, _worst(kinds), BARE, clause_gender(field, token) if subject else None, common)

    def _given_context(
        self, form: Form, field: Field, first: Token, last: Token, lower: bool = False, nominative: bool = True
    ) -> tuple[Token, Token, str] | OtherPerson | str | None:
        """The compatible first name next to a surname (its first and last token, how it matched); another
        person, if it is another's; None if there is none."""
        if lower:  # "maria kalesnikava": only the exact first name, in the same case, before it
            prev = field.token(first.first - 1)
            if prev is not None and form.given is not None and adjacent(field.text, prev, first):
                m = compare(form.given, prev.word, fuzzy=False)
                if m is not None and m.kind == "exact":
                    return prev, prev, "exact"
            return None
        run = self._names_before(field, first)
        other: Token | None = None
        chosen: tuple[int, Token, Token, str] | None = None
        for depth, token in enumerate(run):
            joined = self._joined_before(field, token, run[depth + 1 :])
            verdict = self._judge_given(form, joined[0], joined[1])
            if not isinstance(verdict, tuple) and joined[0] is not token:
                joined = (token, token)  # "Frank Walter Steinmeier" is tried as "FrankWalter", then "Walter"
                verdict = self._judge_given(form, token, token)
            if isinstance(verdict, tuple):
                # A first name written out beats an initial nearer the surname: in "George H. W. Bush" the
                # "H." is a middle initial, not George's.
                if chosen is None or chosen[1].initial and not joined[0].initial:
                    chosen = (depth, joined[0], token, verdict[1])
            elif other is None and verdict == OTHER:
                other = token
            elif other is None and nominative:
                following = run[depth - 1] if depth else first
                other = token if self._unknown_given(form, field, token, following) else None
        if chosen is not None:  # the words between are middle names, initials, a patronymic
            depth, given_first, given_last, kind = chosen
            clash = middle_clash(form, run[:depth])
            if clash:
                return self._other(field, given_first, last, (first, last), f"another middle initial: {clash!r}")
            return given_first, given_last, kind
        if other is not None:
            if other is run[0] and self._shared_surname(form, field, other):
                return None  # "Viktar and Eduard Babaryka": the surname belongs to both
            return self._other(field, other, last, (first, last), f"another person's first name: {other.word!r}")
        return self._given_after(form, field, first, last)

    def _given_after(
        self, form: Form, field: Field, first: Token, last: Token
    ) -> tuple[Token, Token, str] | OtherPerson | None:
        """A first name after the surname: court papers ("Бабарико Виктор"), East Asian and Hungarian order."""
        after = field.token(last.last + 1)
        if after is None or not NAME_GAP_RE.fullmatch(field.text, last.end, after.start):
            return None
        parts = [after]
        while len(parts) < _GIVEN_PARTS:
            nxt = field.token(parts[-1].last + 1)
            if nxt is None or not _JOIN_GAP_RE.fullmatch(field.text, parts[-1].end, nxt.start):
                break
            if not nxt.capitalised and field.text[parts[-1].end : nxt.start] not in "-‐‑":
                break
            parts.append(nxt)
        if form.given is not None and after.capitalised:
            for n in range(len(parts), 0, -1):
                word = "".join(p.word for p in parts[:n])
                m = compare(form.given, word, fuzzy=not self._given_classes(word))
                if m is not None and (n > 1 or m.kind in REASONS or self._given_classes(word) & form.given_classes):
                    return after, parts[n - 1], m.kind
        verdict = self._judge_given(form, after, after)
        if verdict == OTHER and form.family_first:
            end = parts[-1]
            why = f"another given name after the family name: {after.word!r}"
            return self._other(field, first, end, (first, last), why)
        if verdict == OTHER:
            # "Бабарико Эдуард Викторович" (surname first, as in court papers) is another person, but in
            # "жена Статкевича Марина Адамович" the name after the surname starts the next person's name.
            # Only the first has the other name's own patronymic after it.
            patronymic = field.token(after.last + 1)
            if patronymic is None or not adjacent(field.text, after, patronymic):
                return None
            gender = self._names.gender(self._given_classes(after.word))
            if not is_patronymic(patronymic.word) or gender not in (None, patronymic_gender(patronymic.word)):
                return None
            why = f"another person's first name after it: {after.word!r}"
            return self._other(field, first, patronymic, (first, last), why)
        if isinstance(verdict, tuple):
            return after, after, verdict[1]
        if form.family_first and after.capitalised and (len(parts) > 1 or self._given_classes(after.word)):
            end = parts[-1]
            why = f"another given name after the family name: {after.word!r}"
            return self._other(field, first, end, (first, last), why)
        return None

    def _namelike(self, token: Token) -> bool:
        """A known first name, or a rare word: what may be the next part of a name."""
        return bool(self._given_classes(token.word)) or wordiness(token.word) < RARE_ZIPF

    def _unknown_given(self, form: Form, field: Field, token: Token, following: Token) -> bool:
        """True for a rare capitalised word right before the surname that the first-name table does not know
        and that does not start like the watched first name: another person's first name ("Zinzi Mandela");
        never the first part of a compound ("Belsat-Journalistin Kalesnikava")."""
        if hyphenated(field.text, token, following):
            return False
        if token.initial or token.word.isupper() or is_title(token.word) or title_case(field):
            return False  # an initial, a word of an all-capitals or title-case headline, a title
        if len(token.word) > _MAX_UNKNOWN_GIVEN or field.language == "de":
            return False  # German capitalises its nouns: "Kremlkritiker Nawalny", "Machthaber Lukaschenko"
        if _DEMONYM_RE.search(token.word):
            return False  # "Belarusian Kalesnikava", "Crimean Dzhelyal"
        if ascii_letters(token.word)[:1] in form.initials:
            return False  # perhaps a spelling of the watched first name that the table does not know
        return not self._given_classes(token.word) and wordiness(token.word) < RARE_ZIPF

    def _other(self, field: Field, start: Token, end: Token, surname: tuple[Token, Token], why: str) -> OtherPerson:
        """Another person with this surname (from `surname[0]` to `surname[1]`), named in full from `start`
        to `end`."""
        span = Span(field.name, start.first, end.last, start.start, end.end)
        name = field.text[start.start : end.end]
        classes = frozenset().union(*(self._given_classes(w) for w in name.split()[:1]))
        gender = self._names.gender(classes) if classes else None
        first, last = surname
        return OtherPerson(span, " ".join(name.split()), gender, why,
                           Span(field.name, first.first, last.last, first.start, last.end))  # fmt: skip

    def _shared_surname(self, form: Form, field: Field, before: Token) -> bool:
        """True for "Viktar and Eduard Babaryka": the watched first name, a conjunction, another first name."""
        conj = field.token(before.first - 1)
        if conj and conj.word.casefold() in _CONJUNCTIONS and adjacent(field.text, conj, before):
            other = field.token(conj.first - 1)
            again = self._judge_given(form, other, other) if other and adjacent(field.text, other, conj) else None
            return isinstance(again, tuple)
        return False

    def _names_before(self, field: Field, first: Token) -> list[Token]:
        """The capitalised words and initials right before a surname, nearest first (at most a first name
        and three middle names, initials or a patronymic)."""
        run: list[Token] = []
        cursor = first
        while len(run) <= _MAX_MIDDLES:
            prev = field.token(cursor.first - 1)
            if prev is None or not adjacent(field.text, prev, cursor) and not hyphenated(field.text, prev, cursor):
                break
            if not prev.capitalised and not hyphenated(field.text, prev, cursor):
                break  # "Jae-in": a lower-case part only after a hyphen
            run.append(prev)
            cursor = prev
        return run

    @staticmethod
    def _joined_before(field: Field, token: Token, further: list[Token]) -> tuple[Token, Token]:
        """A given name of two words before a surname ("Jae-in Moon", "Frank Walter") as its first and last
        token; the word alone if there is none."""
        if not further or token.initial or further[0].initial:
            return token, token
        if hyphenated(field.text, further[0], token) or adjacent(field.text, further[0], token):
            return further[0], token
        return token, token

    def _judge_given(
        self, form: Form, token: Token | None, last: Token | None = None
    ) -> tuple[Token, str] | str | None:
        """(token, how) if `token` (to `last`, for "Jae-in") is the person's first name or initial; OTHER if
        another person's; else None."""
        if token is None or not token.capitalised:
            return None
        if token.initial:
            return (token, "transliteration") if ascii_letters(token.word) in form.initials else OTHER
        if form.given is None:  # a person form always has one; nothing to compare otherwise
            return None
        word = token.word if last is None or last is token else token.word + last.word
        classes = self._given_classes(word)
        m = compare(form.given, word, fuzzy=not classes)
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


def rank(reason: str) -> int:
    """Position of a reason in `REASONS` (how much was changed); alias and query come last."""
    return REASONS.index(reason) if reason in REASONS else len(REASONS)


def _worst(kinds: list[str]) -> str:
    return max(kinds, key=rank)
