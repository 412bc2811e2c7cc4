"""The cleaner on fixture pages: every body paragraph exactly once, no page furniture, metadata filled."""

from __future__ import annotations

import dataclasses
import pickle
from datetime import UTC, datetime, timedelta, timezone

import pytest

from monitor.clean import boilerplate as bp
from monitor.clean.cleaner import clean_html, clean_page
from monitor.errors import PageRejected
from monitor.models import Article, RawPage
from tests.paths import PAGES, SHARED

REFERENCE = SHARED / "reference" / "belarus-article-raw.txt"
BELARUS_URL = "https://minsk-herald.example/politics/2025/12/belarus-frees-123-political-prisoners"
BELARUS_TITLE = "Belarus frees 123 political prisoners in rare 2025 reconciliation move"
# The four body paragraphs of the reference article, as they open and close.
BELARUS_BODY = [
    ("The year 2025 marked a turning point", "reconciliation with the opposition."),
    ("For years, Belarusians had faced growing disillusionment", "potash exports in exchange."),
    ("While no single politico dominated the headlines", "a moment of unexpected leverage."),
    ("The release of political prisoners in Belarus offered", "navigate the months ahead."),
]
BELARUS_FURNITURE = [
    "Skip to content",
    "Read also",
    "Latest",
    "Most read",
    "family marks a year without a single letter",  # the unrelated "Read also" headline naming Statkevich
    "held incommunicado since September",
    "Tsikhanouskaya calls for the release",
    "Maryja Kalesnikawa gives first interview",  # a name in the sidebar must not become a hit
    "This is a black and white image",  # the caption, and the alt text it repeats
    "Photo: Minsk Herald archive",
    "We use cookies",
    "Share",
    "Facebook",
    "Telegram",
    "Tags",
    "Sign up",
    "newsletter",
    "All rights reserved",
    "Independent news from Belarus",
    "By Hanna",
    "14 December 2025",
]


def page_bytes(name: str) -> bytes:
    """A fixture page's raw bytes."""
    return (PAGES / name).read_bytes()


def paragraphs(article: Article) -> list[str]:
    """The article's paragraphs."""
    return article.text.split("\n\n")


@pytest.fixture(scope="module")
def belarus() -> Article:
    """The Belarus fixture page, cleaned once for the module."""
    return clean_html(page_bytes("belarus-article.html"), BELARUS_URL, source="minsk-herald")


def test_belarus_body_paragraphs_appear_exactly_once_in_reading_order(belarus: Article) -> None:
    text = belarus.text
    positions = []
    for start, end in BELARUS_BODY:
        assert text.count(start) == 1, start
        assert text.count(end) == 1, end
        positions.append(text.index(start))
    assert positions == sorted(positions)


def test_belarus_body_matches_the_reference_text(belarus: Article) -> None:
    if not REFERENCE.exists():
        pytest.skip(f"{REFERENCE} is absent (../shared not mounted)")
    lines = [line.strip() for line in REFERENCE.read_text(encoding="utf-8").splitlines() if line.strip()]
    body = lines[lines.index(BELARUS_TITLE, 2) + 1 : lines.index("Read also:")]
    assert len(body) == 4
    for paragraph in body:
        assert paragraphs(belarus).count(paragraph) == 1, paragraph[:60]


@pytest.mark.parametrize("furniture", BELARUS_FURNITURE)
def test_belarus_page_furniture_is_gone(belarus: Article, furniture: str) -> None:
    assert furniture not in belarus.text


def test_belarus_names_survive_and_the_title_is_not_repeated(belarus: Article) -> None:
    for name in ("Maryja Kalesnikawa", "Ales Bjaljazki", "Viktor Babariko", "Nikolai Statkevich", "Lukaschenko"):
        assert name in belarus.text
    assert belarus.title == BELARUS_TITLE
    assert BELARUS_TITLE not in belarus.text
    assert belarus.text.count("Statkevich") == 1  # the body's one mention, not the related headlines'


def test_belarus_paragraphs_are_separated_by_one_blank_line(belarus: Article) -> None:
    assert "\n\n\n" not in belarus.text
    assert all(p == p.strip() and p for p in paragraphs(belarus))


def test_belarus_metadata_comes_from_the_page(belarus: Article) -> None:
    assert belarus.published == datetime(2025, 12, 14, 9, 30, tzinfo=timezone(timedelta(hours=3)))
    assert belarus.updated == datetime(2025, 12, 14, 17, 5, tzinfo=timezone(timedelta(hours=3)))
    assert belarus.author == "Hanna Liachovič"
    assert belarus.language == "en"
    assert belarus.canonical_url == BELARUS_URL
    assert belarus.url == BELARUS_URL
    assert belarus.source == "minsk-herald"


def test_article_carries_everything_the_cli_prints(belarus: Article) -> None:
    fields = dataclasses.asdict(belarus)
    assert set(fields) >= {
        "url",
        "title",
        "text",
        "published",
        "updated",
        "author",
        "language",
        "canonical_url",
        "source",
    }
    assert pickle.loads(pickle.dumps(belarus)) == belarus  # noqa: S301 (our own bytes)  # results cross a process pool


def test_clean_page_uses_final_url_and_source() -> None:
    page = RawPage(
        url="https://minsk-herald.example/?p=123",
        final_url=BELARUS_URL,
        body=page_bytes("belarus-article.html"),
        source="minsk-herald",
        http_encoding="utf-8",
        content_type="text/html",
    )
    article = clean_page(page)
    assert article.url == BELARUS_URL
    assert article.source == "minsk-herald"
    assert "Nikolai Statkevich stood out" in article.text


def test_clean_page_falls_back_to_the_feed_title_and_date() -> None:
    html = (
        "<html><head></head><body><div class='story'>"
        "<p>Political prisoner Ihar Losik was moved to a different colony this week, his wife said on Friday.</p>"
        "<p>She learned of the transfer from a letter that arrived eleven days after it was written.</p>"
        "</div></body></html>"
    )
    hint = datetime(2025, 12, 1, 12, 0, tzinfo=UTC)
    page = RawPage(
        url="https://e.example/a",
        final_url="https://e.example/a",
        body=html.encode(),
        hint_title="Losik moved",
        hint_published=hint,
    )
    article = clean_page(page)
    assert article.title == "Losik moved"
    assert article.published == hint


def test_clean_page_prefers_the_pages_own_title_and_date_to_the_feed_hints() -> None:
    hint = datetime(2020, 1, 1, tzinfo=UTC)
    page = RawPage(
        url=BELARUS_URL,
        final_url=BELARUS_URL,
        body=page_bytes("belarus-article.html"),
        hint_title="Feed title",
        hint_published=hint,
    )
    article = clean_page(page)
    assert article.title == BELARUS_TITLE
    assert article.published is not None
    assert article.published.year == 2025


def test_clean_html_accepts_text_as_well_as_bytes(belarus: Article) -> None:
    text = page_bytes("belarus-article.html").decode("utf-8")
    assert clean_html(text, BELARUS_URL, source="minsk-herald") == belarus


def test_russian_page_loses_its_read_also_headline_and_keeps_the_body() -> None:
    article = clean_html(page_bytes("clean-ru-news.html"), "https://news.example/politika/123")
    assert article.title == "Лукашенко освободил 123 политзаключённых"
    for phrase in ("Мария Колесникова", "Алесь Беляцкий", "Виктор Бабарико", "Николай Статкевич, по данным"):
        assert article.text.count(phrase) == 1
    for furniture in (
        "Читайте также",
        "год не получает от него писем",
        "остаются более тысячи человек",  # a related box inside the body: its headline ...
        "Среди них журналисты, врачи",  # ... and its summary
        "Поделиться",
        "Теги",
        "cookie",
        "Перейти к содержанию",
        "Все права",
    ):
        assert furniture not in article.text
    assert article.language == "ru"
    assert article.author == "Ирина Ковалёва"


def test_paywall_teaser_keeps_the_free_paragraphs_and_drops_the_prompt() -> None:
    article = clean_html(page_bytes("clean-paywall.html"), "https://ledger.example/deal")
    assert paragraphs(article) == [
        "The call that set the release in motion came on a Tuesday evening in late November, when a mid-level "
        "official in Minsk asked whether Washington was still interested in talking about potash.",
        "Three weeks later Maria Kolesnikova walked out of the penal colony in Gomel, one of 123 prisoners freed "
        "under an arrangement that neither government has described in full.",
    ]
    assert article.author == "Peter Lindqvist"


def test_live_blog_keeps_every_entry_and_drops_timestamps_and_share_links() -> None:
    article = clean_html(page_bytes("clean-liveblog.html"), "https://wire.example/live")
    text = article.text
    for entry in (
        "Nobel laureate Ales Bialiatski told",
        "A State Department spokesperson",
        "Relatives gathered outside",
        "Good morning. Reports overnight",
    ):
        assert text.count(entry) == 1
    assert "Washington confirms the sanctions relief" in text  # entry headings stay with their entries
    for furniture in ("18:40", "Copy link", "Share on X", "Load more", "Most read", "Storm closes Riga"):
        assert furniture not in text


def test_body_split_across_repeated_containers_is_kept_whole() -> None:
    article = clean_html(page_bytes("clean-split-body.html"), "https://ledger.example/road-home")
    text = article.text
    for start in (
        "When the buses pulled away",
        "For Viktar Babaryka",
        "Others were less fortunate",
        "Human rights groups count",
        "Diplomats in Vilnius",
    ):
        assert text.count(start) == 1, start
    for furniture in (
        "Advertisement",
        "Sign up",
        "More from Eastern Ledger",
        "potash became the currency",
        "Freedom came suddenly",
    ):
        assert furniture not in text


def test_section_front_is_a_listing_not_an_article() -> None:
    with pytest.raises(PageRejected) as caught:
        clean_html(page_bytes("clean-section-front.html"), "https://review.example/politics/")
    assert caught.value.reason == "listing"  # it has prose (teasers), so "no_article" would not be true


def test_cleaning_is_deterministic(belarus: Article) -> None:
    again = clean_html(page_bytes("belarus-article.html"), BELARUS_URL, source="minsk-herald")
    assert again == belarus


def test_article_written_without_spaces_is_long_enough() -> None:
    # Chinese: \w+ sees one "word" per clause, so size must be counted by characters.
    paragraphs = [
        "白俄罗斯当局周六释放了一百二十三名政治犯，其中包括玛丽亚·科列斯尼科娃和阿莱斯·比亚利亚茨基。",
        "美国方面表示，将放宽对白俄罗斯钾肥出口的制裁，作为这次释放的交换条件。",
        "人权组织指出，仍有一千多人因政治原因被关押，新的逮捕仍在继续。",
    ]
    html = "<html lang='zh'><body><article>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</article></body></html>"
    article = clean_html(html, "https://zh.example/a")
    assert article.text.split("\n\n") == paragraphs
    assert article.language == "zh"


# Boilerplate rules, table-driven: what they catch, and look-alike body text they must leave alone.
SERVICE_TEXT = [
    ("Read also: Statkevich's family has had no letter for a year", "read-also"),
    ("READ MORE: China plague outbreak confirmed", "read-also"),
    ("Related: Possible water plumes on Europa", "read-also"),
    ("Читайте также: Семья Статкевича год не получает писем", "read-also"),
    ("Чытайце таксама: Калеснікава дала першае інтэрв'ю", "read-also"),
    ("Latest", "label"),
    ("Share this article", "label"),
    ("Tags:", "label"),
    ("Поделиться", "label"),
    ("Skip to content", "service"),
    ("Follow us on Telegram and Instagram", "service"),
    ("Reporting by Rodrigo Campos; Editing by Dan Grebler", "service"),
    ("© 2025 Minsk Herald. All rights reserved.", "service"),
    ("Sign up for our free daily newsletter and get the top stories in your inbox.", "promo"),
    ("Subscribe to continue reading.", "promo"),
    ("We use cookies to improve your experience.", "promo"),
]
NOT_SERVICE_TEXT = [
    "More than 100 people were released on Saturday, the ministry said.",
    "Also, the ministry said that the releases would continue.",
    "Follow the money, the investigator said, and you will find the colony.",
    "Latest figures show that more than a thousand people remain in prison.",
    "Listen to what the prisoners say about the colony and you understand the fear.",
    "Readers also asked whether Statkevich was among those released.",
]


@pytest.mark.parametrize(("text", "reason"), SERVICE_TEXT)
def test_service_text_is_recognised(text: str, reason: str) -> None:
    assert bp.is_service_text(text, len(bp.WORD.findall(text))) == reason


@pytest.mark.parametrize("text", NOT_SERVICE_TEXT)
def test_body_sentences_are_not_service_text(text: str) -> None:
    assert bp.is_service_text(text, len(bp.WORD.findall(text))) is None


@pytest.mark.parametrize(
    ("text", "link_words", "teaser"),
    [
        ("SEAN SPICER ELIMINATED FROM 'DANCING WITH THE STARS'", 8, True),
        ("Fears grow over the health of Nikolai Statkevich", 8, True),
        ("Australian-born Assange faces a charge of conspiracy in the US.", 8, False),  # a linked sentence
        ("http://amzn.to/2hXQPDr", 4, False),  # a citation
        ("Statkevich was not on the list", 2, False),  # mostly plain text
        ("[CNET]", 1, False),  # too short to tell
    ],
)
def test_teaser_links(text: str, link_words: int, teaser: bool) -> None:
    assert bp.is_teaser_link(text, len(bp.WORD.findall(text)), link_words) is teaser


@pytest.mark.parametrize(
    ("text", "dateline"),
    [
        ("Published 18 November 2019", True),
        ("sexta-feira, 22 de outubro de 2010 às 20:13", True),
        ("13 декабря 2025, 19:20", True),
        ("UPDATED: Tue., Nov. 19, 2019", True),
        ("Monday November 18, 2019 7:45 am PST", True),
        ("On December 13, Lukashenko ordered the release of 123 political prisoners.", False),
        ("By Hanna Liachovič, 14 December 2025", False),
    ],
)
def test_datelines(text: str, dateline: bool) -> None:
    assert bp.is_dateline(text, len(bp.WORD.findall(text))) is dateline


@pytest.mark.parametrize(
    ("tag", "attrs", "reason"),
    [
        ("div", "relatedStories-box", "related"),
        ("section", "newsletter-signup", "newsletter"),
        ("div", "c-article__share-bar", "share"),
        ("figcaption", "", "figcaption"),
        ("ul", "read-more-links", "read-more"),
        ("div", "article-body entry-content", None),
        ("div", "stage main-content", None),  # "stage" is not "tag"
        ("div", "shareholders-report", None),  # whole words only
    ],
)
def test_noise_class_words(tag: str, attrs: str, reason: str | None) -> None:
    assert bp.noise_reason(tag, attrs, None) == reason


def test_naive_feed_date_becomes_utc() -> None:
    html = (
        "<html><body><div class='story'>"
        "<p>Political prisoner Ihar Losik was moved to a different colony this week, his wife said on Friday.</p>"
        "<p>She learned of the transfer from a letter that arrived eleven days after it was written.</p>"
        "</div></body></html>"
    )
    page = RawPage(
        url="https://e.example/a",
        final_url="https://e.example/a",
        body=html.encode(),
        hint_published=datetime(2025, 12, 1, 12, 0),
    )
    assert clean_page(page).published == datetime(2025, 12, 1, 12, 0, tzinfo=UTC)


def test_threads_can_clean_at_the_same_time(belarus: Article) -> None:
    from concurrent.futures import ThreadPoolExecutor

    body = page_bytes("belarus-article.html")
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: clean_html(body, BELARUS_URL, source="minsk-herald"), range(8)))
    assert all(result == belarus for result in results)


def test_declared_news_brief_is_kept_even_when_short():
    html = """<html><head><title>Statkevich moved</title>
    <script type="application/ld+json">{"@type": "NewsArticle", "headline": "Statkevich moved",
    "datePublished": "2026-11-20T10:00:00Z"}</script></head><body><nav><a href="/">Home</a></nav>
    <article><h1>Statkevich moved</h1><p>Mikalai Statkevich was moved to a prison hospital, his wife said.</p>
    </article><footer>© 2026 Example News</footer></body></html>"""
    article = clean_html(html, "https://news.example/brief")
    assert article.text == "Mikalai Statkevich was moved to a prison hospital, his wife said."
