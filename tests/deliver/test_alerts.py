"""Rendering alerts: who, where, context; article text escaped in every format."""

from __future__ import annotations

from monitor.deliver.alerts import escape_markdown, render, render_digest, subject_for

PAYLOAD = {
    "article": {"url": "https://news.example/belarus", "title": "Belarus frees 123 political prisoners",
                "source": "news-example", "published": "2026-11-24T10:00:00+00:00"},
    "new_terms": ["Maria Kalesnikava", "Ales Bialiatski"],
    "also_reported_by": ["other-site"],
    "hits": [
        {"term": "Maria Kalesnikava", "found": "Maryja Kalesnikawa", "field": "text", "reason": "transliteration",
         "snippet": "figures like Maryja Kalesnikawa, Ales Bjaljazki, and", "start": 5, "end": 23},
        {"term": "Ales Bialiatski", "found": "Ales Bjaljazki", "field": "text", "reason": "transliteration",
         "snippet": "figures like Maryja Kalesnikawa, Ales Bjaljazki, and", "start": 25, "end": 39},
        {"term": "Viktar Babaryka", "found": "Viktor Babariko", "field": "text", "reason": "transliteration",
         "snippet": "old news", "start": 50, "end": 60},
    ],
}


def test_subject_names_the_people_and_the_headline():
    assert subject_for(PAYLOAD) == "Maria Kalesnikava, Ales Bialiatski: Belarus frees 123 political prisoners"


def test_bodies_show_spelling_source_url_date_and_snippet():
    message = render(PAYLOAD)
    for body in (message.text, message.html):
        assert "Maryja Kalesnikawa" in body
        assert "Ales Bjaljazki" in body
        assert "news-example" in body
        assert "https://news.example/belarus" in body
        assert "2026-11-24" in body
        assert "other-site" in body
    assert "Viktor Babariko" not in message.text  # only the terms this alert is about
    assert "<mark>Maryja Kalesnikawa</mark>" in message.html
    assert "**Maryja Kalesnikawa**" in message.markdown


def test_hostile_headline_is_escaped_everywhere():
    payload = {**PAYLOAD, "article": {**PAYLOAD["article"], "title": "<script>alert(1)</script> *bold* [x](y)"}}
    message = render(payload)
    assert "<script>" not in message.html
    assert "&lt;script&gt;" in message.html
    assert "\\*bold\\*" in message.markdown
    assert "\\[x\\](y)" in message.markdown


def test_escape_markdown_leaves_plain_words():
    assert escape_markdown("Kalesnikava said") == "Kalesnikava said"
    assert escape_markdown("a_b") == "a\\_b"


def test_digest_lists_every_story_and_name():
    other = {**PAYLOAD, "article": {**PAYLOAD["article"], "url": "https://x.example/2", "title": "Second"},
             "new_terms": ["Viktar Babaryka"]}
    message = render_digest("prisoners", [PAYLOAD, other])
    assert "2 stories" in message.title
    assert "Viktar Babaryka" in message.title
    assert "https://x.example/2" in message.text
    assert "https://news.example/belarus" in message.html


def test_user_template_replaces_the_built_in_one(tmp_path):
    (tmp_path / "subject.txt.j2").write_text("[{{ source }}] {{ names | map(attribute='term') | join(' + ') }}")
    (tmp_path / "alert.html.j2").write_text("<p>{{ title }}</p>")
    payload = {**PAYLOAD, "article": {**PAYLOAD["article"], "title": "<i>x</i>"}}
    message = render(payload, str(tmp_path))
    assert message.title == "[news-example] Maria Kalesnikava + Ales Bialiatski"
    assert message.html == "<p>&lt;i&gt;x&lt;/i&gt;</p>"  # still escaped in a user's template
    assert "Maryja Kalesnikawa" in message.text  # files not overridden stay built in


def test_long_chat_message_is_cut_to_fit():
    hits = [{"term": f"Name {i}", "found": f"Name {i}", "field": "text", "reason": "exact", "start": 0, "end": 6,
             "snippet": f"a long context sentence about Name {i} " * 4} for i in range(80)]
    payload = {**PAYLOAD, "new_terms": [f"Name {i}" for i in range(80)], "hits": hits}
    markdown = render(payload).markdown
    assert len(markdown) <= 3500
    assert markdown.endswith("full alert by e-mail)")


def test_markdown_puts_each_name_and_its_quote_on_their_own_lines():
    lines = render(PAYLOAD).markdown.splitlines()
    assert "• **Maria Kalesnikava** (Maryja Kalesnikawa)" in lines
    assert "> figures like **Maryja Kalesnikawa**, Ales Bjaljazki, and" in lines


# issue 13: the page's own day and offset, and its authors, in every format
def test_meta_line_keeps_the_pages_own_time_and_names_the_authors():
    article = {**PAYLOAD["article"], "published": "2025-12-03T22:00:00-08:00", "authors": ["Anna Kowalska", "Jan Nowak"]}
    message = render({**PAYLOAD, "article": article})
    for body in (message.text, message.html, message.markdown):
        assert "2025-12-03 22:00 UTC-08:00" in body  # not the 4th, as converting to UTC would have it
        assert "by Anna Kowalska, Jan Nowak" in body


def test_utc_times_read_as_before():
    assert "2026-11-24 10:00 UTC" in render(PAYLOAD).text
