"""Text → match keys: words with their offsets, a diacritics-free plain key, and a transliteration skeleton.

The skeleton is what lets "Лукашэнка", "Łukaszenka", "Loukachenko" and "Lukashenko" meet. Each word is
NFKC-normalised, casefolded and transliterated to ASCII with anyascii (Cyrillic, Polish, Czech, Lithuanian,
Łacinka, ...), then the letter groups that transliteration systems spell differently are folded together:

* the hushing sibilants ш ж щ: sh sch sz š zh ž ż shch szcz → ``x``; the affricates ч ц: ch (English) cz č
  tsch tch ts tz c ć dzh → ``c``; с з: s z ś ź → ``s`` (so "Statkevich", "Statkiewicz", "Statkewitsch"
  and "Statkevič" meet, and "Lukashenko", "Lukaschenko", "Łukaszenka", "Lukašenka" meet, while an English
  "Harris" does not become a "Horich");
* ``ch`` is ч in English, ш in French and х in Polish, Czech and German, and ``z`` is ц in German, so a
  word with ``ch`` or ``z`` gets one skeleton per reading; kh gh g h → ``h`` (Ukrainian and Belarusian
  г is h, Russian г is g);
* j y → i; x → ks; w → v; q → k; ph → f; th → t; dz → d (Belarusian дз beside Russian д);
* ``v`` after a vowel and before a consonant or the end of the word is the Belarusian ў, so it becomes
  ``u`` ("Tikhanovskaya" and "Tsikhanouskaya", "Aleksandrov" and "Aliaksandrau" meet);
* every vowel run is reduced to one of ``a`` (a, o), ``e`` (e, я ё е after a soft consonant: ia io ie),
  ``i`` (i, y, ii, iy), ``u`` (a run with u: u, ou, iu, ov before a consonant) or ``eu`` (ev, eŭ),
  keeping a final ``i`` of a diphthong (ai, ei: "Mikalai", "Kolesnikovoi"); so akanye (Belarusian a
  for Russian o) and я/е spellings meet;
* doubled letters are single, and a final "ine" loses its French mute e ("Poutine", "Iachine").

The skeleton is deliberately lossy; `monitor.match.matcher` decides what a skeleton equality means (whole words,
bounded inflection endings, first-name checks), so this module only turns text into keys.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import cached_property, lru_cache
from itertools import groupby
from typing import NamedTuple

from anyascii import anyascii

# A word: letters and digits, plus the invisible marks that can sit inside a printed word (combining
# accents in text never NFC-normalised, soft hyphens and zero-width joiners from hyphenating CMSs). An
# apostrophe stays inside a Cyrillic word (Ukrainian "Дем'ян") and splits a Latin one ("d'Alexandre");
# a Latin 's after a word is an English possessive, kept in the span but not in the word.
# One character class per run keeps the regex engine fast.
_INNER = r"[\w\u0300-\u036f\u00ad\u200b-\u200d\u2060]*"
_CYR = r"\u0400-\u052f"
_TOKEN_RE = re.compile(
    rf"([^\W_]{_INNER}(?:(?<=[{_CYR}])['’ʼ](?=[{_CYR}]){_INNER})*)(['’][sS](?![^\W_]))?"
)
_INVISIBLE_RE = re.compile(r"[\u00ad\u200b-\u200d\u2060]")
# A word broken at the end of a line: "Kales-\nnikava".
_LINE_HYPHEN_RE = re.compile(r"[-\u00ad\u2010][ \t]*\r?\n[ \t]*")
# Initials of names that start with a digraph in transliteration ("Yu. Lukashenko"); "Mr." is not one.
_DIGRAPH_INITIALS = frozenset({"yu", "ya", "ye", "yo", "ju", "ja", "je", "jo", "zh", "sh", "ch", "kh", "ts", "dz"})

# Letters and function words that English, German, French, Italian and Spanish text does not have, but
# Polish, Czech, Slovak, Lithuanian, Belarusian Łacinka and Hungarian do: only there do Latin-script names
# decline (Hungarian adds its case suffixes to the name: "Orbánt", "Orbánnal").
_SLAVIC_LATIN_RE = re.compile(r"[ąęłńśźżćřěůėųįūšžčŭďťňľĺŕőűýĄĘŁŃŚŹŻĆŘĚŮĖŲĮŪŠŽČŬĎŤŇĽĹŔŐŰÝ]")
# A word spelled with Polish or Hungarian digraphs is a name written in its own language: it may decline
# even in English text ("Gorbacsovval", "Zsirinovszkijt", "Kaczyńskiego").
_INFLECTING_WORD_RE = re.compile(r"cs|zs|sz|cz|rz", re.IGNORECASE)
_SLAVIC_WORDS = frozenset([
    "się", "jest", "oraz", "przez", "jej", "jego", "że", "był", "była", "dla", "który", "która", "które", "już",
    "też", "jako", "przy", "že", "byl", "byla", "bylo", "jsou", "také", "když", "podle", "ako", "yra", "kad",
    "buvo", "és", "hogy", "egy", "szerint", "miatt", "után", "pedig", "között", "már", "még", "csak", "lett",
    "ezt", "azt", "amely", "aki", "több",
])  # only words no Western European language has ("nie", "se", "van", "su" are German, French, Dutch, Italian)
# Small words that Slavic, Baltic and Hungarian text is full of but that Western languages have too: two of
# them, and none of the Western words below, make a text inflecting ("S Havlem se setkal", "Nováknak nem
# volt").
_WEAK_SLAVIC_WORDS = frozenset([
    "nie", "se", "je", "na", "ve", "od", "po", "ze", "sa", "su", "ir", "nem", "volt", "az", "meg", "v", "w",
    "z", "s", "jak", "ale", "pro", "do", "za", "nad", "pod", "bez",
])
_LANGUAGE_SAMPLE = 300  # words of a text enough to judge its language by its small words
_WESTERN_WORDS = frozenset([
    "the", "and", "of", "der", "die", "das", "und", "le", "la", "les", "et", "il", "che", "el", "los", "las",
    "que", "het", "een", "des", "du", "della", "with", "und",
])
# Letters that NFKD does not decompose but that are a base letter with a stroke.
_PLAIN_TABLE = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"})

# Longest first: the regex alternation takes the first alternative that matches. "\0" and "\1" mark the
# ambiguous ch and z, resolved by `skeletons_of_ascii` into one skeleton per reading.
_GROUPS = {
    "shch": "x", "szcz": "x", "tsch": "c", "dsch": "c", "dzh": "c", "sch": "x", "tch": "c",
    "sh": "x", "sz": "x", "cz": "c", "zh": "x", "ts": "c", "tz": "c", "dz": "d", "kh": "h",
    "gh": "h", "ph": "f", "th": "t", "ch": "\0", "x": "ks", "q": "k", "w": "v", "c": "c",
    "z": "\1", "g": "h", "j": "i", "y": "i",
}  # fmt: skip
_READINGS = (("c", "s"), ("x", "s"), ("h", "s"), ("c", "c"), ("x", "c"), ("h", "c"))  # ch, z
_GROUPS_RE = re.compile("|".join(sorted(_GROUPS, key=len, reverse=True)))
_NON_LETTER_RE = re.compile(r"[^a-z0-9]+")
# anyascii drops the hook of š ž ż, which would make ш and ж into с and з; dż dž are дж, not дз.
_PRE_ASCII = {"dż": "dzh", "dž": "dzh", "š": "sh", "ž": "zh", "ż": "zh"}
_PRE_ASCII_RE = re.compile("|".join(_PRE_ASCII))
# Spanish j before a vowel or r ("Jruschov", "Tijanóvskaya"), but not a final -ja of Łacinka or Polish.
_SPANISH_J_RE = re.compile(r"j(?=[aeiour])(?!.?$)")
# Hungarian: s is ш, sz is с, cs is ч, zs is ж, gy is дь, ny is нь (one pass: sz never becomes ш).
_HUNGARIAN = {"sz": "s", "cs": "tz", "zs": "zh", "s": "sh", "gy": "d", "ny": "n", "ly": "i"}
_HUNGARIAN_RE = re.compile("sz|cs|zs|gy|ny|ly|s")
_HUNGARIAN_LETTERS_RE = re.compile("cs|zs|sz")
# Dutch: oe is у, sj is ш, tsj is ч, zj is ж, dzj is дж.
_DUTCH = {"oe": "u", "dzj": "dzh", "tsj": "tch", "sj": "sh", "zj": "zh"}
_DUTCH_RE = re.compile("dzj|tsj|oe|sj|zj")
_DUTCH_LETTERS_RE = re.compile("sj|zj|oe")
_CODA_V_RE = re.compile(r"(?<=[aeiou])v(?![aeiou])")
_VOWELS_RE = re.compile(r"[aeiou]+")
_DOUBLE_RE = re.compile(r"(.)\1")
VOWELS = frozenset("aeiu")  # the vowels of a skeleton; its consonants are b c d f h k l m n p r s t v x


class Token(NamedTuple):
    """One word of a text: its span, the word as written (without invisible marks) and its shape."""

    start: int
    end: int
    word: str  # the letters as written, soft hyphens and a trailing possessive 's removed
    first: int  # index of the first word it covers (a word broken across lines covers two)
    last: int
    capitalised: bool  # starts with a capital letter, or is in a script without case
    possessive: bool = False  # English "Lukashenko's"
    initial: bool = False  # one or two letters followed by a full stop: "V." "Yu."


class Tokens:
    """The words of a text in order; `Token` objects (offsets, shape) are made only for the words asked for.

    Matching looks every word up by its string but needs the offsets and shape of only a few, so
    making them lazily keeps a long article with no watched name cheap.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        # An underscore glues a label to a name ("Photographer_Kim"): split there, keeping every offset.
        self._scan = text.replace("_", " ") if "_" in text else text
        # findall makes no match objects: half the cost of finditer, and most texts need no offsets at all.
        words = [word for word, _ in _TOKEN_RE.findall(self._scan)]
        self.words = [_INVISIBLE_RE.sub("", w) for w in words] if _INVISIBLE_RE.search(text) else words
        self._made: dict[int, Token] = {}

    @cached_property
    def _matches(self) -> list[re.Match[str]]:
        return list(_TOKEN_RE.finditer(self._scan))

    def __len__(self) -> int:
        return len(self.words)

    def __iter__(self) -> Iterator[Token]:
        return (self[i] for i in range(len(self.words)))

    def __getitem__(self, i: int) -> Token:
        token = self._made.get(i)
        if token is None:
            m, word = self._matches[i], self.words[i]
            end = m.end(1)
            initial = len(word) <= 2 and _is_initial(word) and self.text[end : end + 1] == "."
            possessive = m.group(2) is not None
            token = self._made[i] = Token(m.start(), m.end(), word, i, i, _is_capitalised(word), possessive, initial)
        return token

    def get(self, i: int) -> Token | None:
        """The i-th token, or None outside the text."""
        return self[i] if 0 <= i < len(self.words) else None

    def line_breaks(self) -> list[Token]:
        """Extra tokens for words hyphenated at a line end ("Kales-\\nnikava"), matched beside the parts."""
        if not _LINE_HYPHEN_RE.search(self._scan):
            return []
        joined = []
        for i in range(len(self.words) - 1):
            a, b = self._matches[i], self._matches[i + 1]
            if a.group(2) is None and _LINE_HYPHEN_RE.fullmatch(self._scan, a.end(), b.start()):
                first = self[i]
                joined.append(Token(first.start, b.end(), first.word + self.words[i + 1], i, i + 1, first.capitalised))
        return joined


def tokenize(text: str) -> list[Token]:
    """Split text into words with their character offsets (apostrophes, possessives, invisible marks handled)."""
    return list(Tokens(text))


def _is_initial(word: str) -> bool:
    return word[:1].isupper() and (len(word) == 1 or word.casefold() in _DIGRAPH_INITIALS)


def _is_capitalised(word: str) -> bool:
    first = word[0]
    return first.isupper() or not first.islower()  # scripts without case count as capitalised


def looks_slavic(text: str, words: list[str]) -> bool:
    """True when Latin-script text (and its `words`) shows a Slavic or Baltic language (ł ř ė, się, yra)."""
    if _SLAVIC_LATIN_RE.search(text) is not None or not _SLAVIC_WORDS.isdisjoint(words):
        return True
    folded = {w.casefold() for w in words[:_LANGUAGE_SAMPLE]}
    return len(folded & _WEAK_SLAVIC_WORDS) >= 2 and folded.isdisjoint(_WESTERN_WORDS)


def inflects(word: str, slavic_text: bool) -> bool:
    """True when the word may carry case endings: in Slavic, Baltic or Hungarian text, in Cyrillic, or a
    capitalised word spelled with Polish or Hungarian digraphs."""
    if slavic_text or "\u0400" <= word[0] <= "\u052f":
        return True
    return word[0].isupper() and _INFLECTING_WORD_RE.search(word) is not None


def is_cyrillic(word: str) -> bool:
    """True when the word starts with a Cyrillic letter."""
    return "\u0400" <= word[:1] <= "\u052f"


@lru_cache(maxsize=262_144)
def plain_key(word: str) -> str:
    """Casefold and strip diacritics, but keep the script: "Łukašenka" → "lukasenka", "Лукашэнка" stays."""
    decomposed = unicodedata.normalize("NFKD", word.casefold().translate(_PLAIN_TABLE))
    return "".join(c for c in decomposed if not unicodedata.combining(c) and c not in "'’\u00ad")


def ascii_letters(word: str) -> str:
    """The word transliterated to lower-case ASCII letters and digits (anyascii), before any folding."""
    word = _PRE_ASCII_RE.sub(lambda m: _PRE_ASCII[m.group()], unicodedata.normalize("NFKC", word).casefold())
    return _NON_LETTER_RE.sub("", anyascii(word).lower())


@lru_cache(maxsize=262_144)
def skeletons(word: str) -> tuple[str, ...]:
    """The word's transliteration skeletons: one per reading of an ambiguous ``ch`` or ``z``, and one per
    national spelling system the word may be written in (Spanish j, Hungarian s/cs/sz, Dutch oe/sj,
    scholarly x for х)."""
    letters = ascii_letters(word)
    found = dict.fromkeys(skeletons_of_ascii(letters))
    for variant in national_spellings(letters):
        found.update(dict.fromkeys(skeletons_of_ascii(variant)))
    return tuple(found)


def national_spellings(letters: str) -> list[str]:
    """The word re-spelled from the transliteration systems whose letters differ from the English one.

    Only words of text get these readings (configured names are typed in one system): Spanish writes х as
    j ("Jruschov"), scholarly transliteration as x ("Xodorkovskij"), Hungarian writes ш as s, ч as cs and с
    as sz ("Hruscsov", "Hodorkovszkij"), Dutch writes у as oe and ш as sj ("Chroesjtsjov").
    """
    out = []
    if "j" in letters and _SPANISH_J_RE.search(letters):
        out.append(_SPANISH_J_RE.sub("kh", letters))
    if letters.startswith("x"):
        out.append("kh" + letters[1:])  # only at the start: inside a word x is ks ("Alexei")
    if _HUNGARIAN_LETTERS_RE.search(letters) and "szcz" not in letters:
        out.append(_HUNGARIAN_RE.sub(lambda m: _HUNGARIAN[m.group()], letters))
    if _DUTCH_LETTERS_RE.search(letters):
        out.append(_DUTCH_RE.sub(lambda m: _DUTCH[m.group()], letters))
    return out


@lru_cache(maxsize=65_536)
def skeletons_of_ascii(letters: str) -> tuple[str, ...]:
    """Skeletons of a word already reduced by `ascii_letters` (the English/Russian reading first)."""
    # щ is shch, szcz, šč, schtsch, sjtsj or scs: a hushing sibilant and its affricate fold to one x.
    grouped = _GROUPS_RE.sub(lambda m: _GROUPS[m.group()], letters).replace("xc", "x")
    if "\0" not in grouped and "\1" not in grouped:
        return (_fold(grouped),)
    readings = {_fold(grouped.replace("\0", ch).replace("\1", z).replace("xc", "x")): None for ch, z in _READINGS}
    return tuple(readings)


def _fold(grouped: str) -> str:
    coda = _CODA_V_RE.sub("u", grouped)
    folded = _single(_VOWELS_RE.sub(_vowel_class, coda))
    # French writes a mute e after -in ("Poutine", "Iachine" for Putin, Yashin).
    return folded[:-1] if folded.endswith("ine") else folded


def _single(letters: str) -> str:
    """Doubled letters once: "kirill" → "kiril"."""
    if len(letters) < 2 or not _DOUBLE_RE.search(letters):
        return letters
    return "".join(letter for letter, _ in groupby(letters))


def _vowel_class(m: re.Match[str]) -> str:
    run = _single(m.group())
    palatal = len(run) > 1 and run[0] == "i"
    body = run[1:] if palatal else run
    # After ш ж ч щ ц the press writes ё and е as o, e, io or yo ("Khrushchev", "Chruschtschow",
    # "Chruščiov"): only i and u stay apart there.
    hushed = m.start() > 0 and m.string[m.start() - 1] in "xc" and body[0] != "i"
    if "u" in run:
        # ў after e stays apart ("Aseyev", "Andreyeu"); after a or o it is lost ("Ivanou", "Ivanov").
        return "eu" if body[0] == "e" and len(body) > 1 and not hushed else "u"
    first = body[0]
    cls = "i" if first == "i" else "a" if hushed else "e" if first == "e" or palatal else "a"
    return cls + "i" if len(body) > 1 and body[-1] == "i" else cls


def split_final_vowels(key: str) -> tuple[str, str]:
    """Split a skeleton into its stem and its final vowel run: "lukasenka" → ("lukasenk", "a")."""
    i = len(key)
    while i > 0 and key[i - 1] in VOWELS:
        i -= 1
    return key[:i], key[i:]
