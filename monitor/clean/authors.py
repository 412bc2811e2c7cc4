"""Authors: the people in a byline or an author field, one by one; organisations, roles and handles left out.

"By Anneli Virtanen and Omar Haddad, Meridian Wire" gives ("Anneli Virtanen", "Omar Haddad"); "NBCNews",
"Associated Press", "Редакция" and "Staff Writer" give nothing. The rules are about names in general: a
person's name is two to five capitalised words (or initials and particles such as "van", "de", "bin"), and
an organisation gives itself away by a word such as "News", "Press", "Agency" or by being the site's name.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import Any

from monitor.clean.boilerplate import DATE_FILLER, MONTHS

# "By", "Von", "Автор:", "Text:" and the like before the names.
BYLINE_PREFIX = re.compile(
    r"^\s*(?:(?:(?:written|reported|posted|published|story|words|text|interview|photos|photographs|photography"
    r"|pictures)(?: and \w+)? )?by|(?:geschrieben |verfasst )?von|par|por|door|av|di|de"
    r"|autor(?:ka|ki|zy)?|автор(?:ы)?|аўтар(?:ы)?|текст|тэкст|text|tekst|texte)\b\s*:?\s*",
    re.IGNORECASE,
)
LATE_BY = re.compile(r"\s(?:by|von|par|por)\s+(?=\S)", re.IGNORECASE)
# Where a byline goes on with a date, a place or the outlet: a digit, a bar, a bullet, a spaced dash.
BYLINE_TAIL = re.compile(
    r"\s*(?:\d|[|·•/(@]|\s[-–—]\s|\s(?:in|aus|z|ze|из|з|у|в|für|for|for the|at|@)\s+[A-ZА-ЯЁІЎЄЇŁŚŻ])"
)
# Between two names.
NAME_SEPARATORS = re.compile(
    r"\s*(?:[,;&]|\s(?:and|und|et|y|e|i|и|і|й|та|og|och|en|with|mit|oraz|а также)\s)\s*", re.IGNORECASE
)
NAME_PARTICLES = frozenset(
    """
    van von der den de del della di da das dos du le la ten ter zu bin ibn al el abu ben bar y e
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
# Words that make a name an organisation or a role, lower-cased; matched as whole words.
ORG_WORDS = frozenset(
    """
    news press agency agencies wire service services media network networks times post journal gazette tribune
    courier chronicle observer herald ledger daily weekly monthly magazine review report reports digest online tv
    radio channel broadcasting group team staff desk editor editors editorial board newsroom bureau office
    foundation institute center centre association union ministry council committee university company inc ltd
    llc gmbh ag plc corp corporation club party the of our your contributor contributors correspondent
    correspondents reporter reporters writer writers columnist guest admin administrator webmaster partner
    sponsored content studio studios lab labs project blog newsletter
    redaktion redakteur redakteurin korrespondent korrespondentin nachrichten zeitung rundschau anzeiger kurier
    presse pressestelle agentur dienst online-redaktion
    redakcja redakcji redaktor dziennikarz dziennikarka korespondent wiadomości gazeta tygodnik dziennik serwis
    agencja portal
    редакция редакции редактор корреспондент корреспондентка журналист новости газета агентство служба
    пресс-служба портал издание
    рэдакцыя рэдакцыі рэдактар карэспандэнт журналіст навіны газета агенцтва служба
    редакція редакції кореспондент кореспондентка новини агенція служба видання
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
HONORIFICS = re.compile(r"^(?:dr|prof|mr|mrs|ms|mme|hr|fr|dr\.? med|д-р|проф)\.?\s+", re.IGNORECASE)
NAME_TOKEN = re.compile(r"^(?:[^\W\d_][\w'’.-]*|[^\W\d_]\.)$")
DATE_WORDS = MONTHS | DATE_FILLER
MAX_NAME_WORDS = 5
MAX_AUTHORS = 10


def people(values: Iterable[str], site_names: Iterable[str] = ()) -> tuple[str, ...]:
    """The person names in some byline or author values, in order, each once."""
    sites = {_key(s) for s in site_names if s}
    found: list[str] = []
    for value in values:
        for name in split_names(value):
            if _key(name) in sites or name in found:
                continue
            if is_person(name):
                found.append(name)
    return tuple(found[:MAX_AUTHORS])


def split_names(value: str) -> list[str]:
    """A byline cut into the name-like parts it lists ("By A and B, Outlet" -> A, B, Outlet)."""
    text = " ".join(html.unescape(value).split())
    if "://" in text or text.startswith(("@", "www.")):
        return []
    late = LATE_BY.search(text)
    if late and any(ch.isdigit() for ch in text[: late.start()]):  # "Posted on March 11, 2024 by Priya Raman"
        text = text[late.end() :]
    text = BYLINE_PREFIX.sub("", text)
    text = BYLINE_TAIL.split(text, maxsplit=1)[0]
    parts = []
    for part in NAME_SEPARATORS.split(text):
        part = HONORIFICS.sub("", BYLINE_PREFIX.sub("", part)).strip(" .,:;-–—()[]\"'«»„“”")
        words = part.split()
        while words and words[-1].lower().strip(".,") in DATE_WORDS:  # "Joseph Tsidulko November 19, 2019"
            words.pop()
        if words:
            parts.append(" ".join(words))
    return parts


def is_person(name: str) -> bool:
    """True when `name` reads as a person's name, not an organisation, a role or a handle."""
    tokens = name.split()
    if not 2 <= len(tokens) <= MAX_NAME_WORDS or any(ch.isdigit() or ch in "@#/«»\"" for ch in name):
        return False
    lowered = [t.lower().strip(".,") for t in tokens]
    if any(t in ORG_WORDS for t in lowered):
        return False
    words = [t for t, low in zip(tokens, lowered, strict=True) if low not in NAME_PARTICLES]
    if len(words) < 1 or not all(NAME_TOKEN.match(t) for t in tokens):
        return False
    all_caps = all(t.isupper() for t in words)
    for token in words:
        if not token[0].isupper():
            return False
        if not all_caps and len(token) > 1 and token.isupper() and not token.endswith("."):
            return False  # an acronym beside ordinary words: "BBC Russian", "TASS Moscow"
    return len([t for t in words if len(t.rstrip(".")) > 1]) >= 1


def names_in_jsonld(value: Any) -> list[str]:
    """Author names from a JSON-LD value: strings and Person objects; Organization objects left out."""
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items:
        if isinstance(item, dict):
            kind = item.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            if any(isinstance(k, str) and k != "Person" and k in ORGANISATION_TYPES for k in kinds):
                continue
            item = item.get("name")
            if isinstance(item, list):
                item = item[0] if item else None
        if isinstance(item, str):
            names.append(item)
    return names


ORGANISATION_TYPES = frozenset(
    """
    Organization NewsMediaOrganization Corporation GovernmentOrganization NGO EducationalOrganization WebSite
    Brand LocalBusiness
    """.split()  # noqa: SIM905 (a word list reads better as text)
)


def _key(text: str) -> str:
    """Compare names and site names without case, spaces or punctuation."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())
