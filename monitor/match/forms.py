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

from monitor.match.names import FirstNames
from monitor.match.normalize import Token, skeletons, tokenize
from monitor.match.words import WordPattern, compile_word, word_class

_PATRONYMIC_RE = re.compile(r"(?:avic|evic|ivic|icn|avn|evn|ivn)(?:a|u|am|em|im|e|i|ai|ei)?$")
MAX_PERSON_WORDS = 5


@dataclass(frozen=True)
class Form:
    """One configured spelling (term, alias, exclude or query phrase), compiled."""

    text: str
    words: tuple[WordPattern, ...]  # a person's surname parts, or every word of a phrase
    person: bool = False
    given: WordPattern | None = None  # the person's first name as configured
    given_classes: frozenset[int] = frozenset()
    initials: frozenset[str] = frozenset()

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


def compile_form(text: str, names: FirstNames, exact: bool = False, fuzzy: bool = True) -> Form:
    """Compile a term, alias, exclude or query phrase; raises FormError when it has no words."""
    tokens = tokenize(text)
    if not tokens:
        raise FormError(f"{text!r} has no word to search for")
    words = [t.word for t in tokens]
    if exact:
        return Form(text, tuple(compile_word(w, exact=True) for w in words))
    given_ids = names.lookup(words[0], inflected=False) if _could_be_person(tokens) else frozenset()
    rest = [w for i, w in enumerate(words[1:], 1) if i == len(words) - 1 or not is_patronymic(w)]
    if given_ids and rest:
        gender = names.gender(given_ids)
        surname = tuple(compile_word(w, word_class(w), gender, fuzzy=fuzzy) for w in rest)
        given = compile_word(words[0], "first", fuzzy=fuzzy)
        return Form(text, surname, True, given, given_ids, names.initials(given_ids))
    # A lone capitalised word is most often a surname or a name: give it a surname's endings.
    if len(tokens) == 1 and tokens[0].capitalised:
        return Form(text, (compile_word(words[0], word_class(words[0]), fuzzy=fuzzy),))
    return Form(text, tuple(compile_word(w, fuzzy=fuzzy) for w in words))


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


def _could_be_person(tokens: list[Token]) -> bool:
    return 2 <= len(tokens) <= MAX_PERSON_WORDS and all(t.capitalised for t in tokens)
