"""The seven ways the cleaner lost article text on real sites (issue 13), one fixture page each.

Each test names what must survive (the body, and above all the people it names) and what must not
(page furniture). The pages are written for these tests; none is a copy of a real site.
"""

from __future__ import annotations

import re

import pytest

from monitor.clean.cleaner import clean_html
from monitor.errors import PageRejected
from monitor.models import Article
from tests.paths import PAGES


def clean_fixture(name: str, url: str = "https://news.example/2025/story") -> Article:
    """A fixture page, cleaned."""
    return clean_html((PAGES / name).read_bytes(), url)


def words(text: str) -> list[str]:
    """The text's words, as the scorer and the matcher split them."""
    return re.findall(r"\w+", text)


def assert_contains_words(text: str, phrase: str) -> None:
    """`phrase` occurs in `text` as a run of whole words (so "Marsh" fused into "MarshEllen" does not count)."""
    needle, hay = words(phrase), words(text)
    assert any(hay[i : i + len(needle)] == needle for i in range(len(hay) - len(needle) + 1)), phrase


# -- 1. mis-nested or unclosed containers -------------------------------------------------------------
BARRIER_BODY = [
    "The Riverside town council voted seven to two on Tuesday night",
    "Councillor Margaret Okafor, who chairs the planning committee",
    "The barrier, designed by the engineering firm Hollis and Brandt",
    "Not everyone was persuaded. Councillor Tomasz Wierzbicki",
    "Dorothy Kemble, whose bakery on Mill Street flooded twice",
]
BARRIER_FURNITURE = [
    "We use cookies",
    "Obituaries",
    "Most read",
    "Bypass roadworks",
    "Share on Facebook",
    "All rights reserved",
    "local democracy reporter",  # the byline goes to credits, not into the text
]
BARRIER_PAGE = (PAGES / "clean-swallowed-by-button.html").read_text(encoding="utf-8")
BUTTON = '<button class="masthead__menu-toggle" aria-label="Open menu"><div class="hamburger"><div class="hamburger__bars"></button>'
COOKIE = '<div id="cookie-notice" class="cookie-notice">'
SWALLOWING_VARIANTS = {
    "unclosed button in the masthead": BARRIER_PAGE,
    # each of these opens at the top of <body> and is never closed: the parser puts the page inside it
    "unclosed aside banner": BARRIER_PAGE.replace(
        COOKIE, '<aside class="alert-banner"><p>Road closures this weekend: see the list</p>' + COOKIE
    ),
    "unclosed nav": BARRIER_PAGE.replace(COOKIE, '<nav class="primary"><a href="/">Home</a> <a href="/news">News</a>' + COOKIE),
    "unclosed menu": BARRIER_PAGE.replace(COOKIE, "<menu><li><a href='/'>Home</a></li>" + COOKIE),
    "unclosed logo link": BARRIER_PAGE.replace(BUTTON, '<a class="logo" href="/"><div class="logo-box">'),
    "unclosed noscript": BARRIER_PAGE.replace(BUTTON, '<noscript><div class="tracking">'),
    "unclosed video": BARRIER_PAGE.replace(BUTTON, '<video class="masthead-loop" muted><div>'),
    # the parser keeps an iframe's content as raw text: the page comes back as text, then as markup
    "unclosed iframe": BARRIER_PAGE.replace(BUTTON, '<iframe src="/ads/leaderboard">'),
}


@pytest.mark.parametrize("variant", sorted(SWALLOWING_VARIANTS))
def test_container_that_swallowed_the_page_is_judged_by_its_content(variant: str) -> None:
    article = clean_html(SWALLOWING_VARIANTS[variant], "https://courier.example/news/flood-barrier")
    for start in BARRIER_BODY:
        assert article.text.count(start) == 1, start
    for furniture in BARRIER_FURNITURE:
        assert furniture not in article.text


def test_small_asides_and_menus_are_still_removed() -> None:
    html = BARRIER_PAGE.replace(BUTTON, "<aside class='promo'><p>Win two tickets to the Riverside beer festival</p></aside>")
    article = clean_html(html, "https://courier.example/news/flood-barrier")
    assert "beer festival" not in article.text
    assert "Margaret Okafor" in article.text


# -- 2. page-builder widgets ------------------------------------------------------------------------------
def test_page_builder_widgets_do_not_empty_the_article() -> None:
    article = clean_fixture("clean-page-builder.html", "https://openwells.example/stories/water-committees/")
    for start in (
        "When the hand pump in Ndiawara broke down",
        "Its treasurer, Fatou Sarr, had been collecting",
        "Small fees, fast repairs",
        "Across the forty-two villages",
        "said Ibrahima Ndoye, the mechanic",
        "The committees are not without problems",
    ):
        assert article.text.count(start) == 1, start
    for furniture in (
        "Share on Facebook",
        "More stories from the field",
        "New latrines bring girls back",
        "sign up for the monthly newsletter",
        "registered charity",
        "Our projects",
        "A committee member checks the seals",
    ):
        assert furniture not in article.text


WIDGET_PAGE = """<html><head><title>Tram line extension opens</title></head><body>
<div class="Header_root__k2Jd9"><a href="/">City Wire</a><a href="/news">News</a></div>
<main class="Layout_main__P0xq1">
<h1 class="Headline_title__3mXa">Tram line extension opens to passengers</h1>
<div class="WidgetWrapper_widget__x7Fq2 WidgetWrapper_text__aa31"><p>The four-kilometre extension of tram line 3 opened to passengers on Sunday morning, three months later than planned and eleven percent over budget.</p></div>
<div class="WidgetWrapper_widget__x7Fq2 WidgetWrapper_text__aa31"><p>Transport councillor Agnieszka Rutkowska rode the first tram with about two hundred residents of the new housing estates at the end of the line.</p></div>
<div class="WidgetWrapper_widget__x7Fq2 WidgetWrapper_text__aa31"><p>Trams will run every eight minutes at peak times. The city expects eleven thousand passengers a day once the estates are fully occupied.</p></div>
<div class="WidgetWrapper_widget__x7Fq2 WidgetWrapper_newsletter__Zq1"><p>Sign up for our newsletter and get the city's news in your inbox every morning.</p></div>
</main><div class="Footer_root__9aa"><p>© City Wire</p></div></body></html>"""


def test_widget_wrapper_class_names_do_not_empty_the_article() -> None:
    article = clean_html(WIDGET_PAGE, "https://citywire.example/tram")
    for start in ("The four-kilometre extension", "Agnieszka Rutkowska rode the first tram", "Trams will run every"):
        assert article.text.count(start) == 1, start
    assert "newsletter" not in article.text


# -- 3. hover cards, tooltips and fused inline words -------------------------------------------------------------
def test_hidden_cards_and_tooltips_are_dropped_and_names_keep_their_word_boundaries() -> None:
    article = clean_fixture("clean-hover-cards.html", "https://capitolledger.example/politics/veto")
    text = article.text
    for phrase in (
        "Gov. Ellen Marsh (D) is defending her veto",
        "Senate Majority Leader Raymond Oyelaran said his caucus had the votes",
        "Its main sponsor, Rep. Lucia Ferreira (R), called the veto",
        "Budget analyst Samuel Greaves, who has studied",
        "Speaker Dolores Whitfield",
        "then-Gov. Harold Pike",
    ):
        assert_contains_words(text, phrase)
    for card in (
        "Ellen R. Marsh",
        "State governor since 2021",
        "MORE",
        "Raymond T. Oyelaran",
        "Full profile",
        "Chair of the commerce committee",
        "Senior fellow at the Fiscal Policy Center",
        "Governor from 2007 to 2015",
    ):
        assert card not in text
    for fused in ("MarshEllen", "FerreiraState", "WhitfieldSpeaker", "PikeGovernor", "OyelaranRaymond"):
        assert fused not in text


# -- 4. the lead paragraph outside the body container ------------------------------------------------
def test_lead_between_headline_and_date_block_is_kept() -> None:
    article = clean_fixture("clean-lead-outside.html", "https://vistulapost.example/poland/obara-charged")
    assert article.text.startswith("WARSAW — Polish prosecutors on Thursday charged Krystian Obara")
    for start in ("The National Prosecutor's Office said", "His lawyer, Bartosz Leśniak", "Justice Minister Adam Bodnar"):
        assert article.text.count(start) == 1, start
    for furniture in ("Zofia Malinowska", "27.1.2022", "Read also", "Motorway tolls to rise", "Most read", "courts"):
        assert furniture not in article.text


# -- 5. credit lines ---------------------------------------------------------------------------------
def test_credit_lines_go_to_credits_with_the_byline() -> None:
    article = clean_fixture("clean-credits.html", "https://meridianwire.example/markets/grain-ships")
    assert "Union leader Katarzyna Wróbel said" in article.text
    for credit in ("Reporting by", "Editing by", "contributed to this report", "Photo: Jonas Berg"):
        assert credit not in article.text
    credits = article.credits.split("\n")
    assert credits[0] == "By Anneli Virtanen and Omar Haddad"
    assert (
        "(Reporting by Anneli Virtanen in Helsinki and Omar Haddad in Beirut; Additional reporting by "
        "Kofi Mensah in Accra; Editing by Ruth Abernathy)" in credits
    )
    assert "Maria Esposito in Rome contributed to this report." in credits
    assert "Photo: Jonas Berg / Nordic Press Agency" in credits
    assert article.authors == ("Anneli Virtanen", "Omar Haddad")  # the JSON-LD Organization is not an author
    assert article.author == "Anneli Virtanen, Omar Haddad"


# -- 6. fast mode picking a small wrong block --------------------------------------------------------------
def test_short_pick_next_to_much_more_prose_triggers_the_recall_pass() -> None:
    article = clean_fixture("clean-wrong-block.html", "https://nordsee-rundschau.example/region/hallig-faehre")
    for start in (
        "Wenn Kapitän Jens Ketelsen am Sonntagabend",
        "„Wir haben hier Kinder zur Schule gebracht",
        "Bürgermeisterin Inke Hansen sagt",
        "Im Verkehrsministerium in Kiel",
        "Ketelsen selbst will auf der Hallig bleiben",
    ):
        assert article.text.count(start) == 1, start
    for furniture in ("Impressum", "Mehr zum Thema", "Sturmflut", "Nordsee Rundschau"):
        assert furniture not in article.text
    assert article.authors == ("Henrike Paulsen",)


DECLARED_ARTICLE = """<html><head><title>Brief</title>
<meta property="og:type" content="article"><meta property="article:published_time" content="2025-05-05T08:00:00+02:00">
</head><body><div class="nav"><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></div>
<table class="layout"><tr><td class="left"><a href="/a">Archive</a><br><a href="/b">Contact</a></td>
<td class="main"><font size="4"><b>Mayor reopens the old library</b></font><br><br>
Mayor Ingrid Solberg reopened the town library on Saturday after a two-year renovation paid for by a bequest.<br><br>
The building now has a lift, a children's floor and a reading room named after the retired librarian Knut Aasen.<br>
</td></tr></table></body></html>"""


def test_declared_article_that_would_be_rejected_gets_a_second_pass() -> None:
    article = clean_html(DECLARED_ARTICLE, "https://town.example/news/library")
    assert_contains_words(article.text, "Mayor Ingrid Solberg reopened the town library")
    assert_contains_words(article.text, "retired librarian Knut Aasen")
    assert "Archive" not in article.text


# -- 7. formulas and slideshows ------------------------------------------------------------------------------
def test_formulas_keep_their_text() -> None:
    article = clean_fixture("clean-math-formula.html", "https://numbers.example/2024/03/reproduction-number")
    text = article.text
    assert_contains_words(text, "passes the virus on to R others, then after n generations")
    assert_contains_words(text, "N_n = R^n")
    assert_contains_words(text, "whether R < 1, because")
    assert_contains_words(text, "the health minister, Jonas Lindgren, when Sørensen")
    assert "Proudly powered" not in text


def test_slideshow_captions_that_carry_the_story_are_kept() -> None:
    article = clean_fixture("clean-slideshow.html", "https://coastline.example/pictures/night-shift")
    for start in (
        "Photographer Nadia Kowalczyk spent a week",
        "Charge nurse Brendan Kealy starts his shift",
        "Dr Amara Osei, one of two consultants",
        "Porter Wiesław Nowicki has worked nights",
        "Healthcare assistant Joy Mbeki takes her first break",
    ):
        assert article.text.count(start) == 1, start
    for furniture in ("Previous", "1 / 4", "More galleries", "Storm surge", "Facebook"):
        assert furniture not in article.text


# -- no_article means no article prose -------------------------------------------------------------------
def test_page_without_prose_is_no_article_and_keeps_its_metadata() -> None:
    html = """<html lang="pl"><head><title>Galeria: Dni Morza 2025 | Gazeta Pomorska Wieczorna</title>
    <meta property="og:type" content="article"><meta property="article:published_time" content="2025-06-28T21:00:00+02:00">
    <meta name="author" content="Jan Kowalski"></head>
    <body><h1>Galeria: Dni Morza 2025</h1><div class="gallery"><img src="1.jpg"><img src="2.jpg"></div>
    <p><a href="/g/2">Następne zdjęcie</a></p></body></html>"""
    with pytest.raises(PageRejected) as caught:
        clean_html(html, "https://gpw.example/galeria/dni-morza")
    assert caught.value.reason == "no_article"
    metadata = caught.value.metadata
    assert metadata is not None
    assert metadata.title == "Galeria: Dni Morza 2025"
    assert metadata.published is not None
    assert metadata.published.isoformat() == "2025-06-28T21:00:00+02:00"
    assert metadata.authors == ("Jan Kowalski",)


@pytest.mark.parametrize(
    "markup",
    [
        '<span class="tooltip">Ellen Marsh<span class="tooltiptext">State governor since 2021</span></span>',
        '<a class="popup-link" href="/people/ellen-marsh">Ellen Marsh</a>',
        '<span class="has-tooltip" data-tip="State governor since 2021">Ellen Marsh</span>',
        '<span class="card-title">Ellen Marsh</span>',
    ],
)
def test_a_tooltip_trigger_keeps_its_visible_name(markup: str) -> None:
    paragraph = f"<p>Gov. {markup} defended her veto of the budget on Monday, saying the plan left a hole.</p>"
    html = f"<html><body><article><h1>Veto</h1>{paragraph}<p>{'Lawmakers plan to override it. ' * 4}</p></article></body></html>"
    article = clean_html(html, "https://capitolledger.example/veto")
    assert_contains_words(article.text, "Gov. Ellen Marsh defended her veto")
    assert "State governor since 2021" not in article.text
