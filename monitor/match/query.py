"""Watchlist queries: parse "potash" NEAR/10 (sanctions OR embargo) AND NOT sport, and evaluate them.

The syntax is documented in docs/queries.md. Operators are upper-case (AND, OR, NOT, NEAR, NEAR/n), so a
lower-case "and" is a word. Adjacent operands without an operator are joined by AND. Precedence, tightest
first: NEAR, NOT, AND, OR; parentheses group. A word or quoted phrase is a *leaf*: the matcher finds its
occurrences with the same transliteration and inflection tolerance as a term (no fuzzy edits), and a
word ending in ``*`` matches any word it starts (case and diacritics ignored).

Evaluation is independent of how leaves are found: `evaluate` takes a function giving each leaf's
occurrences as `Span`s and returns the spans that make the query true (its evidence), or None.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from monitor.errors import QueryError

DEFAULT_NEAR = 10  # words allowed between the operands of a bare NEAR
_OPEN_QUOTES = "\"“„«"
_CLOSE_QUOTES = "\"”“»"
_LEXEME_RE = re.compile(r"\s*(?:(?P<paren>[()])|(?P<quote>[\"“„«])|(?P<word>[^\s()\"“”„«»]+))")
_NEAR_RE = re.compile(r"NEAR(?:/(?P<n>.*))?")
_OPERATORS = ("AND", "OR", "NOT")


class Span(NamedTuple):
    """Where something was found: field, token range (for NEAR) and character offsets (for the hit)."""

    field: str
    first: int
    last: int
    start: int
    end: int


@dataclass(frozen=True)
class Leaf:
    """A word or a quoted phrase."""

    text: str
    position: int


@dataclass(frozen=True)
class Not:
    """True when the operand is not found."""

    operand: Node
    position: int


@dataclass(frozen=True)
class And:
    """True when every operand is."""

    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    """True when any operand is."""

    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Near:
    """True when the operands occur in the same field with at most `distance` words between them."""

    left: Node
    right: Node
    distance: int


Node = Leaf | Not | And | Or | Near


@dataclass(frozen=True)
class Query:
    """A parsed query: its text, its tree and its leaves in order of appearance."""

    text: str
    root: Node
    leaves: tuple[Leaf, ...]


class _Lexeme(NamedTuple):
    kind: str  # ( ) phrase word AND OR NOT NEAR end
    text: str
    position: int
    distance: int = 0


def parse_query(text: str) -> Query:
    """Parse a query; raises QueryError(query, position, message) when it is malformed."""
    parser = _Parser(text, _lex(text))
    root = parser.parse()
    if not _has_positive(root):
        raise QueryError(text, 0, "a query needs at least one word or phrase that is not negated")
    return Query(text, root, tuple(parser.leaves))


def _lex(text: str) -> list[_Lexeme]:
    lexemes, pos = [], 0
    while True:
        m = _LEXEME_RE.match(text, pos)
        if not m:
            rest = len(text[pos:]) - len(text[pos:].lstrip())
            if pos + rest < len(text):
                raise QueryError(text, pos + rest, f"unexpected {text[pos + rest]!r}")
            break
        start, pos = m.start(m.lastgroup or 0), m.end()
        if m.group("paren"):
            lexemes.append(_Lexeme(m.group("paren"), m.group("paren"), start))
        elif m.group("quote"):
            close = min((i for i in (text.find(q, pos) for q in _CLOSE_QUOTES) if i >= 0), default=-1)
            if close < 0:
                raise QueryError(text, start, "unterminated quote")
            phrase = text[pos:close].strip()
            if not re.search(r"\w", phrase):
                raise QueryError(text, start, "empty phrase")
            lexemes.append(_Lexeme("phrase", phrase, start))
            pos = close + 1
        else:
            lexemes.append(_word_lexeme(text, m.group("word"), start))
    lexemes.append(_Lexeme("end", "", len(text)))
    return lexemes


def _word_lexeme(query: str, word: str, start: int) -> _Lexeme:
    if word in _OPERATORS:
        return _Lexeme(word, word, start)
    near = _NEAR_RE.fullmatch(word)
    if near:
        n = near.group("n")
        if n is not None and not n.isdigit():
            raise QueryError(query, start, f"NEAR needs a number of words, as in NEAR/10, not {word!r}")
        return _Lexeme("NEAR", word, start, int(n) if n is not None else DEFAULT_NEAR)
    if "*" in word[:-1] or not re.search(r"\w", word):
        raise QueryError(query, start, f"cannot search for {word!r} ('*' may only end a word)")
    return _Lexeme("word", word, start)


class _Parser:
    """Recursive descent over the lexemes; every error names the offending position."""

    def __init__(self, text: str, lexemes: list[_Lexeme]) -> None:
        self.text, self.lexemes, self.i = text, lexemes, 0
        self.leaves: list[Leaf] = []

    def parse(self) -> Node:
        node = self._or()
        if self._peek().kind != "end":
            self._fail(self._peek(), "unexpected ')'" if self._peek().kind == ")" else None)
        return node

    def _peek(self) -> _Lexeme:
        return self.lexemes[self.i]

    def _take(self) -> _Lexeme:
        lexeme = self.lexemes[self.i]
        self.i += 1
        return lexeme

    def _fail(self, lexeme: _Lexeme, message: str | None = None) -> None:
        if message is None:
            found = "the end of the query" if lexeme.kind == "end" else repr(lexeme.text)
            message = f"expected a word, a phrase, NOT or '(' but found {found}"
        raise QueryError(self.text, lexeme.position, message)

    def _or(self) -> Node:
        operands = [self._and()]
        while self._peek().kind == "OR":
            self._take()
            operands.append(self._and())
        return operands[0] if len(operands) == 1 else Or(tuple(operands))

    def _and(self) -> Node:
        operands = [self._unary()]
        while self._peek().kind in ("AND", "NOT", "word", "phrase", "("):
            if self._peek().kind == "AND":
                self._take()
            operands.append(self._unary())
        return operands[0] if len(operands) == 1 else And(tuple(operands))

    def _unary(self) -> Node:
        if self._peek().kind == "NOT":
            lexeme = self._take()
            return Not(self._unary(), lexeme.position)
        return self._near()

    def _near(self) -> Node:
        node = self._primary()
        while self._peek().kind == "NEAR":
            lexeme = self._take()
            right = self._primary()
            if not (_is_positional(node) and _is_positional(right)):
                self._fail(lexeme, "NEAR joins words, phrases and OR-groups of them, not AND or NOT")
            node = Near(node, right, lexeme.distance)
        return node

    def _primary(self) -> Node:
        lexeme = self._take()
        if lexeme.kind in ("word", "phrase"):
            leaf = Leaf(lexeme.text, lexeme.position)
            self.leaves.append(leaf)
            return leaf
        if lexeme.kind == "(":
            node = self._or()
            if self._peek().kind != ")":
                self._fail(lexeme, "'(' is never closed")
            self._take()
            return node
        self._fail(lexeme)
        raise AssertionError  # _fail always raises


def _is_positional(node: Node) -> bool:
    if isinstance(node, Leaf | Near):
        return True
    return isinstance(node, Or) and all(_is_positional(n) for n in node.operands)


def _has_positive(node: Node) -> bool:
    """False when the node can be true without any word being found (it would match every article)."""
    if isinstance(node, Leaf | Near):
        return True
    if isinstance(node, Not):
        return False
    if isinstance(node, And):
        return any(_has_positive(n) for n in node.operands)
    return all(_has_positive(n) for n in node.operands)


def evaluate(node: Node, spans_of: Callable[[Leaf], Sequence[Span]]) -> list[Span] | None:
    """The evidence that makes `node` true (spans of the leaves that satisfied it), or None if false."""
    if isinstance(node, Leaf):
        spans = list(spans_of(node))
        return spans or None
    if isinstance(node, Not):
        return None if evaluate(node.operand, spans_of) is not None else []
    if isinstance(node, And):
        evidence: list[Span] = []
        for operand in node.operands:
            found = evaluate(operand, spans_of)
            if found is None:
                return None
            evidence.extend(found)
        return evidence
    if isinstance(node, Or):
        results = [found for n in node.operands if (found := evaluate(n, spans_of)) is not None]
        return [span for found in results for span in found] if results else None
    return _near(node, spans_of)


def _near(node: Near, spans_of: Callable[[Leaf], Sequence[Span]]) -> list[Span] | None:
    left, right = evaluate(node.left, spans_of) or [], evaluate(node.right, spans_of) or []
    evidence: list[Span] = []
    for a in left:
        for b in right:
            gap = b.first - a.last - 1 if b.first > a.last else a.first - b.last - 1
            if a.field == b.field and gap <= node.distance and (a.first, a.start) != (b.first, b.start):
                evidence.extend((a, b))
    return evidence or None
