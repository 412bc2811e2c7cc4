"""One watched word against one word of text: exact, transliterated, inflected, or within a bounded edit.

A `WordPattern` is compiled from a configured word (a surname, a first name, a word of a phrase). It holds
the word's skeletons (`monitor.match.normalize`) and its *stems*, each with the skeletons of the inflection
endings that may follow it. The ending sets come from closed lists of the case endings of Russian,
Belarusian, Ukrainian, Polish, Czech and Lithuanian (plus German genitive -s and English -s/-ed/-ing for
words that are not names), chosen by the shape of the word:

* ``cons``: ends in a consonant ("Statkevich", "Sentsov", "Aliaksandrau"): -a -u -om -ym -owi -ius ...
* ``noun``: ends in a vowel ("Lukashenko", "Babaryka"): -a -i -y -u -e -om -ovi -ą -ę ...
* ``fem_adj``: "-ova", "-ina", "-skaya", "-ska" ("Kalesnikava"): -oy -oi -u -ej -ą ...
* ``masc_adj``: "-sky", "-ski", "-ny" ("Bialiatski", "Navalny"): -ogo -aha -iego -omu -ym ...

Endings that would turn one gender's form into the other's ("Tsikhanouskaya" → Ukrainian dative
"Тихановській" looks like the husband's "Tsikhanouski") are *weak*: they count only when a compatible
first name stands next to the surname. A woman's surname that is a consonant or -o noun ("Nadiya
Savchenko", "Yevgenia Berkovich") does not decline, so it gets no endings at all.

The tolerant comparison (`edit_allowed`) accepts, on skeletons of stems of 5+ letters, one edit (two from
10 letters) of the kinds that separate transliteration systems: a, e and i changed into one another
(akanye, я/е, ы/и: "Białacki", "Біляцький"), ``h`` added or dropped after the first letter, t~c
(Belarusian ць for Russian т), k~c (Latin c for k) and s~x (š or sz written without the hook). Any
other change ("Stankevich" for "Statkevich", a vowel added or dropped) is a different name. Only the
shortest ending the word can have is tried, and the stem's last letter must match, so an edit never
turns one case ending or gender into another. In English, German or French text vowels may not change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from monitor.match.normalize import (
    VOWELS,
    ascii_letters,
    plain_key,
    skeletons,
    skeletons_of_ascii,
    split_final_vowels,
)

# Case endings as printed (Latin or Cyrillic); they are turned into skeletons at import time.
_NOUN = """a o y i e u ie ę ą ou om em am oj oi ai oju ovi owi evi os oje а о ы і и е у ой ою ом ем ам ай
    аю ові еві ю"""
_CONS = """a u om em am ym im e ie i y ovi owi evi ewi ou os as is us ius iaus iui io s а у ом ем ам ым ім им
    е і ы ові еві ю ей"""
_FEM_ADJ = """a á ą oj oi oy ou oju oyu u uju uyu ej iej ovou ová ové ovej os ai ой ай ую аю ої ою у"""
_FEM_ADJ_WEAK = """e é i í ій ы"""  # also a masculine form of the same surname
_MASC_ADJ = """i y ii iy ij yj yi ý í ogo ego iego ého aho oho ago omu emu iemu amu ému om em ém im ym
    ím ým is io ого ому ым им ом ий ый ій ага аму ім ым ем"""
_ENGLISH = "s es ed ing er ers en n"  # for words of phrases and queries, never for names

# Consonant alternations before -e/-i in skeleton letters (Polish "Łukaszence", "Poczobucie", "Wołodze",
# "Morze"; Czech "Praze", "Maše"): the last consonant of the stem → what it may become, and the endings.
_E_I = frozenset({"e", "i"})
_ALTERNATIONS = {
    "k": (("c",), _E_I), "t": (("c",), frozenset({"e"})), "h": (("d", "s", "x"), _E_I), "r": (("rs", "rc"), _E_I),
}
# First names alternate too ("Beacie", "Agnieszce"), but not r: "García" would be a case of "Harry".
_FIRST_ALTERNATIONS = frozenset({"k", "t", "h"})
# The fleeting vowel of -ec, -ek, -el (Kravets → Kravtsa, Krawiec → Krawca, Marek → Marka, Wróbel → Wróbla).
# First names alternate too ("Beacie", "Agnieszce"), but not r: "García" would be a case of "Harry".
_FIRST_ALTERNATIONS = frozenset({"k", "t", "h"})
_FLEETING_RE = re.compile(r"(?<=[^aeiouy])(ie|io|e|o)(ts|tz|c|k|l)$")
# Czech and Slovak -ová, -ové, -ovou, -ovej after a woman's undeclined surname (after a vowel: -vá ...).
_OVA = frozenset({"ava", "ave", "avu", "avei"})
_OVA_AFTER_VOWEL = frozenset({"va", "ve", "vu", "vei"})
# Hungarian case suffixes, added to the nominative ("Orbánt", "Orbánnal": -val after a doubled consonant).
_HUNGARIAN = """t ot at et nak nek val vel al el ban ben ba be bol rol tol hoz hez ra re on en n nal nel ig
    ert e ek"""

_MIN_STEM = {"first": 3, "word": 4}  # shorter stems than this take no endings (default 3)
_DEFAULT_MIN_STEM = 3
FUZZY_MIN = 5  # skeleton letters a stem needs before one transliteration edit is allowed
FUZZY_TWO = 10  # ... and two
# a e i are the vowels transliterations disagree on (akanye, я/е, ы/и); u is stable once ou/ov are folded.
# t~c: Belarusian ць for Russian т; k~c: Latin c for k ("Victor"); s~x: š or sz written without its hook.
_CHEAP_SWAPS = frozenset(map(frozenset, ("ae", "ai", "ei", "tc", "kc", "sx")))
_CHEAP_INDELS = frozenset("h")

_MASC_ADJ_RE = re.compile(r"[^aeiouy](?:i|y|ii|iy|ij|yj|yi|yy)$|[^aeiouy]o[iyj]$")
_FEM_ADJ_RE = re.compile(r"(?:ov|ev|ow|ew|av|aw|in|yn)a$|(?:aya|aja|aia)$|(?:sk|ck|zk)a$")
_CODA_RE = re.compile(r"[aeo][uw]$")  # Belarusian -аў ("Aliaksandrau") is -ov


def _ending_skeletons(words: str) -> frozenset[str]:
    # A neutral consonant in front keeps the ending's first vowel a vowel run of its own, as after a stem.
    return frozenset(skeletons_of_ascii("b" + ascii_letters(w))[0][1:] for w in words.split())


ENDINGS = {
    "noun": _ending_skeletons(_NOUN),
    "cons": _ending_skeletons(_CONS),
    "fem_adj": _ending_skeletons(_FEM_ADJ),
    "masc_adj": _ending_skeletons(_MASC_ADJ),
}
_FEM_WEAK = _ending_skeletons(_FEM_ADJ_WEAK) - ENDINGS["fem_adj"]
ENDINGS["first"] = ENDINGS["noun"] | ENDINGS["cons"] | ENDINGS["masc_adj"]
PLAIN_ENDINGS = _ending_skeletons(_ENGLISH)
HUNGARIAN = _ending_skeletons(_HUNGARIAN) | {""}
ENDINGS["word"] = ENDINGS["first"] | ENDINGS["fem_adj"] | PLAIN_ENDINGS
_HUSHED = frozenset(skeletons_of_ascii("sh" + e)[0][1:] for e in ENDINGS["word"] | _FEM_WEAK if e)
ALL_ENDINGS = ENDINGS["word"] | _FEM_WEAK | {""} | HUNGARIAN | _OVA | _OVA_AFTER_VOWEL | _HUSHED
MAX_ENDING = max(map(len, ALL_ENDINGS))
_NO_ENDINGS: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Stem:
    """A stem skeleton and the endings that may follow it."""

    key: str
    strong: frozenset[str]
    weak: frozenset[str] = _NO_ENDINGS


@dataclass(frozen=True, slots=True)
class WordPattern:
    """A configured word compiled for comparison with words of text."""

    text: str
    plain: str
    nominatives: frozenset[str]  # skeletons of the word as configured
    stems: tuple[Stem, ...]
    fuzzy: bool  # transliteration edits allowed
    exact: bool = False  # only the plain key (case and diacritics ignored) may differ
    prefix: bool = False  # query word ending in "*": any word starting with it
    plain_stems: tuple[Stem, ...] = ()  # the stems with the endings allowed in non-Slavic text


@dataclass(frozen=True, slots=True)
class WordMatch:
    """How a word of text matched a pattern."""

    kind: str  # exact | transliteration | inflection | fuzzy
    weak: bool = False  # only with a compatible first name


def word_class(word: str) -> str:
    """The inflection class of a surname by its shape: cons, noun, fem_adj or masc_adj."""
    letters = ascii_letters(word)
    if _FEM_ADJ_RE.search(letters):
        return "fem_adj"
    if _MASC_ADJ_RE.search(letters):
        return "masc_adj"
    if not letters or letters[-1] not in "aeiouy" or _CODA_RE.search(letters):
        return "cons"
    return "noun"


def compile_word(
    text: str, klass: str = "word", gender: str | None = None, exact: bool = False, fuzzy: bool = True
) -> WordPattern:
    """Compile one configured word; `klass` picks the endings, a female `gender` limits them."""
    plain = plain_key(text)
    if exact or text.endswith("*"):
        prefix = text.endswith("*")
        return WordPattern(text, plain.rstrip("*"), frozenset(), (), False, exact=True, prefix=prefix)
    letters = ascii_letters(text)
    noms = frozenset(skeletons_of_ascii(letters))
    strong, weak = _endings_for(klass, gender, letters)
    stems: list[Stem] = []
    plain_stems: list[Stem] = []
    for key in _stem_keys(letters):
        if len(key) < _MIN_STEM.get(klass, _DEFAULT_MIN_STEM):
            continue
        # The nominative's own ending counts too, so a tolerant stem still needs the right ending.
        own = frozenset(nom[len(key) :] for nom in noms if nom.startswith(key))
        stems.append(Stem(key, _after(key, strong) | own, _after(key, weak) - own))
        if klass in ("noun", "cons") and strong - own:
            stems.extend(_alternated(key))
        elif klass == "first":
            stems.extend(_alternated(key, _FIRST_ALTERNATIONS))  # "Beacie" (Beata), "Agnieszce", "Jadwidze"
        # In English, German or French text a name only takes -s ("Lukaschenkos", "the Statkevichs").
        extra = PLAIN_ENDINGS if klass == "word" else frozenset(e + "s" for e in own)
        plain_stems.append(Stem(key, own | extra))
    if klass not in ("word", "first"):
        # Hungarian suffixes follow the nominative, whatever the gender: "Orbánt", "Hruscsovval", "Novákot".
        stems.extend(Stem(nom, _after(nom, HUNGARIAN)) for nom in noms)
        if not plain_stems:  # a stem too short for endings ("Abe", "Xi") still takes the -s of "Abes Tod"
            plain_stems.extend(Stem(nom, frozenset({"", "s"})) for nom in noms)
    if klass == "cons" and strong and (bare := _FLEETING_RE.sub(r"\2", letters)) != letters:
        # The fleeting vowel of -ec, -ek, -el: "Kravets" → "Кравца", "Krawcem"; "Marek" → "Marka".
        stems.extend(Stem(key, _after(key, strong - {""})) for key in _stem_keys(bare))
    if gender == "f" and klass in ("cons", "noun") and not strong:
        # Czech and Slovak add -ová to a woman's surname that does not decline: "Savčenková", "Berkovičová".
        stems.extend(Stem(nom, _after(nom, _OVA_AFTER_VOWEL if nom[-1] in VOWELS else _OVA)) for nom in noms)
    long_enough = max(map(len, noms), default=0) >= FUZZY_MIN
    return WordPattern(text, plain, noms, tuple(stems), fuzzy and long_enough, plain_stems=tuple(plain_stems))


def _after(key: str, endings: frozenset[str]) -> frozenset[str]:
    """Endings as they fold after this stem: after ш ж ч щ ц an e is written o as often (see normalize)."""
    if not key or key[-1] not in "xc" or not endings:
        return endings
    return _hushed(endings)


@lru_cache(maxsize=1024)
def _hushed(endings: frozenset[str]) -> frozenset[str]:
    return frozenset(skeletons_of_ascii("sh" + e)[0][1:] if e else e for e in endings)


def _alternated(key: str, alternations: frozenset[str] = frozenset(_ALTERNATIONS)) -> list[Stem]:
    """Stems with the consonant that Polish, Czech and Slovak write before the -e/-i of a dative or
    locative: "Babaryce" (k→c), "Poczobucie" (t→ć), "Wołodze" (g→dz), "Praze" (h→z), "Masze" (ch→sz),
    "Morze" (r→rz). The d, s, n, ł changes ("Dudzie", "Wałęsie") keep their skeleton and need no stem."""
    out = []
    for old, (new, endings) in _ALTERNATIONS.items():
        if old in alternations and key.endswith(old):
            for replacement in new:
                alt = key[: len(key) - len(old)] + replacement
                out.append(Stem(alt, _after(alt, endings)))
    return out


def _endings_for(klass: str, gender: str | None, letters: str) -> tuple[frozenset[str], frozenset[str]]:
    if klass == "fem_adj":
        return ENDINGS["fem_adj"], _FEM_WEAK
    if gender == "f" and klass == "cons" or gender == "f" and klass == "noun" and letters.endswith("o"):
        return _NO_ENDINGS, _NO_ENDINGS  # "Savchenko", "Berkovich" do not decline for a woman
    return ENDINGS[klass], _NO_ENDINGS


def _stem_keys(letters: str) -> list[str]:
    """Stem skeletons: consonant-final words keep their last consonant ("Sentsov" → "sensav")."""
    if _CODA_RE.search(letters):
        letters = letters[:-1] + "v"
    if letters and letters[-1] not in "aeiouy":
        # Judge the last consonant as if an ending followed, so -ov stays -ov and not the ў of -ou.
        return [key[:-1] for key in skeletons_of_ascii(letters + "a") if key.endswith("a")]
    return [split_final_vowels(key)[0] for key in skeletons_of_ascii(letters)]


def compare(pattern: WordPattern, word: str, fuzzy: bool, slavic: bool = True) -> WordMatch | None:
    """How `word` (as written in the text) matches `pattern`, or None.

    `fuzzy` allows transliteration edits; `slavic` allows the case endings of Slavic and Baltic languages
    (otherwise only -s and, for words that are not names, English endings).
    """
    return compare_keys(pattern, plain_key(word), skeletons(word), fuzzy, slavic)


def compare_keys(
    pattern: WordPattern, plain: str, keys: tuple[str, ...], fuzzy: bool, slavic: bool
) -> WordMatch | None:
    """`compare` for a word whose plain key and skeletons are already known."""
    if pattern.exact:
        ok = plain.startswith(pattern.plain) if pattern.prefix else plain == pattern.plain
        return WordMatch("exact") if ok else None
    if plain == pattern.plain:
        return WordMatch("exact")
    if not pattern.nominatives.isdisjoint(keys):
        return WordMatch("transliteration")
    stems = pattern.stems if slavic else pattern.plain_stems
    weak = None
    for key in keys:
        for stem in stems:
            if key.startswith(stem.key):
                ending = key[len(stem.key) :]
                if ending in stem.strong:
                    return WordMatch("inflection")
                if ending in stem.weak:
                    weak = WordMatch("inflection", weak=True)
    if weak or not (fuzzy and pattern.fuzzy):
        return weak
    return _fuzzy_compare(stems, keys, vowels=slavic)


def _fuzzy_compare(stems: tuple[Stem, ...], keys: tuple[str, ...], vowels: bool) -> WordMatch | None:
    """Edits are allowed in the stem only: a changed ending is a changed case or gender, not a spelling.

    Only the shortest ending the word can have is tried, and a word ending in a consonant is taken to
    have none: "Butkevych" is not "Butkov" + Lithuanian "-is".
    """
    weak = None
    for key in keys:
        for stem in stems:
            for cut in range(len(key), max(0, len(key) - MAX_ENDING) - 1, -1):
                ending = key[cut:]
                # Stems end in a consonant. A word ending in one is read as having no ending at all.
                if (not ending or ending in stem.strong or ending in stem.weak) and key[cut - 1 : cut] not in VOWELS:
                    break
            else:
                continue
            if ending not in stem.strong and ending not in stem.weak:
                continue
            found = key[:cut]
            # The stem's last consonant must stay: changing it would change the ending.
            if found and found[-1] == stem.key[-1] and edit_allowed(found, stem.key, vowels):
                if ending in stem.strong:
                    return WordMatch("fuzzy")
                weak = WordMatch("fuzzy", weak=True)
    return weak


def edit_allowed(found: str, wanted: str, vowels: bool = True) -> bool:
    """True when `found` is within the transliteration edits allowed for `wanted` (see module docstring).

    `vowels=False` refuses vowel changes: English, German or French text spells a Slavic name in one of
    the usual transliterations, which the skeleton already folds, and a vowel changed there is more often
    another word ("British" for "Bratich") than another spelling.
    """
    limit = 2 if len(wanted) >= FUZZY_TWO else 1 if len(wanted) >= FUZZY_MIN else 0
    if limit == 0 or abs(len(found) - len(wanted)) > limit:
        return False
    if Levenshtein.distance(found, wanted, score_cutoff=limit) > limit:
        return False
    for op in Levenshtein.editops(wanted, found):
        if op.tag == "replace":
            pair = frozenset((wanted[op.src_pos], found[op.dest_pos]))
            if pair not in _CHEAP_SWAPS or not vowels and pair <= VOWELS:
                return False
        elif op.src_pos == 0 or (wanted[op.src_pos] if op.tag == "delete" else found[op.dest_pos]) not in _CHEAP_INDELS:
            return False  # nothing added or dropped before the first letter
    return True


def coarse_key(key: str) -> str:
    """What two skeletons within `edit_allowed` reach share: no vowels, no h, t and k as c, x as s."""
    return key.translate(_COARSE)


_COARSE = str.maketrans({"a": None, "e": None, "i": None, "u": None, "h": None, "t": "c", "k": "c", "x": "s"})
