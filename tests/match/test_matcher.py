"""The matcher's contract: hits, reasons, snippets, aliases, exact terms, excludes, queries, explain."""

from __future__ import annotations

import pickle

import pytest

from monitor.errors import QueryError
from monitor.match.matcher import Matcher
from monitor.models import Article, Term, Watchlist
from tests.paths import SHARED

REFERENCE = SHARED / "reference" / "belarus-article-raw.txt"
FIVE = ("Maria Kalesnikava", "Ales Bialiatski", "Viktar Babaryka", "Mikalai Statkevich", "Alexander Lukashenko")


def build(*terms: str | Term, **watchlist: object) -> Matcher:
    items = tuple(t if isinstance(t, Term) else Term(t) for t in terms)
    return Matcher.build([Watchlist("pp", terms=items, **watchlist)])  # type: ignore[arg-type]


def found(matcher: Matcher, text: str, title: str = "") -> list[tuple[str, str, str]]:
    return [(h.term, h.found, h.reason) for h in matcher.find_hits_in(title, text)]


def test_reference_article_names_all_five_people() -> None:
    if not REFERENCE.is_file():
        pytest.skip(f"{REFERENCE} not present")
    text = REFERENCE.read_text(encoding="utf-8")
    hits = build(*FIVE).find_hits_in("Belarus frees 123 political prisoners", text)
    spelled = {(h.term, h.found) for h in hits}
    assert spelled == {
        ("Maria Kalesnikava", "Maryja Kalesnikawa"),
        ("Ales Bialiatski", "Ales Bjaljazki"),
        ("Viktar Babaryka", "Viktor Babariko"),
        ("Mikalai Statkevich", "Nikolai Statkevich"),
        ("Alexander Lukashenko", "Alexander Lukaschenko"),
        ("Alexander Lukashenko", "Lukaschenko"),
    }
    for hit in hits:
        assert text[hit.start : hit.end] == hit.found
        assert hit.field == "text"
        assert hit.watchlist == "pp"


def test_find_hits_reads_title_and_text_of_an_article() -> None:
    article = Article(url="https://example.org/a", title="Łukaszenka ułaskawił więźniów", text="Babaryka is free.")
    hits = build("Alexander Lukashenko", "Viktar Babaryka").find_hits(article)
    assert [(h.field, h.found, h.start) for h in hits] == [("title", "Łukaszenka", 0), ("text", "Babaryka", 0)]


def test_every_occurrence_is_returned() -> None:
    text = "Lukashenko spoke. Later Lukashenko's aide denied it; Лукашенко молчал."
    hits = build("Alexander Lukashenko").find_hits_in("", text)
    assert [h.found for h in hits] == ["Lukashenko", "Lukashenko's", "Лукашенко"]
    assert [h.start for h in hits] == sorted(h.start for h in hits)


@pytest.mark.parametrize(
    ("text", "spelled", "reason"),
    [
        ("Maria Kalesnikava was freed.", "Maria Kalesnikava", "exact"),
        ("MARIA KALESNIKAVA WAS FREED", "MARIA KALESNIKAVA", "exact"),
        ("Maryja Kalesnikawa was freed.", "Maryja Kalesnikawa", "transliteration"),
        ("Мария Колесникова на свободе.", "Мария Колесникова", "transliteration"),
        ("Адвокат Марии Колесниковой заявил.", "Марии Колесниковой", "inflection"),
        ("Kalesnikava's lawyer spoke.", "Kalesnikava's", "inflection"),
        ("Rozmowa z Marią Kalesnikawą.", "Marią Kalesnikawą", "transliteration"),
    ],
)
def test_reason_says_how_much_the_spelling_differs(text: str, spelled: str, reason: str) -> None:
    assert found(build("Maria Kalesnikava"), text) == [("Maria Kalesnikava", spelled, reason)]


def test_fuzzy_reason_for_a_tolerated_edit() -> None:
    assert found(build("Ales Bialiatski"), "Aleś Białacki wyszedł na wolność.") == [
        ("Ales Bialiatski", "Aleś Białacki", "fuzzy")
    ]


def test_alias_reason_and_aliases_the_matcher_cannot_guess() -> None:
    term = Term("Katsiaryna Andreyeva", aliases=("Katsiaryna Bakhvalava",))
    matcher = build(term)
    assert found(matcher, "Katsiaryna Bakhvalava was sentenced.") == [
        ("Katsiaryna Andreyeva", "Katsiaryna Bakhvalava", "alias")
    ]
    # the term's own spelling wins over an alias that finds the same words
    assert found(build(Term("Maria Kalesnikava", aliases=("Maria Kolesnikova",))), "Maria Kolesnikova spoke.") == [
        ("Maria Kalesnikava", "Maria Kolesnikova", "transliteration")
    ]


def test_exact_term_ignores_only_case_and_diacritics() -> None:
    matcher = build(Term("ACME", exact=True), Term("Łukaszenka", exact=True))
    assert [h.found for h in matcher.find_hits_in("", "Acme and acme's results; ACMES; Lukaszenka, Лукашенко.")] == [
        "Acme",
        "acme's",
        "Lukaszenka",
    ]


def test_another_first_name_is_another_person() -> None:
    matcher = build("Viktar Babaryka")
    assert found(matcher, "Eduard Babaryka was sentenced.") == []
    assert found(matcher, "Эдуарда Бабарико этапировали.") == []
    assert found(matcher, "E. Babaryka appealed.") == []
    assert found(matcher, "Babaryka's son Eduard remains in prison.") == [
        ("Viktar Babaryka", "Babaryka's", "inflection")
    ]


def test_feminine_and_masculine_forms_are_different_people() -> None:
    matcher = build("Sviatlana Tsikhanouskaya", "Siarhei Tsikhanouski")
    assert [h.term for h in matcher.find_hits_in("", "Tsikhanouski was freed.")] == ["Siarhei Tsikhanouski"]
    assert [h.term for h in matcher.find_hits_in("", "Tsikhanouskaya spoke.")] == ["Sviatlana Tsikhanouskaya"]


def test_lower_case_common_word_is_not_a_surname() -> None:
    matcher = build("Maksim Znak")
    assert found(matcher, "To dobry znak dla rozmów.") == []
    assert found(matcher, "maksim znak was sentenced") == [("Maksim Znak", "maksim znak", "exact")]


def test_surname_inside_a_longer_word_is_not_found() -> None:
    assert found(build("Viktar Babaryka", "Alexander Lukashenko"), "The Babarykin and Lukashenkovich families.") == []


def test_word_hyphenated_at_a_line_end() -> None:
    hits = build("Maria Kalesnikava").find_hits_in("", "The prisoner Kales-\nnikava was freed.")
    assert [(h.found, h.reason) for h in hits] == [("Kales-\nnikava", "exact")]


def test_phrase_term_needs_its_words_in_order() -> None:
    matcher = build("political prisoners")
    assert [h.found for h in matcher.find_hits_in("", "123 political prisoners freed")] == ["political prisoners"]
    assert found(matcher, "prisoners, political and others") == []


def test_snippet_is_short_cut_at_words_and_on_one_line() -> None:
    filler = "word " * 60
    text = f"{filler}Mikalai\n  Statkevich   refused to leave.\n\n{filler}"
    (hit,) = build("Mikalai Statkevich").find_hits_in("", text)
    assert hit.snippet.startswith("…")
    assert hit.snippet.endswith("…")
    assert "Mikalai Statkevich refused to leave." in hit.snippet
    assert "\n" not in hit.snippet
    assert "  " not in hit.snippet
    assert 80 <= len(hit.snippet) <= 162
    assert hit.snippet.split()[0] == "…word"  # no word cut in half
    assert hit.snippet.split()[-1] == "word…"


def test_exclude_silences_only_its_watchlist() -> None:
    sport = Watchlist("sport", terms=(Term("Viktar Babaryka"),), exclude=("football",))
    news = Watchlist("news", terms=(Term("Viktar Babaryka"),))
    matcher = Matcher.build([sport, news])
    assert [h.watchlist for h in matcher.find_hits_in("", "Babaryka watched the football final.")] == ["news"]
    assert [h.watchlist for h in matcher.find_hits_in("", "Babaryka was freed.")] == ["sport", "news"]


def test_query_hit_records_the_query_and_the_first_phrase() -> None:
    matcher = build(queries=('"potash" NEAR/10 sanction*', "Belaruskali AND NOT football"))
    text = "The US agreed to ease sanctions on Belarusian potash exports. Belaruskali shares rose."
    hits = matcher.find_hits_in("", text)
    assert [(h.term, h.found, h.reason) for h in hits] == [
        ('"potash" NEAR/10 sanction*', "sanctions", "query"),
        ("Belaruskali AND NOT football", "Belaruskali", "query"),
    ]
    assert found(matcher, "Potash prices fell. " + "x " * 20 + "New sanctions followed.") == []


def test_query_words_are_found_across_scripts_and_endings() -> None:
    matcher = build(queries=("Лукашенко AND помиловал",))
    assert [h.found for h in matcher.find_hits_in("", "Prezydent Lukashenka pomiłował więźniów.")] == ["Lukashenka"]
    assert [h.found for h in matcher.find_hits_in("Лукашэнку", "Лукашенко помиловал 52 человека")] == ["Лукашэнку"]
    assert found(matcher, "Лукашенко выступил.") == []


def test_malformed_query_is_an_error_naming_watchlist_and_position() -> None:
    with pytest.raises(QueryError) as caught:
        build(queries=("potash", "(potash AND"))
    assert caught.value.position == len("(potash AND")
    assert "'pp'" in caught.value.message
    assert "query 2" in caught.value.message


def test_term_without_a_word_is_an_error() -> None:
    with pytest.raises(QueryError) as caught:
        build("!!!")
    assert "'pp'" in str(caught.value)


def test_explain_says_why_a_name_did_not_count() -> None:
    matcher = build("Viktar Babaryka", exclude=("football",))
    (miss,) = matcher.explain("", "Eduard Babaryka was sentenced.")
    assert (miss.term, miss.found, miss.why) == ("Viktar Babaryka", "Babaryka", "another person's first name: 'Eduard'")
    (miss,) = matcher.explain("", "Babaryka watched football.")
    assert "exclude" in miss.why
    assert "football" in miss.why
    assert matcher.explain("", "Viktar Babaryka was freed.") == []


def test_matcher_survives_pickling_for_worker_processes() -> None:
    matcher = build("Maria Kalesnikava", queries=("potash NEAR sanctions",))
    clone = pickle.loads(pickle.dumps(matcher))
    text = "Колесникову освободили; potash sanctions eased."
    assert clone.find_hits_in("", text) == matcher.find_hits_in("", text)


def test_words_in_scripts_without_a_skeleton_match_only_as_written() -> None:
    matcher = build(Term("사진", exact=False), "Ihar Losik")
    assert [h.found for h in matcher.find_hits_in("", "그 사진 보기 수")] == ["사진"]


def test_large_watchlist_still_finds_the_right_person() -> None:
    firsts = ["Ivan", "Pavel", "Olga", "Anna", "Siarhei", "Volha", "Dzmitry", "Iryna"]
    roots = ["Kaval", "Hrab", "Zhuk", "Marc", "Sav", "Pash", "Tkach", "Lis", "Volk", "Kozl"]
    suffixes = ["enka", "ovich", "ski", "uk", "chuk", "ets", "in", "ov"]
    names = [f"{f} {r}{s}" for f in firsts for r in roots for s in suffixes]
    matcher = build(*names, "Maria Kalesnikava", "Ihar Losik")
    hits = matcher.find_hits_in("", "Суд над Ігарам Лосікам і Марыяй Калеснікавай праходзіў у Гомелі.")
    assert sorted(h.term for h in hits) == ["Ihar Losik", "Maria Kalesnikava"]


# issue 13: bylines and credit lines count only for the watchlists that ask (match_credits)
CREDITED = Article(
    url="https://example.org/a",
    title="Potash talks resume",
    text="Officials met in Vilnius on Monday to discuss potash transit.",
    credits="By Andrzej Poczobut\n(Reporting by Ihar Losik; Editing by Maria Kalesnikava)",
)


def test_credits_are_not_scanned_by_default() -> None:
    assert build("Andrzej Poczobut", "Ihar Losik").find_hits(CREDITED) == []


def test_credits_are_scanned_for_a_watchlist_that_asks_and_only_for_it() -> None:
    follows = Watchlist("journalists", terms=(Term("Andrzej Poczobut"), Term("Ihar Losik")), match_credits=True)
    body_only = Watchlist("prisoners", terms=(Term("Ihar Losik"),))
    hits = Matcher.build([follows, body_only]).find_hits(CREDITED)
    assert [(h.watchlist, h.term, h.found, h.field) for h in hits] == [
        ("journalists", "Andrzej Poczobut", "Andrzej Poczobut", "credits"),
        ("journalists", "Ihar Losik", "Ihar Losik", "credits"),
    ]
    credits_hit = hits[0]
    assert CREDITED.credits[credits_hit.start : credits_hit.end] == "Andrzej Poczobut"


def test_an_excluded_article_does_not_alert_through_its_credits() -> None:
    follows = Watchlist("journalists", terms=(Term("Ihar Losik"),), exclude=("potash",), match_credits=True)
    assert Matcher.build([follows]).find_hits(CREDITED) == []
