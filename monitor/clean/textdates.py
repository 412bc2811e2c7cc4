"""Dates written in the page's text: "27.1.2022", "2. November 2021", "3 декабря 2025", "3 grudnia 2025".

Pages without date metadata still print their date, usually next to the byline. These are read as the page
writes them, without a time zone; a date alone becomes midnight UTC, so that its calendar day stays the page's.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

MONTH_NAMES: dict[int, tuple[str, ...]] = {
    1: ("jan", "january", "januar", "jänner", "janvier", "enero", "janeiro", "gennaio", "stycznia", "styczeń",
        "января", "январь", "студзеня", "студзень", "січня", "січень", "sty"),
    2: ("feb", "february", "februar", "février", "fevrier", "febrero", "fevereiro", "febbraio", "lutego", "luty",
        "февраля", "февраль", "лютага", "люты", "лютого", "лютий", "lut"),
    3: ("mar", "march", "märz", "maerz", "mär", "mars", "marzo", "março", "marca", "marzec", "марта", "март",
        "сакавіка", "сакавік", "березня", "березень"),
    4: ("apr", "april", "avril", "abril", "aprile", "kwietnia", "kwiecień", "апреля", "апрель", "красавіка",
        "красавік", "квітня", "квітень", "kwi"),
    5: ("may", "mai", "mayo", "maio", "maggio", "maja", "maj", "мая", "май", "траўня", "травень", "травня",
        "мая"),
    6: ("jun", "june", "juni", "juin", "junio", "junho", "giugno", "czerwca", "czerwiec", "июня", "июнь",
        "чэрвеня", "чэрвень", "червня", "червень", "cze"),
    7: ("jul", "july", "juli", "juillet", "julio", "julho", "luglio", "lipca", "lipiec", "июля", "июль",
        "ліпеня", "ліпень", "липня", "липень", "lip"),
    8: ("aug", "august", "août", "aout", "agosto", "sierpnia", "sierpień", "августа", "август", "жніўня",
        "жнівень", "серпня", "серпень", "sie"),
    9: ("sep", "sept", "september", "septembre", "septiembre", "setiembre", "setembro", "settembre", "września",
        "wrzesień", "сентября", "сентябрь", "верасня", "верасень", "вересня", "вересень", "wrz"),
    10: ("oct", "october", "oktober", "okt", "octobre", "octubre", "outubro", "ottobre", "października",
         "październik", "октября", "октябрь", "кастрычніка", "кастрычнік", "жовтня", "жовтень", "paź"),
    11: ("nov", "november", "novembre", "noviembre", "novembro", "listopada", "listopad", "ноября", "ноябрь",
         "лістапада", "лістапад", "листопада", "листопад", "lis"),
    12: ("dec", "december", "dezember", "dez", "décembre", "decembre", "diciembre", "dezembro", "dicembre",
         "grudnia", "grudzień", "декабря", "декабрь", "снежня", "снежань", "грудня", "грудень", "gru"),
}  # fmt: skip
MONTHS = {name: number for number, names in MONTH_NAMES.items() for name in names}
_MONTH = "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True))
_TIME = r"(?:[,\s]+(?:um|at|в|у|o|godz\.?|à|às|alle|a las)?\s*(?P<hour>\d{1,2})[:.](?P<minute>\d\d)\b)?"
# Day-first with a month name: "2. November 2021", "3 декабря 2025 г.", "3 grudnia 2025", "15 de mayo de 2024".
DAY_MONTH_YEAR = re.compile(
    rf"(?<![\w.])(?P<day>\d{{1,2}})\.?\s*(?:de\s+)?(?P<month>{_MONTH})\.?,?\s*(?:de\s+)?"
    r"(?P<year>(?:19|20)\d\d)\b" + _TIME,
    re.IGNORECASE,
)
# Month first: "June 4, 2025", "Nov. 2, 2021 7:45 am".
MONTH_DAY_YEAR = re.compile(
    rf"(?<!\w)(?P<month>{_MONTH})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b" + _TIME,
    re.IGNORECASE,
)
# Numeric, day first as written across Europe: "27.1.2022", "03.12.2025, 14:05"; ISO "2025-12-03".
NUMERIC_DMY = re.compile(r"(?<![\w.])(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>(?:19|20)\d\d)(?![\d.]\d)" + _TIME)
ISO_DATE = re.compile(r"(?<![\w-])(?P<year>(?:19|20)\d\d)-(?P<month>\d\d)-(?P<day>\d\d)(?![\w-])" + _TIME)
PATTERNS = (DAY_MONTH_YEAR, MONTH_DAY_YEAR, NUMERIC_DMY, ISO_DATE)
# Any of them, to cut dates out of a line.
DATE_PARTS = re.compile("|".join(re.sub(r"\?P<\w+>", "?:", f"(?:{p.pattern})") for p in PATTERNS), re.IGNORECASE)
# Words that label the date of an update, not of publication.
UPDATED_LABEL = re.compile(
    r"\b(?:updated?|last modified|modified|aktualisiert|zuletzt|обновлено|обновлен|абноўлена|оновлено"
    r"|zaktualizowano|aktualizacja|mis à jour|actualizado|atualizado|aggiornato)\b",
    re.IGNORECASE,
)
# The most a date line says besides the date: a longer block is a sentence that mentions a date.
MAX_LINE_WORDS = 30


def dates_in(text: str, now: datetime | None = None) -> list[tuple[int, datetime]]:
    """Every plausible date written in `text`, with its character offset, in order."""
    now = now or datetime.now(UTC)
    found: list[tuple[int, datetime]] = []
    taken: list[tuple[int, int]] = []
    for pattern in PATTERNS:
        for match in pattern.finditer(text):
            if any(start < match.end() and match.start() < end for start, end in taken):
                continue
            moment = _moment(match)
            if moment is not None and moment <= now.replace(year=now.year + 1):
                found.append((match.start(), moment))
                taken.append((match.start(), match.end()))
    return sorted(found, key=lambda item: item[0])


def published_in(text: str, now: datetime | None = None) -> datetime | None:
    """The publication date a date line gives ("Published 3 grudnia 2025, updated 4 grudnia": the 3rd)."""
    if len(text.split()) > MAX_LINE_WORDS:
        return None
    found = dates_in(text, now)
    if not found:
        return None
    previous = 0
    for offset, moment in found:
        if not UPDATED_LABEL.search(text[max(previous, offset - 30) : offset]):
            return moment
        previous = offset + 1
    return None


def _moment(match: re.Match[str]) -> datetime | None:
    """The datetime a match spells, or None when it is no calendar date."""
    fields = match.groupdict()
    month_text = fields["month"]
    month = int(month_text) if month_text.isdigit() else MONTHS.get(month_text.lower())
    if month is None:
        return None
    hour = int(fields["hour"]) if fields.get("hour") else 0
    minute = int(fields["minute"]) if fields.get("minute") else 0
    if hour > 23 or minute > 59:
        hour = minute = 0
    try:
        return datetime(int(fields["year"]), month, int(fields["day"]), hour, minute, tzinfo=UTC)
    except ValueError:
        return None
