"""Telling a wall served on every URL from articles: pages compared by their text (issue 15)."""

from __future__ import annotations

import random

from monitor.crawl.fingerprint import TextTally, sample, shingles, similar, visible_text, wall_copies

WALL = ("Checking your browser before accessing the site. Please enable JavaScript and cookies to continue. "
        "This process is automatic. Your browser will redirect to your requested content shortly. "
        "Please allow up to five seconds while we make sure you are not a robot.")


def _challenge(ray: str, headline: str) -> bytes:
    return (f"<html><head><title>{headline}</title><script>var ray='{ray}';</script></head><body>"
            f"<h1>{headline}</h1><p>{WALL}</p><form action='/news/{ray}'><input name=r value='{ray}'></form>"
            f"<p>Ray ID: {ray}</p><!-- {ray} --></body></html>").encode()


def _article(seed: int) -> str:
    rng = random.Random(seed)
    words = ["council", "budget", "river", "tram", "museum", "harbour", "school", "bridge", "court", "prison", "lawyer", "hearing"]
    return " ".join(f"The {rng.choice(words)} {rng.choice(words)} was discussed by the {rng.choice(words)}."
                    for _ in range(30))


def test_a_wall_is_one_text_whatever_its_request_id_and_headline():
    first = visible_text(_challenge("8f3a1b2c3d4e5f60", "Court hears the case of a jailed journalist"))
    second = visible_text(_challenge("0123456789abcdef", "Minsk council votes on the new tram budget"))
    assert first.startswith("Court hears the case of a jailed journalist Checking your browser before")
    assert "var ray" not in first
    assert similar(shingles(first), shingles(second))


def test_articles_are_different_texts_and_spacing_or_case_do_not_matter():
    assert not similar(shingles(_article(1)), shingles(_article(2)))
    assert similar(shingles("The  Council met\non Monday in Minsk."), shingles("the council met on monday in minsk."))


def test_the_tally_keeps_the_largest_group_of_a_run():
    tally = TextTally()

    class Stats(dict):
        def get_value(self, key, default=None):
            return self.get(key, default)

        def set_value(self, key, value):
            self[key] = value

    stats = Stats()
    for n in range(5):
        tally.see(visible_text(_challenge(f"{n:016x}", f"Headline number {n} of the day")), stats)
    tally.see(_article(7), stats)
    tally.see("", stats)
    assert stats["monitor/same_text/pages"] == 5
    assert stats["monitor/same_text/sample"].startswith("Headline number 0 of the day Checking your browser")


def test_wall_copies_finds_repeated_texts_and_a_single_copy_by_its_start():
    texts = [("a", WALL + " one"), ("b", _article(3)), ("c", WALL + " two"), ("d", _article(4))]
    assert wall_copies(texts, "") == ["a", "c"]
    assert wall_copies([("a", WALL), ("b", _article(3))], sample(WALL)) == ["a"]
    assert wall_copies([("b", _article(3)), ("d", _article(4))], sample(WALL)) == []


def test_hostile_markup_costs_little_and_gives_plain_text():
    assert visible_text(b"<script>" * 30000 + b"<" * 100000) == ""  # all inside an unclosed script
    assert visible_text(b"<p>" + b"<" * 100000) == "<" * 100000
    assert visible_text(b"") == ""
    assert len(sample("word " * 100)) == 100
