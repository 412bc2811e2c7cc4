"""Bylines and credit lines: who wrote, reported, edited or photographed a story.

They are not body text, but they name people, and a press-freedom watchlist follows exactly those people.
The cleaner keeps them apart (`Article.credits`) instead of dropping them: "(Reporting by …; Editing by …)",
"X contributed to this report", "Photo: X / Agency", "Фото: …", "Fot. …", "Mitarbeit: …", and the byline.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# A credit line is short: a longer block that starts the same way is a sentence of the story.
CREDIT_MAX_WORDS = 45
BYLINE_MAX_WORDS = 16
BYLINE_MAX_CHARS = 200
# A caption that carries a photo credit is short; a longer block that mentions a photo is prose.
CAPTION_MAX_WORDS = 45
WORD = re.compile(r"\w+")

_ROLE_BY = (
    r"(?:additional |further )?(?:reporting|writing|editing|research|fact[- ]checking|translation|graphics|production"
    r"|illustrations?|photography|photos?|images?|video|pictures|compiled|translated|edited|written|produced"
    r"|reported)\s+by"
)
# Labels followed by a colon that open a credit line, per language.
_CREDIT_LABELS = (
    r"photos?|photograph|image|picture|illustration|video|editing|editor|editors|reporting|additional reporting"
    r"|photo credits?|image credits?|contributing|contributors?|sources?|credits?"
    r"|фото|фотографии|видео|иллюстрация|текст|редактор|редакторы|при участии|корректор|перевод|инфографика"
    r"|фота|здымак|ілюстрацыя|тэкст|рэдактар|пры ўдзеле|пераклад"
    r"|світлина|ілюстрація|редакторка|за участі|переклад"
    r"|fot|fotografia|zdjęcie|zdjęcia|ilustracja|wideo|redakcja|współpraca|opracowanie|tłumaczenie"
    r"|foto|fotos|bild|bilder|grafik|mitarbeit|redaktion|übersetzung|quelle"
    r"|crédit|crédits|texte|rédaction|reportaje|fuente|créditos|edição|reportagem|testo"
)
# A credit line starts with a role and "by", or a label; the name after it is checked in is_credit_line.
CREDIT_START = re.compile(
    rf"\W{{0,3}}(?:(?:{_ROLE_BY})\s+|(?:{_CREDIT_LABELS})\s*[.:]\s*"
    r"|(?:with (?:additional )?reporting (?:from|by)|при участии|пры ўдзеле|за участі|за участю)\s+)(?P<next>\S)"
    r"|\W{0,3}mit material (?:von|der|aus)\s+\S",
    re.IGNORECASE,
)
# ... or ends with "contributed to this report".
CONTRIBUTED = re.compile(
    r"\b(?:contributed (?:reporting |additional reporting )?to this (?:report|story|article)"
    r"|(?:also )?contributed reporting)\W{0,3}$",
    re.IGNORECASE,
)
# A photo credit inside a caption ("Cranes at the port. Photo: Jonas Berg / Agency").
PHOTO_CREDIT = re.compile(
    r"(?:^|(?<=[\s.(]))(?:photo(?:graph)?s?|image|picture|foto|fot|фото|фота|здымак|світлина|zdjęcie|bild)"
    r"\s*(?:[:.©]|by\b)\s*[^.()]{2,80}?(?:\)|$)",
    re.IGNORECASE,
)
# "By Name", "Von Name", "Автор: Name", "Autor: Name", ... at the start of a short block.
BYLINE = re.compile(
    r"^\s*(?:(?:(?:written|reported|posted|words|text|photos|photographs|photography|pictures)(?: and \w+)? )?by"
    r"|von|par|por|door|av|di|autor(?:ka|ki|zy)?|автор(?:ы)?|аўтар(?:ы)?|текст|тэкст|text|tekst)\b\s*:?\s+\S",
    re.IGNORECASE,
)
# "Sunday 17 August 2025 | By Maggie Thornton": a byline after the date line.
LATE_BYLINE = re.compile(r"\d[^.!?]{0,30}?[|·•,–—-]\s*(?:by|von|par|автор:?|аўтар:?|autor:?)\s+\S", re.IGNORECASE)


FIRST_WORD = re.compile(r"\W{0,3}(\w+)")


def _first_words(alternatives: str) -> set[str]:
    """The first words of a regex alternation of plain phrases ("photos?|image credits?" -> photo, photos, image)."""
    words: set[str] = set()
    for phrase in alternatives.replace("(?:", "").replace(")", "").split("|"):
        first = phrase.split()[0] if phrase.split() else ""
        if first.endswith("?"):  # "photos?": both forms
            words.update((first[:-2], first[:-1]))
        elif first:
            words.add(first)
    return words


# The words credit lines and bylines open with.
CREDIT_FIRST_WORDS = frozenset(
    _first_words(_CREDIT_LABELS)
    | {"additional", "further", "reporting", "writing", "editing", "research", "fact", "translation", "graphics",
       "production", "illustration", "illustrations", "photography", "photo", "photos", "image", "images", "video",
       "pictures", "compiled", "translated", "edited", "written", "produced", "reported", "with", "при", "пры",
       "за", "mit"}
)  # fmt: skip
BYLINE_FIRST_WORDS = frozenset(
    """
    by written reported posted words text photos photographs photography pictures von par por door av di autor
    autorka autorki autorzy автор авторы аўтар аўтары текст тэкст tekst
    """.split()  # noqa: SIM905 (a word list reads better as text)
)


def word_count(text: str) -> int:
    """Words as the rules count them."""
    return len(WORD.findall(text))


def _first_word(text: str) -> str:
    """The first word of a text, lower-cased ("" when none)."""
    found = FIRST_WORD.match(text)
    return found.group(1).lower() if found else ""


def is_credit_line(text: str) -> bool:
    """True for a whole block that is a credit line ("(Reporting by …)", "X contributed to this report")."""
    text = text.strip()
    # most blocks start with a word no credit line starts with: one set lookup spares them the regex
    found = CREDIT_START.match(text) if _first_word(text) in CREDIT_FIRST_WORDS else None
    if found is None and not ("contributed" in text.lower() and CONTRIBUTED.search(text)):
        return False
    if word_count(text) > CREDIT_MAX_WORDS:
        return False
    # "Reporting by Name", not "Reporting by hand is ...": a name, an agency or a © follows the label
    following = found.group("next") if found is not None else None
    return following is None or not following.islower()


def is_byline(text: str) -> bool:
    """True for a short block that opens with "By", "Von", "Автор:" and the like."""
    if len(text) > BYLINE_MAX_CHARS:
        return False
    early = _first_word(text) in BYLINE_FIRST_WORDS and BYLINE.match(text)
    late = any(ch.isdigit() for ch in text[:40]) and LATE_BYLINE.search(text)
    return bool(early or late) and word_count(text) <= BYLINE_MAX_WORDS


def photo_credit(text: str) -> str | None:
    """The photo credit inside a caption, or None."""
    found = PHOTO_CREDIT.search(text)
    return found.group(0).strip(" ()") if found else None


def collect_credits(texts: Sequence[str], body_start: int) -> tuple[str | None, list[str]]:
    """The byline (the first one above the body) and the credit lines among some blocks' texts, in order.

    `texts` are the blocks around the body that the body does not hold, in reading order; `body_start` is the
    position among them where the body begins.
    """
    bylines = [p for p, text in enumerate(texts) if is_byline(text)]
    # the byline above the body; else one inside or below it ("Posted by ..." at the end of a blog post)
    at = next((p for p in bylines if p < body_start), bylines[0] if bylines else None)
    byline = texts[at] if at is not None else None
    lines: list[str] = []
    for position, text in enumerate(texts):
        if position == at:
            continue
        if is_credit_line(text):
            lines.append(text)
        elif word_count(text) <= CAPTION_MAX_WORDS and (found := photo_credit(text)):
            lines.append(found)
    return byline, list(dict.fromkeys(lines))
