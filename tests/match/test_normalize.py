"""Words, plain keys and transliteration skeletons (monitor/match/normalize.py)."""

from __future__ import annotations

import pytest

from monitor.match.normalize import (
    Tokens,
    looks_slavic,
    plain_key,
    skeletons,
    split_final_vowels,
    tokenize,
)

SAME_NAME = [
    ("Lukashenko", "Lukaschenko", "Loukachenko", "Łukaszenka", "Lukašenka", "Лукашенко", "Лукашэнка"),
    ("Kalesnikava", "Kolesnikova", "Kalesnikawa", "Kolesnikowa", "Калеснікава", "Колесникова"),
    ("Bialiatski", "Byalyatski", "Belyatsky", "Bjaljazki", "Беляцкий", "Бяляцкі"),
    ("Babaryka", "Babariko", "Бабарыка", "Бабарико"),
    ("Statkevich", "Statkiewicz", "Statkevič", "Statkewitsch", "Statkevitch", "Статкевіч"),
    ("Tsikhanouskaya", "Cichanouskaja", "Ціханоўская"),
    ("Maria", "Mariya", "Maryja", "Maryia", "Марыя", "Мария", "Марія"),
    ("Aliaksandrau", "Aleksandrov"),
    ("Yashin", "Jaschin", "Jaszyn", "Iachine", "Яшин"),
    # national systems (issue 14): Spanish j, Dutch oe/sj, Hungarian s/cs, Lithuanian, scholarly ë and x
    ("Khrushchev", "Jruschov", "Chroesjtsjov", "Hruscsov", "Chruščiov", "Chruščëv", "Chruschtschow",
     "Khrouchtchev", "Chruszczow", "Хрущёв"),
    ("Khodorkovsky", "Jodorkovski", "Hodorkovszkij", "Xodorkovskij", "Chodorkowski", "Ходорковский"),
    ("Navalny", "Navalʹnyj", "Навальный"),
    ("Putin", "Poetin", "Путин"),
]


@pytest.mark.parametrize("spellings", SAME_NAME, ids=lambda s: s[0])
def test_spellings_of_one_name_share_a_skeleton(spellings: tuple[str, ...]) -> None:
    shared = set(skeletons(spellings[0]))
    for spelling in spellings[1:]:
        assert shared & set(skeletons(spelling)), (spellings[0], spelling, skeletons(spelling))


@pytest.mark.parametrize(
    ("one", "other"),
    [("Statkevich", "Stankevich"), ("Harris", "Horich"), ("Azov", "Aseyev"), ("Kolesnikova", "Kolesnikov")],
)
def test_different_names_keep_different_skeletons(one: str, other: str) -> None:
    assert not set(skeletons(one)) & set(skeletons(other))


def test_ambiguous_ch_gets_one_skeleton_per_reading() -> None:
    # English ч, French ш, Polish/Czech/German х
    assert len(skeletons("Cichanouskaja")) == 3
    assert skeletons("Kalesnikava") == ("kalesnikava",)


def test_plain_key_folds_case_and_diacritics_but_keeps_the_script() -> None:
    assert plain_key("ŁUKAŠENKA") == "lukasenka"
    assert plain_key("Лукашэнка") == "лукашэнка"
    assert plain_key("Kolesni\u00adkowa") == "kolesnikowa"


def test_split_final_vowels() -> None:
    assert split_final_vowels("lukasenka") == ("lukasenk", "a")
    assert split_final_vowels("statkevic") == ("statkevic", "")


def test_tokens_carry_offsets_into_the_original_text() -> None:
    text = "On Dec. 13,  Lukashenko freed them."
    tokens = tokenize(text)
    assert [t.word for t in tokens] == ["On", "Dec", "13", "Lukashenko", "freed", "them"]
    luka = tokens[3]
    assert text[luka.start : luka.end] == "Lukashenko"
    assert (luka.first, luka.last, luka.capitalised) == (3, 3, True)


def test_possessive_stays_in_the_span_but_not_in_the_word() -> None:
    text = "Lukashenko's and Tsikhanouskaya’s offices"
    first, second = tokenize(text)[0], tokenize(text)[2]
    assert (first.word, first.possessive, text[first.start : first.end]) == ("Lukashenko", True, "Lukashenko's")
    assert (second.word, second.possessive) == ("Tsikhanouskaya", True)


def test_apostrophes_split_latin_elision_but_not_ukrainian_words() -> None:
    assert [t.word for t in tokenize("le régime d'Alexandre")] == ["le", "régime", "d", "Alexandre"]
    assert [t.word for t in tokenize("Дем'ян Наримана")] == ["Дем'ян", "Наримана"]


def test_initials_are_marked() -> None:
    tokens = tokenize("А. Г. Лукашенко and Yu. Navalny, Mr. Orlov")
    assert [t.word for t in tokens if t.initial] == ["А", "Г", "Yu"]


def test_soft_hyphens_and_zero_width_marks_are_removed_from_words() -> None:
    tokens = tokenize("Kolesni\u00adkowa und Bia\u200bliatski")
    assert [t.word for t in tokens] == ["Kolesnikowa", "und", "Bialiatski"]
    assert tokens[0].end - tokens[0].start == len("Kolesnikowa") + 1


def test_a_word_broken_at_a_line_end_is_offered_joined() -> None:
    text = "freed Kales-\n  nikava today"
    joined = Tokens(text).line_breaks()
    assert [(t.word, t.first, t.last) for t in joined] == [("Kalesnikava", 1, 2)]
    assert text[joined[0].start : joined[0].end] == "Kales-\n  nikava"


def test_scripts_without_case_count_as_capitalised() -> None:
    assert tokenize("이름")[0].capitalised
    assert not tokenize("znak")[0].capitalised


@pytest.mark.parametrize(
    ("text", "slavic"),
    [
        ("Reżim Łukaszenki zwolnił więźniów.", True),
        ("Ojciec Marii apeluje o jej uwolnienie.", True),
        ("Lukašenkos režimas tęsia represijas.", True),
        ("Lukashenko's regime freed them, e.g. in Minsk.", False),
        ("Die Freilassung wurde z. B. in Berlin begrüßt.", False),
    ],
)
def test_looks_slavic(text: str, slavic: bool) -> None:
    assert looks_slavic(text, Tokens(text).words) is slavic
