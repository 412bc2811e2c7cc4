"""Dates and authors in Russian, Belarusian, Polish, German and English (issue 13).

Dates: the page's own calendar day, from its markup or, when that says nothing, from the date it writes in
its text ("27.1.2022", "2. November 2021", "3 декабря 2025", "3 grudnia 2025", "3 снежня 2025").
Authors: people, not organisations, and all of them.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pytest

from monitor.clean.authors import people
from monitor.clean.cleaner import clean_html
from monitor.clean.textdates import published_in

BODIES = {
    "en": [
        "The council voted on Tuesday night to keep the ferry running through the winter months.",
        "Residents of the island had collected more than two thousand signatures in three weeks.",
        "The operator said the service would run twice a day until the end of March.",
    ],
    "de": [
        "Der Gemeinderat hat am Dienstagabend beschlossen, die Fähre auch im Winter fahren zu lassen.",
        "Die Bewohner der Insel hatten in drei Wochen mehr als zweitausend Unterschriften gesammelt.",
        "Der Betreiber kündigte an, bis Ende März zweimal am Tag zu fahren.",
    ],
    "pl": [
        "Rada gminy zdecydowała we wtorek wieczorem, że prom będzie kursował także zimą.",
        "Mieszkańcy wyspy zebrali w trzy tygodnie ponad dwa tysiące podpisów pod petycją.",
        "Przewoźnik zapowiedział, że do końca marca prom będzie pływał dwa razy dziennie.",
    ],
    "ru": [
        "Совет района во вторник вечером решил сохранить паромную переправу и зимой.",
        "Жители острова за три недели собрали больше двух тысяч подписей под обращением.",
        "Перевозчик пообещал, что до конца марта паром будет ходить дважды в день.",
    ],
    "be": [
        "Раённы савет у аўторак увечары вырашыў захаваць паромную пераправу і зімой.",
        "Жыхары вострава за тры тыдні сабралі больш за дзве тысячы подпісаў пад зваротам.",
        "Перавозчык паабяцаў, што да канца сакавіка паром будзе хадзіць двойчы на дзень.",
    ],
}


def page(lang: str, header: str = "", head: str = "") -> str:
    """A small news page in `lang` with `header` (byline, date line) between the headline and the body."""
    paragraphs = "".join(f"<p>{p}</p>" for p in BODIES[lang])
    return (
        f'<html lang="{lang}"><head><title>Ferry</title>{head}</head><body>'
        f'<nav><a href="/">Home</a> <a href="/news">News</a></nav>'
        f'<article><h1>Ferry</h1><div class="meta">{header}</div><div class="body">{paragraphs}</div></article>'
        "<footer><p>© 2025</p></footer></body></html>"
    )


# -- dates written in the text --------------------------------------------------------------------------
TEXT_DATES = [
    ("en", "Published June 4, 2025", date(2025, 6, 4)),
    ("en", "By Jane Roe | Nov. 19, 2019 7:45 am", date(2019, 11, 19)),
    ("en", "Updated 5 May 2024; first published 3 May 2024", date(2024, 5, 3)),
    ("de", "2. November 2021", date(2021, 11, 2)),
    ("de", "03.07.2025, 16:55 Uhr", date(2025, 7, 3)),
    ("de", "Veröffentlicht am 27.1.2022", date(2022, 1, 27)),
    ("pl", "3 grudnia 2025", date(2025, 12, 3)),
    ("pl", "Opublikowano: 21.08.2025 r., 23:15", date(2025, 8, 21)),
    ("ru", "3 декабря 2025", date(2025, 12, 3)),
    ("ru", "Опубликовано: 12.03.2025 09:15", date(2025, 3, 12)),
    ("ru", "Обновлено 5 мая 2025, опубликовано 3 мая 2025", date(2025, 5, 3)),
    ("be", "3 снежня 2025", date(2025, 12, 3)),
    ("be", "Апублікавана 22 траўня 2025, 09:00", date(2025, 5, 22)),
]


@pytest.mark.parametrize(("lang", "line", "day"), TEXT_DATES)
def test_date_line_gives_the_day(lang: str, line: str, day: date) -> None:
    found = published_in(line)
    assert found is not None
    assert found.date() == day


@pytest.mark.parametrize(("lang", "line", "day"), TEXT_DATES)
def test_page_without_date_metadata_takes_the_date_in_its_text(lang: str, line: str, day: date) -> None:
    article = clean_html(page(lang, header=line), f"https://{lang}.example/ferry")
    assert article.published is not None
    assert article.published.date() == day
    assert line not in article.text  # the date line is not body text


@pytest.mark.parametrize("line", ["Version 2 of the plan", "Reporting on the 3 counties", "Room 12.3"])
def test_lines_without_a_date_give_none(line: str) -> None:
    assert published_in(line) is None


def test_the_pages_own_offset_and_calendar_day_are_kept() -> None:
    ld = {"@type": "NewsArticle", "headline": "Ferry", "datePublished": "2025-12-03T22:00:00-08:00"}
    head = f'<script type="application/ld+json">{json.dumps(ld)}</script>'
    article = clean_html(page("en", head=head), "https://en.example/ferry")
    assert article.published == datetime(2025, 12, 3, 22, 0, tzinfo=timezone(timedelta(hours=-8)))
    assert article.published.date() == date(2025, 12, 3)  # in UTC it would be the 4th
    assert article.published.isoformat() == "2025-12-03T22:00:00-08:00"


def test_markup_date_wins_over_a_date_in_the_text() -> None:
    head = '<meta property="article:published_time" content="2025-06-05T08:00:00+02:00">'
    article = clean_html(page("de", header="2. November 2021", head=head), "https://de.example/ferry")
    assert article.published is not None
    assert article.published.date() == date(2025, 6, 5)


# -- authors ----------------------------------------------------------------------------------------------
BYLINES = [
    ("en", "By Anneli Virtanen and Omar Haddad", ("Anneli Virtanen", "Omar Haddad")),
    ("en", "By Jane Roe, NBC News", ("Jane Roe",)),
    ("en", "Associated Press", ()),
    ("en", "NBCNews", ()),
    ("de", "Von Max Mustermann und Erika Musterfrau, dpa", ("Max Mustermann", "Erika Musterfrau")),
    ("de", "Geschrieben von Pressestelle", ()),
    ("de", "Redaktion", ()),
    ("pl", "Autor: Jan Kowalski i Anna Nowak", ("Jan Kowalski", "Anna Nowak")),
    ("pl", "Redakcja", ()),
    ("pl", "PAP", ()),
    ("ru", "Автор: Ирина Ковалёва", ("Ирина Ковалёва",)),
    ("ru", "Текст: Иван Петров и Мария Сидорова", ("Иван Петров", "Мария Сидорова")),
    ("ru", "Редакция", ()),
    ("ru", "ТАСС", ()),
    ("be", "Аўтар: Алесь Бяляцкі і Марыя Калеснікава", ("Алесь Бяляцкі", "Марыя Калеснікава")),
    ("be", "Рэдакцыя", ()),
]


@pytest.mark.parametrize(("lang", "byline", "expected"), BYLINES)
def test_byline_gives_the_people_in_it(lang: str, byline: str, expected: tuple[str, ...]) -> None:
    assert people([byline]) == expected


@pytest.mark.parametrize(("lang", "byline", "expected"), [b for b in BYLINES if b[2]])
def test_page_byline_gives_the_authors_and_stays_out_of_the_text(
    lang: str, byline: str, expected: tuple[str, ...]
) -> None:
    article = clean_html(page(lang, header=byline), f"https://{lang}.example/ferry")
    assert article.authors == expected
    assert article.author == ", ".join(expected)
    assert byline not in article.text
    assert article.credits.split("\n")[0] == byline


def test_organisations_in_jsonld_and_meta_are_not_authors() -> None:
    ld = {
        "@type": "NewsArticle",
        "headline": "Ferry",
        "author": [{"@type": "Person", "name": "Jane Roe"}, {"@type": "Organization", "name": "NBCNews"}],
    }
    head = f'<script type="application/ld+json">{json.dumps(ld)}</script><meta name="author" content="NBCNews">'
    assert clean_html(page("en", head=head), "https://www.nbcnews.example/ferry").authors == ("Jane Roe",)
    only_org = '<meta name="author" content="NBCNews"><meta property="og:site_name" content="NBC News">'
    article = clean_html(page("en", head=only_org), "https://www.nbcnews.example/ferry")
    assert article.authors == ()
    assert article.author is None


def test_the_sites_own_name_is_not_an_author() -> None:
    head = '<meta name="author" content="Minsk Herald"><meta property="og:site_name" content="Minsk Herald">'
    assert clean_html(page("en", head=head), "https://minsk-herald.example/ferry").authors == ()
