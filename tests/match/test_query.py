"""Query syntax and evaluation (monitor/match/query.py); matching of query words is in test_matcher.py."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from monitor.errors import QueryError
from monitor.match.query import And, Leaf, Near, Not, Or, Span, evaluate, parse_query


def leaves(text: str) -> list[str]:
    return [leaf.text for leaf in parse_query(text).leaves]


def test_phrases_words_and_positions() -> None:
    query = parse_query('"political prisoners" AND Łukaszenka')
    assert query.root == And((Leaf("political prisoners", 0), Leaf("Łukaszenka", 26)))


def test_adjacent_operands_are_joined_by_and() -> None:
    assert parse_query("potash sanctions").root == And((Leaf("potash", 0), Leaf("sanctions", 7)))


def test_precedence_near_then_not_then_and_then_or() -> None:
    root = parse_query("a NEAR/3 b c OR NOT d e").root
    assert isinstance(root, Or)
    left, right = root.operands
    assert left == And((Near(Leaf("a", 0), Leaf("b", 9), 3), Leaf("c", 11)))
    assert right == And((Not(Leaf("d", 20), 16), Leaf("e", 22)))


def test_parentheses_group() -> None:
    root = parse_query("(Kalesnikava OR Babaryka) AND freed").root
    assert root == And((Or((Leaf("Kalesnikava", 1), Leaf("Babaryka", 16))), Leaf("freed", 30)))


def test_near_without_a_number_allows_ten_words() -> None:
    root = parse_query("potash NEAR sanctions").root
    assert isinstance(root, Near)
    assert root.distance == 10


def test_lower_case_operators_are_words() -> None:
    assert leaves("war and peace") == ["war", "and", "peace"]


def test_typographic_quotes_make_phrases() -> None:
    assert leaves("„Вясна“ OR «political prisoners» OR “Viasna”") == ["Вясна", "political prisoners", "Viasna"]


def test_prefix_word() -> None:
    assert leaves("sanction* NEAR/5 potash") == ["sanction*", "potash"]


@pytest.mark.parametrize(
    ("text", "position", "message"),
    [
        ('"potash NEAR/10 sanctions', 0, "unterminated quote"),
        ("(potash AND sanctions", 0, "'(' is never closed"),
        ("potash AND", 10, "found the end of the query"),
        ("potash)", 6, "unexpected ')'"),
        ("AND potash", 0, "found 'AND'"),
        ("potash NEAR/x sanctions", 7, "NEAR needs a number"),
        ("potash NEAR (a AND b)", 7, "NEAR joins words"),
        ("NOT sport", 0, "not negated"),
        ("potash OR NOT sport", 0, "not negated"),
        ("sanc*ions", 0, "'*' may only end a word"),
        ('potash ""', 7, "empty phrase"),
        ("potash » sanctions", 7, "unexpected '»'"),
        ("", 0, "found the end of the query"),
    ],
)
def test_malformed_queries_name_the_position(text: str, position: int, message: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse_query(text)
    assert caught.value.position == position
    assert message in caught.value.message
    assert caught.value.query == text


def spans(table: dict[str, list[Span]]) -> Callable[[Leaf], list[Span]]:
    return lambda leaf: table.get(leaf.text, [])


def at(word_index: int, field: str = "text") -> Span:
    return Span(field, word_index, word_index, word_index * 10, word_index * 10 + 5)


def test_near_counts_the_words_between() -> None:
    root = parse_query("potash NEAR/2 sanctions").root
    assert evaluate(root, spans({"potash": [at(1)], "sanctions": [at(4)]})) == [at(1), at(4)]
    assert evaluate(root, spans({"potash": [at(1)], "sanctions": [at(5)]})) is None
    assert evaluate(root, spans({"potash": [at(6)], "sanctions": [at(4)]})) == [at(6), at(4)]


def test_near_does_not_cross_fields() -> None:
    root = parse_query("potash NEAR/2 sanctions").root
    assert evaluate(root, spans({"potash": [at(1, "title")], "sanctions": [at(2)]})) is None


def test_not_and_or() -> None:
    root = parse_query("(potash OR fertiliser) AND NOT football").root
    assert evaluate(root, spans({"fertiliser": [at(3)]})) == [at(3)]
    assert evaluate(root, spans({"fertiliser": [at(3)], "football": [at(9)]})) is None
    assert evaluate(root, spans({})) is None
