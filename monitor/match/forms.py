"""Configured text → a `Form`: a person's name (first name + surname) or a phrase, ready for matching.

A term is read as a *person* when it has two to five capitalised words and its first word is a first name
that `monitor.match.names` knows ("Maria Kalesnikava", "Vladimir Kara-Murza", "Alexander Grigoryevich
Lukashenko": the patronymic is dropped). A person is found by the surname, alone or with a compatible first
name or initial. Anything else is a *phrase*: every word in order, each with its own tolerance
("Viasna", "political prisoners", "Belarusian Association of Journalists"). `exact = true` turns every
tolerance off except case and diacritics.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from monitor.match.lexicon import WORDY_LAST_ZIPF, is_common, wordiness
from monitor.match.names import FirstNames
from monitor.match.normalize import Token, ascii_letters, skeletons, tokenize
from monitor.match.words import WordPattern, compile_word, word_class

_PATRONYMIC_RE = re.compile(r"(?:avic|evic|ivic|icn|avn|evn|ivn)(?:a|u|am|em|im|e|i|ai|ei)?$")
MAX_PERSON_WORDS = 5
_HYPHEN_RE = re.compile(r"[-‐‑]")
_SUFFIX_RE = re.compile(r"(?:Jr|Sr|II|III|IV)", re.IGNORECASE)
# Lower-case words inside a person's name: "Ursula von der Leyen", "Lula da Silva", "bin Salman".
_PARTICLE_WORDS = "von van der den de da di del della dos das du le la bin ibn al el ter ten zu y"
_PARTICLES = frozenset(_PARTICLE_WORDS.split())
# A term whose unknown first word is an everyday word here is an organisation ("Radio Liberty", "Gazeta
# Wyborcza"); Spanish and French are left out, where "Frances" is the plural of an adjective.
_FIRST_WORD_LANGUAGES = ("en", "de", "pl", "ru")
_SHORT_GIVEN = 7  # letters in each word of an East Asian given name ("Jinping", "Jae-in", "Xuan Phuc")


@dataclass(frozen=True)
class Form:
    """One configured spelling (term, alias, exclude or query phrase), compiled."""

    text: str
    words: tuple[WordPattern, ...]  # a person's surname parts, or every word of a phrase
    person: bool = False
    given: WordPattern | None = None  # the person's first name as configured (hyphenated parts joined)
    given_classes: frozenset[int] = frozenset()
    initials: frozenset[str] = frozenset()
    middles: tuple[str, ...] = ()  # middle initials as configured: ("w",) for "George W. Bush"
    family_first: bool = False  # a family name written first: "Moon Jae-in", "Orbán Viktor"
    gender: str | None = None
    name: bool = False  # a lone capitalised word ("Lukashenko", "Beyoncé"): read like a surname

    @property
    def anchor(self) -> WordPattern:
        """The word the index looks up; the words before it are checked around each candidate."""
        return self.words[-1]


class FormError(ValueError):
    """Configured text that has no word to search for."""


def is_patronymic(word: str) -> bool:
    """True for "Grigoryevich", "Aleksandrovna", "Дмітрыевіча" (by shape, so also some surnames)."""
    key = skeletons(word)[0]
    return len(key) >= 6 and bool(_PATRONYMIC_RE.search(key))


def patronymic_gender(word: str) -> str:
    """"f" for "Aleksandrovna", "Viktaraŭna"; "m" for "Grigoryevich"."""
    return "f" if re.search(r"n(?:a|e|i|u|ai|ei)?$", skeletons(word)[0]) else "m"


@dataclass(frozen=True)
class _Parts:
    """A person's name split into its parts, as written in the term."""

    given: list[str]
    middles: list[str]  # middle initials ("W") as configured; middle names are optional and not kept
    surname: list[str]
    family_first: bool
    exact: bool = False  # an East Asian family name: only as written ("Lee" is not "Le", "Li" or "Yi")


def compile_form(text: str, names: FirstNames, exact: bool = False, fuzzy: bool = True) -> Form:
    """Compile a term, alias, exclude or query phrase; raises FormError when it has no words."""
    tokens = tokenize(text)
    if not tokens:
        raise FormError(f"{text!r} has no word to search for")
    words = [t.word for t in tokens]
    if exact:
        return Form(text, tuple(compile_word(w, exact=True) for w in words))
    parts = person_parts(text, tokens, names)
    if parts is not None:
        given_word = "".join(parts.given)
        given_ids = names.lookup(given_word, inflected=False) if len(parts.given) == 1 else frozenset()
        gender = names.gender(given_ids)
        surname = tuple(compile_word(w, word_class(w), gender, exact=parts.exact, fuzzy=fuzzy) for w in parts.surname)
        # An East Asian given name is compared as written, hyphens and spaces aside: "Jong" is not "Yong".
        given = compile_word(given_word, "first", exact=parts.exact, fuzzy=fuzzy)
        own = {ascii_letters(given_word)[:n] for n in (1, 2)}
        initials = names.initials(given_ids) | own
        middles = tuple(ascii_letters(m)[:1] for m in parts.middles)
        return Form(text, surname, True, given, given_ids, frozenset(initials), middles, parts.family_first, gender)
    # A lone capitalised word is most often a surname or a name: give it a surname's endings.
    if len(tokens) == 1 and tokens[0].capitalised:
        return Form(text, (compile_word(words[0], word_class(words[0]), fuzzy=fuzzy),), name=True)
    return Form(text, tuple(compile_word(w, fuzzy=fuzzy) for w in words))


def person_parts(text: str, tokens: list[Token], names: FirstNames) -> _Parts | None:
    """Given name, middle initials and surname of a term that names a person, or None for a phrase.

    A person is two to five capitalised words (particles such as "von der" aside) that start with a known
    first name ("Maria Kalesnikava", "John F. Kennedy"), start with an East Asian family name followed by
    a short given name ("Moon Jae-in", "Xi Jinping"), end with a known first name ("Orbán Viktor", "Kishida
    Fumio"), or are unknown names that are not everyday words ("Keir Starmer", but not "Amnesty
    International"). Patronymics and middle names are dropped; middle initials are kept.
    """
    groups = _name_groups(text, tokens)
    while groups and len(groups) > 2 and _SUFFIX_RE.fullmatch(groups[-1][0]):
        groups.pop()  # "Jr.", "III"
    if not 2 <= len(groups) <= MAX_PERSON_WORDS or not groups[0][0][:1].isupper():
        return None
    if not all(g[0][:1].isupper() or g[0].casefold() in _PARTICLES for g in groups):
        return None
    first, last = groups[0], groups[-1]
    first_known = bool(names.lookup(first[0], inflected=False))  # "Frank-Walter": its first part
    if first_known:
        return _western(groups)
    short_given = all(len(w) <= _SHORT_GIVEN for g in groups[1:] for w in g) and len(groups) <= 3
    # "Do Kwon" writes a Korean name in Western order: when the given name could be a family name too,
    # `other_reading` adds the other order.
    if len(first) == 1 and names.family_first(first[0]) and short_given:
        return _Parts([w for g in groups[1:] for w in g], [], first, True, exact=True)
    if len(last) == 1 and names.lookup(last[0], inflected=False) and len(groups) == 2:
        return _Parts(last, [], first, True)
    if any(is_common(first[0], lang) for lang in _FIRST_WORD_LANGUAGES) or wordiness(last[-1]) >= WORDY_LAST_ZIPF:
        return None  # "Radio Liberty", "Amnesty International", "Human Rights Watch"
    if any(len(g) == 1 and g[0][:1].islower() and g[0].casefold() not in _PARTICLES for g in groups):
        return None
    return _western(groups)


def other_reading(text: str, names: FirstNames) -> str | None:
    """The term in the other order when both its words can be East Asian family names ("Do Kwon" is Kwon's
    given name first; "Wang Yi" is Wang's family name first): the matcher watches both readings."""
    tokens = tokenize(text)
    groups = _name_groups(text, tokens)
    if len(groups) != 2 or any(len(g) != 1 for g in groups):
        return None
    first, last = groups[0][0], groups[1][0]
    if names.family_first(first) and names.family_first(last) and not names.lookup(first, inflected=False):
        return f"{last} {first}"
    return None


def _western(groups: list[list[str]]) -> _Parts:
    """Given name first: middle initials kept, middle names and patronymics dropped, particles kept with
    the surname ("Ursula von der Leyen")."""
    surname = list(groups[-1])
    i = len(groups) - 2
    while i > 0 and groups[i][0].casefold() in _PARTICLES:
        surname = groups[i] + surname
        i -= 1
    middles = [g[0] for g in groups[1 : i + 1] if len(g) == 1 and len(g[0]) == 1 and g[0].isupper()]
    return _Parts(groups[0], middles, surname, False)


def _name_groups(text: str, tokens: list[Token]) -> list[list[str]]:
    """The term's words, with hyphenated parts kept together: "Moon Jae-in" → [["Moon"], ["Jae", "in"]]."""
    groups: list[list[str]] = []
    for i, token in enumerate(tokens):
        if i and _HYPHEN_RE.fullmatch(text, tokens[i - 1].end, token.start):
            groups[-1].append(token.word)
        elif not (i and is_patronymic(token.word) and i < len(tokens) - 1):
            groups.append([token.word])
    return groups


def compile_query_leaf(text: str) -> Form:
    """A query word or phrase: tolerant like a phrase term but without fuzzy edits; "sanction*" is a prefix."""
    tokens = tokenize(text)
    if not tokens:
        raise FormError(f"{text!r} has no word to search for")
    words = []
    for t in tokens:
        prefix = text[t.end : t.end + 1] == "*"
        klass = word_class(t.word) if len(tokens) == 1 and t.capitalised else "word"
        words.append(compile_word(t.word + "*", exact=True) if prefix else compile_word(t.word, klass, fuzzy=False))
    return Form(text, tuple(words))


