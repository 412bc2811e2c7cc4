"""Who a bare surname means, inside one article.

"Hunter Biden … Biden's lawyers said" speaks of Hunter, even for a watchlist that holds Joe Biden; "Ирина
Шевчук … Шевчук заявила" of Irina, not of the watched Yuri Shevchuk. Each bare surname (no first name,
initial or title beside it) is resolved to the nearest full mention before it in the same article: the
title first, then the text in order. A full mention of someone else with that surname, or a verb in the
surname's clause whose gender is not the watched person's, takes the bare surname away from the watched
person. The watched person keeps every hit where they are named in full or with a title.

A bare surname that is also an everyday word, where capitals prove nothing (at the start of a sentence, in a
title-case headline: "Mróz ścisnął w nocy"), counts only when the article also names the person with a
first name, an initial or a title.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from monitor.match.context import BARE, FULL, Occurrence, OtherPerson
from monitor.match.forms import Form
from monitor.match.query import Span

_PARAGRAPH_BREAK_RE = re.compile(r"\n\s*")
_FIELD_ORDER = {"title": 0, "text": 1}
_GENDER_WORDS = {"f": "a woman", "m": "a man"}


def resolve(
    form: Form, events: Sequence[Occurrence | OtherPerson], texts: dict[str, str]
) -> tuple[list[Occurrence], list[tuple[Span, str]]]:
    """The occurrences of a person form that mean the watched person, and the others with the reason."""
    ordered = sorted(events, key=lambda e: (_FIELD_ORDER.get(e.span.field, 2), e.span.start))
    named = any(isinstance(e, Occurrence) and e.named != BARE for e in ordered)
    kept: list[Occurrence] = []
    dropped: list[tuple[Span, str]] = []
    for i, event in enumerate(ordered):
        if not isinstance(event, Occurrence):
            continue
        if event.named != BARE:
            kept.append(event)
            continue
        why = _why_not(form, event, ordered[:i], named, texts)
        if why:
            dropped.append((event.span, why))
        else:
            kept.append(event)
    return kept, dropped


def _why_not(
    form: Form, bare: Occurrence, before: Sequence[Occurrence | OtherPerson], named: bool, texts: dict[str, str]
) -> str | None:
    referent = _nearest_full(before, bare.gender)
    if isinstance(referent, OtherPerson):
        return f"refers to {referent.name}, named in full {_where(referent.span, texts)}"
    if bare.gender and form.gender and bare.gender != form.gender:
        return f"the verb beside it speaks of {_GENDER_WORDS[bare.gender]}: another person with this surname"
    if bare.common and not named:
        word = texts[bare.span.field][bare.span.start : bare.span.end]
        return (f"{word!r} is an everyday word here: it counts only with a first name, an initial or a title "
                "nearby, or with the person named in full in the article")  # fmt: skip
    return None


def _nearest_full(before: Sequence[Occurrence | OtherPerson], gender: str | None) -> Occurrence | OtherPerson | None:
    """The last full mention before a bare surname whose gender does not contradict the clause's."""
    for event in reversed(before):
        if isinstance(event, OtherPerson):
            if gender is None or event.gender in (None, gender):
                return event
        elif event.named == FULL:
            return event
    return None


def _where(span: Span, texts: dict[str, str]) -> str:
    """"in the title" or "in paragraph N" (paragraphs are the text's lines)."""
    if span.field == "title":
        return "in the title"
    return f"in paragraph {len(_PARAGRAPH_BREAK_RE.findall(texts[span.field], 0, span.start)) + 1}"
