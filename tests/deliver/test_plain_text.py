"""The text/plain part of an alert e-mail, as a real SMTP server receives it from apprise (issue 16, item 9): one
line per name, each quote on its own line, a blank line between names, and no passage quoted twice."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from monitor.deliver.notify import Dispatcher, watch_targets
from monitor.models import Article, Hit, Watchlist
from monitor.store.database import Store
from tests.receivers import SmtpSink, body_html

TITLE = "Esper accuses China of 'coercion' in South China Sea"
LEAD = ("HANOI, Vietnam (AP) — U.S. Defense Secretary Mark Esper accused China on Wednesday of 'coercion' in the "
        "South China Sea")


def text_part(message) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None, "no text/plain part"
    return part.get_content()


def send(tmp_path, articles: list[tuple[Article, list[Hit]]], *, mode: str = "instant") -> list:
    store = Store(tmp_path / "m.db")
    try:
        with SmtpSink() as smtp:
            watchlists = (Watchlist("desk", notify=(smtp.url(),), mode=mode, digest="hourly" if mode == "digest"
                                    else None),)
            for n, (article, hits) in enumerate(articles):
                store.save_article(article, f"h{n}", f"story-{n}", hits, alertable=True,
                                   targets={"desk": (smtp.url(),)}, modes={"desk": mode})
            dispatcher = Dispatcher(store, lambda: watch_targets(watchlists))
            if mode == "digest":
                asyncio.run(dispatcher.send_digest("desk"))
            else:
                asyncio.run(dispatcher.send_due())
            return smtp.messages
    finally:
        store.close()


def esper_article() -> tuple[Article, list[Hit]]:
    article = Article(url="https://news.example/esper", title=TITLE, text=f"{LEAD}. …", source="wire",
                      published=datetime(2026, 11, 20, 9, 30, tzinfo=UTC))
    hits = [
        Hit("desk", "Mark Esper", "Esper", "title", 0, 5, TITLE),
        Hit("desk", "Mark Esper", "Mark Esper", "text", 45, 55, f"{LEAD}…"),
        # the same passage again, as a second, overlapping snippet of the lead
        Hit("desk", "Mark Esper", "Esper", "text", 50, 55, f"…Defense Secretary Mark Esper accused China on Wednesday "
                                                         "of 'coercion' in the South China Sea…"),
        Hit("desk", "Mark Esper", "Esper", "text", 300, 305, "…Esper told reporters the patrols would go on."),
        Hit("desk", "Ngo Xuan Lich", "Ngo Xuan Lich", "text", 120, 133,
            "…met his Vietnamese counterpart Ngo Xuan Lich in Hanoi…"),
    ]
    return article, hits


def test_plain_text_part_has_a_line_per_name_and_per_quote(tmp_path):
    (message,) = send(tmp_path, [esper_article()])
    assert text_part(message).splitlines() == [
        TITLE,
        "wire · 2026-11-20 09:30 UTC",
        "https://news.example/esper",
        "",
        "Mark Esper — written: Esper, Mark Esper (in the headline)",
        f"“{LEAD}…”",
        "“…Esper told reporters the patrols would go on.”",
        "",
        "Ngo Xuan Lich — written: Ngo Xuan Lich",
        "“…met his Vietnamese counterpart Ngo Xuan Lich in Hanoi…”",
    ]
    html = body_html(message)
    assert "<mark>Mark Esper</mark>" in html
    assert html.count("accused China on Wednesday") == 1  # the overlapping snippet is not quoted again
    assert html.count(TITLE.replace("'", "&#39;")) == 1  # the headline, not also a quote of it


def test_a_name_found_only_in_the_headline_is_said_to_be_there(tmp_path):
    article = Article(url="https://news.example/losik", title="Ihar Losik released", text="No names here. " * 20,
                      source="wire")
    (message,) = send(tmp_path, [(article, [Hit("desk", "Ihar Losik", "Ihar Losik", "title", 0, 10,
                                               "Ihar Losik released")])])
    lines = text_part(message).splitlines()
    assert lines[0] == "Ihar Losik released"
    assert lines[-1] == "Ihar Losik — written: Ihar Losik (in the headline)"
    assert lines.count("“Ihar Losik released”") == 0


def test_digest_text_keeps_stories_and_names_apart(tmp_path):
    other = Article(url="https://news.example/lich", title="Vietnam hosts talks", text="…", source="paper")
    (message,) = send(tmp_path, [esper_article(), (other, [Hit("desk", "Ngo Xuan Lich", "Lich", "text", 0, 4,
                                                              "…Lich said the talks were useful.")])],
                      mode="digest")
    lines = text_part(message).splitlines()
    assert "Mark Esper — written: Esper, Mark Esper (in the headline)" in lines
    assert "Ngo Xuan Lich — written: Lich" in lines
    assert "“…Lich said the talks were useful.”" in lines
    assert "Vietnam hosts talks" in lines
    assert all(len(line) < 200 for line in lines)  # nothing run together on one line


def test_a_post_e_mail_has_a_line_per_name_and_keeps_the_posts_own_lines(tmp_path):
    text = ("Суд у Гомелі прысудзіў Марыю Калеснікаву і Алеся Бяляцкага да новых тэрмінаў.\n\n"
            "Праваабаронцы паведамляюць, што прысуд агучылі за зачыненымі дзвярыма.\n"
            "Падрабязнасці: https://spring96.example/news/1")
    post = Article(url="https://t.me/viasna96/12345", title=text.split("\n")[0], text=text, source="tg-viasna",
                   published=datetime(2026, 11, 20, 9, 30, tzinfo=UTC), kind="post")
    first, second = text.index("Марыю Калеснікаву"), text.index("Алеся Бяляцкага")
    hits = [Hit("desk", "Maria Kalesnikava", "Марыю Калеснікаву", "text", first, first + 17, text[:60], "inflection"),
            Hit("desk", "Ales Bialiatski", "Алеся Бяляцкага", "text", second, second + 15, text[:60], "inflection")]
    (message,) = send(tmp_path, [(post, hits)])
    lines = text_part(message).splitlines()
    assert lines[:2] == ["tg-viasna · 2026-11-20 09:30 UTC", "https://t.me/viasna96/12345"]
    names = [n for n, line in enumerate(lines) if " — written: " in line]
    assert [lines[n] for n in names] == ["Maria Kalesnikava — written: Марыю Калеснікаву",
                                         "Ales Bialiatski — written: Алеся Бяляцкага"]
    assert names[1] == names[0] + 1  # one line per name, together, before the post
    body = lines[names[1] + 1:]
    for line in text.split("\n"):
        if line:
            assert line in body  # each of the post's lines on a line of its own
    assert "<mark>Марыю Калеснікаву</mark>" in body_html(message)
