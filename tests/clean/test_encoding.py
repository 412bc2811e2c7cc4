"""Bytes → text: declared, undeclared and wrongly declared encodings all come out as correct Unicode."""

from __future__ import annotations

import re

import pytest

from monitor.clean.cleaner import clean_html
from monitor.clean.encoding import decode_html
from tests.paths import PAGES

RUSSIAN = (
    "Лукашенко освободил 123 политзаключённых. Среди них Мария Колесникова, Алесь Беляцкий и Виктор Бабарико. "
    "Николай Статкевич остаётся в заключении, его семья не получает писем уже год."
)
BELARUSIAN = (
    "Лукашэнка вызваліў 123 палітвязняў. Сярод іх Марыя Калеснікава, Алесь Бяляцкі і Віктар Бабарыка. "
    "Мікалай Статкевіч застаецца ў зняволенні, і ягоная сям'я не атрымлівае лістоў."
)
UKRAINIAN = (
    "Лукашенко звільнив 123 політв'язнів. Серед них Марія Колесникова, Алесь Біляцький і Віктор Бабарико, "
    "їхні родини чекають."
)
POLISH = (
    "Łukaszenka uwolnił 123 więźniów politycznych. Wśród nich są Maria Kalesnikawa, Aleś Bialacki i Wiktar Babaryka."
)
GERMAN = (
    "Lukaschenko ließ 123 politische Gefangene frei, darunter Maryja Kalesnikawa; Beobachter äußerten sich überrascht."
)


def page(text: str, head: str = "") -> str:
    """A small HTML page with `text` in two paragraphs."""
    return f"<html><head>{head}<title>Test</title></head><body><p>{text}</p><p>{text}</p></body></html>"


def meta_charset(name: str) -> str:
    """A <meta charset> declaration."""
    return f'<meta charset="{name}">'


def http_equiv(name: str) -> str:
    """An old-style http-equiv Content-Type declaration."""
    return f'<meta http-equiv="Content-Type" content="text/html; charset={name}">'


CASES = [
    # (case id, text, bytes encoding, declaration in the page, HTTP charset)
    ("cp1251 declared in meta", RUSSIAN, "cp1251", meta_charset("windows-1251"), None),
    ("cp1251 declared by http-equiv", BELARUSIAN, "cp1251", http_equiv("windows-1251"), None),
    ("cp1251 declared by HTTP", RUSSIAN, "cp1251", "", "windows-1251"),
    ("cp1251 undeclared", RUSSIAN, "cp1251", "", None),
    ("Belarusian cp1251 undeclared", BELARUSIAN, "cp1251", "", None),
    ("cp1251 declared as utf-8", RUSSIAN, "cp1251", meta_charset("utf-8"), None),
    ("cp1251 sent as ISO-8859-1", RUSSIAN, "cp1251", "", "ISO-8859-1"),
    ("cp1251 declared as koi8-r", RUSSIAN, "cp1251", meta_charset("koi8-r"), None),
    ("koi8-r declared in meta", RUSSIAN, "koi8_r", meta_charset("koi8-r"), None),
    ("koi8-r declared by HTTP", RUSSIAN, "koi8_r", "", "KOI8-R"),
    ("koi8-r undeclared", RUSSIAN, "koi8_r", "", None),
    ("koi8-r declared as windows-1251", RUSSIAN, "koi8_r", meta_charset("windows-1251"), None),
    ("koi8-u declared", UKRAINIAN, "koi8_u", meta_charset("koi8-u"), None),
    ("iso-8859-5 declared by HTTP", RUSSIAN, "iso8859_5", "", "iso-8859-5"),
    ("iso-8859-2 declared", POLISH, "iso8859_2", meta_charset("iso-8859-2"), None),
    ("iso-8859-2 undeclared", POLISH * 3, "iso8859_2", "", None),
    ("iso-8859-1 declared", GERMAN, "latin-1", meta_charset("iso-8859-1"), None),
    ("utf-8 declared as windows-1251", RUSSIAN, "utf-8", meta_charset("windows-1251"), None),
    ("utf-8 sent as ISO-8859-1", BELARUSIAN, "utf-8", "", "iso-8859-1"),
    ("utf-8 declared as koi8-r", UKRAINIAN, "utf-8", meta_charset("koi8-r"), None),
    ("utf-8 undeclared", BELARUSIAN, "utf-8", "", None),
    ("utf-8 with unknown charset label", RUSSIAN, "utf-8", meta_charset("x-no-such-charset"), "bogus"),
]


@pytest.mark.parametrize(("text", "encoding", "declaration", "http"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_decode_html_recovers_the_text(text: str, encoding: str, declaration: str, http: str | None) -> None:
    body = page(text, declaration).encode(encoding)
    assert text in decode_html(body, http)


def test_windows_1252_bytes_declared_latin_1_keep_their_curly_quotes() -> None:
    # WHATWG: browsers read "iso-8859-1" as windows-1252, and pages rely on it.
    text = "“Quoted” – with dashes, café, résumé and naïve."
    assert text in decode_html(page(text, meta_charset("iso-8859-1")).encode("cp1252"))


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16", "utf-32"])
def test_byte_order_mark_wins_over_declarations(codec: str) -> None:
    body = page(RUSSIAN, meta_charset("windows-1251")).encode(codec)
    assert RUSSIAN in decode_html(body, "iso-8859-1")


def test_empty_body_is_empty_text() -> None:
    assert decode_html(b"") == ""


def test_charset_declared_late_in_a_long_head_is_found() -> None:
    head = "<script>" + "var x = 1;\n" * 800 + "</script>" + meta_charset("koi8-r")
    assert RUSSIAN in decode_html(page(RUSSIAN, head).encode("koi8_r"))


@pytest.mark.parametrize(
    ("encoding", "http"),
    [("cp1251", None), ("cp1251", "iso-8859-1"), ("koi8_r", "koi8-r"), ("koi8_r", None), ("utf-8", "windows-1251")],
)
def test_cleaned_cyrillic_article_is_correct_unicode(encoding: str, http: str | None) -> None:
    """The whole pipeline on a real-looking Russian news page re-encoded for the purpose."""
    html = (PAGES / "clean-ru-news.html").read_text(encoding="utf-8")
    declared = "windows-1251" if encoding == "cp1251" else "koi8-r" if encoding == "koi8_r" else "utf-8"
    html = re.sub(r'<meta charset="utf-8">', "" if http else f'<meta charset="{declared}">', html)
    if encoding == "utf-8":
        html = html.replace("<head>", '<head><meta charset="windows-1251">', 1)  # a lying declaration
    body = html.encode(encoding, errors="xmlcharrefreplace")
    article = clean_html(body, "https://news.example/politika/123", http_encoding=http)
    assert article.title == "Лукашенко освободил 123 политзаключённых"
    assert "Мария Колесникова, нобелевский лауреат Алесь Беляцкий и бывший банкир Виктор Бабарико" in article.text
    assert "Николай Статкевич" in article.text
