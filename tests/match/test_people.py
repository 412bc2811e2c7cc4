"""Who a name means: middle initials, family name first, coreference, everyday words, namesakes (issue 14)."""

from __future__ import annotations

import pytest

from monitor.match.matcher import Matcher
from monitor.models import Term, Watchlist


def build(*terms: str) -> Matcher:
    return Matcher.build([Watchlist("people", terms=tuple(Term(t) for t in terms))])


def spelled(matcher: Matcher, text: str, title: str = "") -> list[str]:
    return [h.found for h in matcher.find_hits_in(title, text)]


def why(matcher: Matcher, text: str) -> list[tuple[str, str]]:
    return [(m.found, m.why) for m in matcher.explain("", text)]


@pytest.mark.parametrize(
    ("term", "text", "found"),
    [
        ("Harry Truman", "Harry S. Truman ordered the airlift.", ["Harry S. Truman"]),
        ("Harry Truman", "Harry Solomon Truman is not his name.", ["Harry Solomon Truman"]),
        ("Franklin D. Roosevelt", "Franklin Roosevelt met Stalin.", ["Franklin Roosevelt"]),
        ("Franklin D. Roosevelt", "Franklin Delano Roosevelt met Stalin.", ["Franklin Delano Roosevelt"]),
        ("Franklin D. Roosevelt", "F. D. Roosevelt met Stalin.", ["F. D. Roosevelt"]),
        ("Alexander Lukashenko", "Указ подписал А. Г. Лукашенко.", ["А. Г. Лукашенко"]),
    ],
)
def test_middle_names_and_initials_are_optional(term: str, text: str, found: list[str]) -> None:
    assert spelled(build(term), text) == found


def test_a_conflicting_middle_initial_is_another_person() -> None:
    matcher = build("Lyndon B. Johnson")
    assert spelled(matcher, "Lyndon T. Johnson ran for sheriff.") == []
    assert why(matcher, "Lyndon T. Johnson ran for sheriff.") == [("Johnson", "another middle initial: 'T'")]
    # the bare surname after him is his, not the watched Johnson's
    assert spelled(matcher, "Lyndon T. Johnson ran for sheriff. Johnson lost.") == []


@pytest.mark.parametrize(
    "text",
    [
        "Lee Jae-myung won.",
        "Lee Jae Myung won.",
        "Lee Jaemyung won.",
        "Jae-myung Lee won.",
        "Reporter_Lee Jae-myung won.",
        "Candidate:Lee Jae-myung won.",
        "President Lee won.",
    ],
)
def test_family_name_first_in_either_order_with_or_without_the_hyphen(text: str) -> None:
    assert [h.term for h in build("Lee Jae-myung").find_hits_in("", text)] == ["Lee Jae-myung"]


def test_family_name_first_refuses_another_given_name_and_other_spellings() -> None:
    matcher = build("Lee Jae-myung")
    assert spelled(matcher, "Lee Hae-chan spoke.") == []
    assert spelled(matcher, "Le régime de Loukachenko.") == []  # French "Le" is not the family name Lee


def test_a_term_typed_in_hungarian_or_japanese_order_is_found_in_western_order() -> None:
    assert spelled(build("Novák Katalin"), "Katalin Novák resigned.") == ["Katalin Novák"]
    assert spelled(build("Ishiba Shigeru"), "Shigeru Ishiba dissolved the house.") == ["Shigeru Ishiba"]
    assert spelled(build("Novák Katalin"), "A parlament Novákot bírálta a kegyelmi ügy miatt.") == ["Novákot"]


def test_unknown_first_names_still_make_a_person_but_organisations_stay_phrases() -> None:
    matcher = build("Keir Starmer", "Amnesty International")
    assert spelled(matcher, "Starmer said the deal was done.") == ["Starmer"]
    assert spelled(matcher, "International observers left.") == []
    assert spelled(matcher, "Amnesty International said.") == ["Amnesty International"]


def test_double_surname_broken_at_a_line_end() -> None:
    assert spelled(build("Vladimir Kara-Murza"), "Суд приговорил Кара-\nМурзу к 25 годам.") == ["Кара-\nМурзу"]


def test_a_bare_surname_refers_to_the_nearest_full_mention_before_it() -> None:
    matcher = build("Hillary Clinton")
    text = "Bill Clinton campaigned in Ohio.\n\nClinton told the crowd the economy came first."
    assert spelled(matcher, text) == []
    assert ("Clinton", "refers to Bill Clinton, named in full in paragraph 1") in why(matcher, text)
    # the watched person named in full keeps the hit, and a bare surname after her is hers
    text = "Bill Clinton opened. Hillary Clinton spoke next, and Clinton was applauded."
    assert spelled(matcher, text) == ["Hillary Clinton", "Clinton"]
    # no one else named: the bare surname counts
    assert spelled(matcher, "Clinton said she would not run again.") == ["Clinton"]


def test_grammatical_gender_of_the_verb_decides_who_a_bare_surname_is() -> None:
    matcher = build("Petro Poroshenko")
    assert spelled(matcher, "Порошенко заявив, що повернеться.") == ["Порошенко"]
    assert spelled(matcher, "Порошенко заявила про фонд.") == []
    text = "Марина Порошенко відкрила школу. Порошенко заявила, що школа прийме дітей."
    assert spelled(matcher, text) == []
    assert ("Порошенко", "refers to Марина Порошенко, named in full in paragraph 1") in why(matcher, text)
    # a preposition before the surname: the verb's subject is someone else
    assert spelled(matcher, "Зустріч з Порошенко тривала годину.") == ["Порошенко"]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Lis przebiegł przez drogę.", []),
        ("Tomasz Lis skrytykował ustawę.", ["Tomasz Lis"]),
        ("Dziennikarz Lis zapowiedział program.", ["Lis"]),
        ("W studiu gościł Lis, który mówił o wyborach.", ["Lis"]),
        ("Tomasz Lis prowadzi podcast. Lis przyznał, że tęskni.", ["Tomasz Lis", "Lis"]),
    ],
)
def test_a_surname_that_is_an_everyday_word_needs_a_first_name_title_or_full_mention(
    text: str, found: list[str]
) -> None:
    assert spelled(build("Tomasz Lis"), text) == found


def test_everyday_word_rule_leaves_famous_names_alone() -> None:
    matcher = build("Alexander Lukashenko", "Donald Tusk")
    assert spelled(matcher, "Лукашенко заявил, что не уйдёт.") == ["Лукашенко"]
    assert spelled(matcher, "Tusk powiedział, że rząd przetrwa.") == ["Tusk"]


@pytest.mark.parametrize(
    "text",
    [
        "The Olof Palme Prize went to two activists.",
        "Flights from Vaclav Havel Airport were cancelled.",
        "Letiště Václava Havla hlásí zpoždění.",
        "Samolot wylądował na lotnisku im. Václava Havla.",
        "Премию имени Политковской вручили в Вене.",
        "Der Anna-Politkowskaja-Preis ging nach Minsk.",
        "Mieszka przy ulicy Palmego.",
        "Kolesnikovo is a village in the Moscow region.",
        "The Znak publishing house printed the book.",
    ],
)
def test_things_named_after_a_person_are_not_the_person(text: str) -> None:
    matcher = build("Olof Palme", "Václav Havel", "Anna Politkovskaya", "Maria Kalesnikava", "Maksim Znak")
    assert spelled(matcher, text) == []
    assert all(reason.startswith("named after the person") for _, reason in why(matcher, text))


def test_an_unknown_first_name_before_the_surname_is_another_person() -> None:
    matcher = build("Nelson Mandela")
    assert spelled(matcher, "Zinzi Mandela read his speech.") == []
    assert spelled(matcher, "Mandela was released in 1990.") == ["Mandela"]
    # but not an adjective of a people, nor a German noun or compound
    assert spelled(build("Maria Kalesnikava"), "Belarusian Kalesnikava was freed.") == ["Kalesnikava"]
    assert spelled(build("Alexei Navalny"), "Der Kremlkritiker Nawalny starb im Straflager.") == ["Nawalny"]
    assert spelled(build("Maria Kalesnikava"), "Belsat-Journalistin Kalesnikava?") == ["Kalesnikava"]


def test_title_case_headlines_prove_nothing_about_first_names() -> None:
    matcher = build("Ales Bialiatski", "Tommy Paul")
    assert spelled(matcher, "", title="Belarus Frees Viasna Founder Bialiatski") == ["Bialiatski"]
    assert spelled(matcher, "", title="Paul Beats Zverev In Straight Sets") == ["Paul"]
    # in running text, a first name right before another name is someone's first name
    assert spelled(matcher, "Judge Paul A. Engelmayer ruled.") == []
