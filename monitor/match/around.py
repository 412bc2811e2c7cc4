"""What stands around a candidate surname in one field of an article: the words beside it, and the clues
they give.

`Field` is one field (title or text) with its words. The functions read the neighbourhood of a surname for
`monitor.match.context`: whether two words are adjacent in a name, a middle initial that contradicts the
configured one ("George H. W. Bush"), a namesake noun ("the Sakharov Prize", "ulica Wałęsy"), whether a
capital letter proves anything (the start of a sentence, a title-case headline), and the gender a Slavic
verb gives a bare surname ("Шевчук заявила").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from monitor.match.forms import Form, is_patronymic
from monitor.match.normalize import Token, Tokens, ascii_letters, inflects
from monitor.match.roles import is_named_after, is_namesake_noun, verb_gender

NAME_GAP_RE = re.compile(r"[ \t\u00a0]*(?:\r?\n)?[ \t\u00a0]*")  # within a name: spaces, one line break
_INITIAL_GAP_RE = re.compile(r"\.[ \t\u00a0]*(?:\r?\n)?[ \t\u00a0]*")
_SENTENCE_END_RE = re.compile(r"[.!?…:;\"“”«»\n]\s*[\"“”«»'‘’(\[—–-]?\s*$")
_CLAUSE_END_RE = re.compile(r"[.!?…:;,]")
_ABBREVIATION_RE = re.compile(r"\.[ \t\u00a0]*")  # "im. Václava Havla", "ul. Wałęsy"
_MAX_ABBREVIATION = 4  # letters of "вул." at most


@dataclass
class Field:
    """One field of the article being matched."""

    name: str
    text: str
    tokens: Tokens
    slavic: bool  # Latin words may carry Slavic case endings (Cyrillic words always may)
    language: str = "en"  # a wordfreq code, for telling everyday words from names

    def slavic_word(self, token: Token) -> bool:
        return inflects(token.word, self.slavic)

    def token(self, index: int) -> Token | None:
        return self.tokens.get(index)


def middle_clash(form: Form, middles: list[Token]) -> str | None:
    """The first middle initial or name that contradicts the configured middle initials, if any: "George H.
    W. Bush" is not `George W. Bush`. A name configured or written without middle initials never clashes."""
    written = [t for t in middles if not is_patronymic(t.word)]
    if not form.middles or not written:
        return None
    letters = tuple(ascii_letters(t.word)[:1] for t in written)
    if letters == form.middles:
        return None
    for token, letter in zip(written, letters, strict=True):
        if letter not in form.middles:
            return token.word
    return written[0].word


def namesake(field: Field, first: Token, last: Token, is_given: Callable[[Token], bool]) -> str | None:
    """Why the surname names a thing after a person ("the Sakharov Prize", "ulica Wałęsy", "премия имени
    Сахарова", "Kolesnikovo is a village", "the Znak publishing house"), or None."""
    if last.possessive:
        return None  # "Navalny's foundation" is his
    cursor, skipped = last, 0
    while skipped <= 2:  # after the name: "Sakharov Prize", "Sacharow-Preis", "X is a village"
        nxt = field.token(cursor.last + 1)
        if nxt is None or _CLAUSE_END_RE.search(field.text, cursor.end, nxt.start):
            break
        if is_namesake_noun(nxt.word):
            return f"named after the person: {field.text[first.start : nxt.end]!r}"
        if not is_named_after(nxt.word):
            break
        cursor, skipped = nxt, skipped + 1
    cursor, skipped = first, 0
    while skipped <= 3:  # before it: "Prix Sakharov", "premia imienia Andrieja Sacharowa", "ulicy Wałęsy"
        prev = field.token(cursor.first - 1)
        if prev is None or _CLAUSE_END_RE.search(field.text, prev.end, cursor.start) and not abbreviation(field, prev):
            break
        if is_namesake_noun(prev.word):
            return f"named after the person: {field.text[prev.start : last.end]!r}"
        if not (is_named_after(prev.word) or is_given(prev)):
            break  # only a first name stands between: "Letiště Václava Havla", "ulica Jana Pawła"
        cursor, skipped = prev, skipped + 1
    return None


def abbreviation(field: Field, token: Token) -> bool:
    """True for a short word with a full stop that names a place or stands for "named after": "im.", "ul."."""
    nxt = field.token(token.last + 1)
    end = nxt.start if nxt is not None else len(field.text)
    short = len(token.word) <= _MAX_ABBREVIATION and not token.capitalised
    return short and bool(_ABBREVIATION_RE.fullmatch(field.text, token.end, end))


def capitals_prove_nothing(field: Field, first: Token) -> bool:
    """True where any word is capitalised: at the start of a sentence, and in a headline in title case."""
    if _SENTENCE_END_RE.search(field.text, 0, first.start) or not field.text[: first.start].strip():
        return True
    return title_case(field)


def title_case(field: Field) -> bool:
    """True for a headline that capitalises most of its words ("Belarus Frees Nobel Laureate Bialiatski")."""
    if field.name != "title":
        return False
    words = field.tokens.words
    return sum(1 for w in words if w[:1].isupper()) * 2 > len(words)


def name_follows(field: Field, token: Token, is_name: Callable[[Token], bool]) -> bool:
    """True when an initial follows right after, or a word `is_name` takes for a name that is not followed by
    a patronymic, as after a first name ("Paul A. Engelmayer"; but "Бабарико Виктор Дмитриевич" is a surname
    first, and in a title-case headline "Tommy Paul Beats Zverev" proves nothing)."""
    nxt = field.token(token.last + 1)
    if nxt is None or not nxt.capitalised or not adjacent(field.text, token, nxt) or token.possessive:
        return False
    if nxt.initial:
        return True
    after = field.token(nxt.last + 1)
    if after is not None and is_patronymic(after.word) or title_case(field):
        return False
    return is_name(nxt)


def starts_clause(field: Field, first: Token) -> bool:
    """True when no lower-case word (a preposition: "с Лукашенко", "o Dudzie") stands right before."""
    prev = field.token(first.first - 1)
    return prev is None or prev.capitalised or not NAME_GAP_RE.fullmatch(field.text, prev.end, first.start)


def clause_gender(field: Field, token: Token) -> str | None:
    """The gender a Slavic past-tense verb right after a nominative surname gives it ("Шевчук заявила": "f");
    a short particle may stand between ("Шевчук уже заявила")."""
    cursor = token
    for _ in range(2):
        nxt = field.token(cursor.last + 1)
        if nxt is None or not NAME_GAP_RE.fullmatch(field.text, cursor.end, nxt.start):
            return None
        gender = verb_gender(nxt.word)
        if gender or len(nxt.word) > 3:
            return gender
        cursor = nxt
    return None


def hyphenated(text: str, a: Token, b: Token) -> bool:
    return text[a.end : b.start] in ("-", "‐", "‑")


def adjacent(text: str, a: Token, b: Token) -> bool:
    gap_re = _INITIAL_GAP_RE if a.initial else NAME_GAP_RE
    return a.end < b.start and bool(gap_re.fullmatch(text, a.end, b.start))
