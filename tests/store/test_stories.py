"""One story, one alert: syndicated and lightly edited copies on other sites group into one story."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from monitor.store.stories import BANDS, CONTAINMENT, LSH_THRESHOLD, ROWS, StoryIndex, signature
from tests.daemon_process import belarus_page, monitor, run_once, write_config
from tests.receivers import SmtpSink
from tests.servers import NewsSite, article_html, rss_feed

BODY = [
    "The year 2025 marked a turning point for both the United States and Belarus. In Washington, Donald "
    "Trump's return to the presidency reshaped global politics. Meanwhile, in Minsk, a long-awaited shift brought "
    "cautious optimism as President Alexander Lukaschenko took unexpected steps toward reconciliation.",
    "For years, Belarusians had faced growing disillusionment after the failed 2020 revolution. But 2025 brought a "
    "glimmer of change. On December 13, Lukaschenko ordered the release of 123 political prisoners, including "
    "well-known opposition figures like Maryja Kalesnikawa, Ales Bjaljazki, and Viktor Babariko.",
    "While no single politico dominated the headlines, Nikolai Statkevich stood out for his persistent advocacy. "
    "Alongside others, he kept the push for democratic reforms alive, even as many had given up hope.",
]
OTHER_REPORT = (
    "Maria Kalesnikava walked out of prison on Saturday and crossed into Lithuania by bus, her sister told "
    "reporters in Vilnius. The flautist turned campaign manager had spent more than five years behind bars, much "
    "of it in solitary confinement, and looked frail in the first photographs published by her supporters. She "
    "thanked diplomats from several countries and said she would rest before deciding what to do next."
)


def test_copies_score_above_and_other_reports_below_the_threshold():
    original = " ".join(BODY)
    edited = " ".join(BODY[:2]) + " A paragraph the second site added about the reaction in Vilnius. " + BODY[2]
    index = StoryIndex()
    index.add("a", "story-a", signature(original))
    assert index.find("b", signature(edited)) == "story-a"
    assert index.find("c", signature(OTHER_REPORT)) is None
    assert signature("too short to judge") is None


# Two reports of different events from one outlet that share a long quote and a background paragraph, and
# a much shorter earlier brief on a third event carrying the same background: each pair overlaps
# (containment ~0.5) enough to be an LSH candidate, but not enough to be a copy.
_QUOTE = (
    '"Every week we learn of new arrests, of people taken from their homes at dawn for a comment or a '
    'donation made years ago, and every week the families come to us because they have nowhere else to '
    'go," the centre\'s spokeswoman told reporters.'
)
_BACKGROUND = (
    "Belarus holds more than a thousand political prisoners, according to the human rights centre Viasna, "
    "which counts everyone jailed since the disputed presidential election of August 2020 and the protests "
    "that followed it. Many were sentenced under articles on mass disorder, insulting the president or "
    "creating an extremist group, and several have died in custody. The authorities deny holding anyone "
    "for political reasons and call the detainees criminals and foreign agents."
)
VERDICT = (
    "A court in Homiel sentenced a retired schoolteacher to four years in a penal colony on Tuesday for "
    "comments she left under a news article in 2021. The woman, 67, pleaded not guilty and told the judge "
    "she had only asked why the police beat her neighbour's son. Her daughter, who lives in Warsaw, said the "
    "family learned of the verdict from a lawyer by phone. Prosecutors had asked for five years. The judge, who "
    "has sentenced dozens of people in similar cases since 2021, gave no reasons in open court and closed the "
    "hearing after forty minutes. Supporters who tried to attend were kept outside by police officers in plain "
    "clothes and had their passports photographed. The teacher's former pupils wrote to the court to describe "
    "her as kind and strict, and several signed their letters with their full names despite the risk. "
    + _QUOTE + " " + _BACKGROUND
)
BORDER_ARREST = (
    "Border guards detained a railway engineer returning from Lithuania at the Kamenny Log crossing on Friday "
    "and searched his phone for subscriptions to independent news channels, his wife said. He was taken to "
    "Minsk and charged with financing extremism over a transfer of twenty euros to a strike fund. Friends have "
    "started collecting money for his defence. The engineer, 41, had worked for the state railway for nineteen "
    "years and travelled to Vilnius to visit his elderly mother, who moved there in 2022. Customs officers also "
    "confiscated a laptop and two books in Belarusian, according to a relative. Human rights groups say checks "
    "of travellers' phones at the border have become routine since last spring, and that dozens of returning "
    "emigrants have been questioned. " + _QUOTE + " " + _BACKGROUND
)
EARLIER_BRIEF = (
    "Police in Mahiliou detained three students after a concert on Saturday, a local channel reported. The "
    "students, who play in a folk band, were held overnight at a district station and released the next morning "
    "without charge after their phones were checked. Their band had performed songs in Belarusian at a private "
    "venue, and organisers said the audience of about sixty people was also asked for documents. " + _BACKGROUND
)


@pytest.mark.parametrize(("first", "second"), [
    (VERDICT, BORDER_ARREST),  # a shared quote and background paragraph
    (EARLIER_BRIEF, VERDICT),  # the outlet's earlier, much shorter brief on another event
    (VERDICT, EARLIER_BRIEF),
], ids=["shared-quote-and-background", "brief-then-article", "article-then-brief"])
def test_reports_of_different_events_that_share_passages_stay_separate_stories(first, second):
    index = StoryIndex()
    index.add("first", "story-first", signature(first))
    probe = signature(second)
    # The pair must reach the scoring step (an LSH candidate) with real but partial overlap, so that it
    # is the score, not the index, that keeps them apart.
    assert "first" in index.candidates(probe)
    assert 0.25 <= index.containment(probe, "first") < CONTAINMENT
    assert index.find("second", signature(second)) is None


def test_the_index_finds_the_candidates_datasketchs_minhashlsh_finds():
    """Our banding is datasketch's MinHashLSH for the same threshold, without its scipy import and objects."""
    import random

    from datasketch.lsh import MinHashLSH
    from datasketch.minhash import MinHash

    from monitor.store.minhash import NUM_PERM, SCHEME

    reference = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    assert (reference.b, reference.r) == (BANDS, ROWS)
    rng = random.Random(5)
    words = [f"w{n}" for n in range(400)]
    base = [rng.choice(words) for _ in range(300)]
    texts = [" ".join(base[:200 + 10 * k] + [rng.choice(words) for _ in range(40 * k)]) for k in range(12)]
    texts += [" ".join(rng.choice(words) for _ in range(250)) for _ in range(12)]
    index = StoryIndex()
    for n, text in enumerate(texts):
        values = signature(text)
        assert values is not None
        minhash = MinHash(num_perm=NUM_PERM, hashvalues=values[:NUM_PERM], scheme=SCHEME)
        assert index.candidates(values) == set(reference.query(minhash)), n
        index.add(f"u{n}", f"s{n}", values)
        reference.insert(f"u{n}", minhash)
    assert sum(len(index.candidates(signature(t))) > 1 for t in texts) >= 10  # the copies did meet in bands


def test_three_sites_one_story_one_alert_and_a_different_report_alerts_separately(tmp_path):
    now = datetime.now(UTC).replace(microsecond=0)
    published = now - timedelta(hours=1)
    with NewsSite() as a, NewsSite() as b, NewsSite() as c, SmtpSink() as smtp:
        pages = {
            a: ("/news/belarus.html", "Belarus frees 123 political prisoners",
                belarus_page(a.url(), published, "belarus")),
            b: ("/world/2026/belarus-release", "Minsk releases 123 prisoners in rare gesture",
                article_html("Minsk releases 123 prisoners in rare gesture", "\n\n".join(BODY), published=published)),
            c: ("/europe/belarus-prisoners", "Belarus frees prisoners",
                article_html("Belarus frees prisoners", "\n\n".join(
                    [*BODY, "Exiled opposition leaders in Vilnius welcomed the releases but said hundreds remain "
                            "behind bars and called for the pressure to be kept up."]), published=published)),
        }
        for site, (path, title, html) in pages.items():
            site.add_robots("User-agent: *\nAllow: /\n")
            site.add_page(path, html)
            entries = [(path, title, published)]
            if site is c:
                site.add_page("/news/kalesnikava-free.html", article_html("Kalesnikava crosses into Lithuania",
                                                                          OTHER_REPORT, published=published))
                entries.append(("/news/kalesnikava-free.html", "Kalesnikava crosses into Lithuania", published))
            site.add_page("/feed.xml", rss_feed(site.url(), entries), content_type="application/rss+xml")
        sources = [(f"site-{n}", s.url("/feed.xml"), "feed") for n, s in zip("abc", (a, b, c), strict=True)]
        config = write_config(tmp_path, sources, [smtp.url()], monitor="workers = 1")
        result = run_once(config)
        assert result.returncode == 0, result.stderr
        assert run_once(config).returncode == 0
        subjects = sorted(str(m["Subject"]) for m in smtp.messages)
    assert len(subjects) == 2, subjects
    assert sum("Kalesnikava crosses into Lithuania" in s for s in subjects) == 1
    db = sqlite3.connect(tmp_path / "monitor.db")
    stories = db.execute("SELECT story, count(*) FROM articles GROUP BY story ORDER BY 2 DESC").fetchall()
    assert [n for _, n in stories] == [3, 1]
    listing = monitor(config, "alerts").stdout
    assert "+2 more" in listing


def test_one_article_reached_by_tracking_and_alternate_links_alerts_once(tmp_path):
    published = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    with NewsSite() as site, SmtpSink() as smtp:
        site.add_robots("User-agent: *\nAllow: /\n")
        page = belarus_page(site.url(), published, "belarus")  # its rel=canonical is /news/belarus.html
        site.add_page("/news/belarus.html", page)
        site.add_page("/amp/news/belarus.html", page.replace("<body>", "<body><p>AMP version</p>"))
        entries = [("/news/belarus.html?utm_source=rss&utm_medium=feed#top", "Belarus frees prisoners", published),
                   ("/news/belarus.html?fbclid=abc123", "Belarus frees prisoners", published),
                   ("/amp/news/belarus.html", "Belarus frees prisoners (AMP)", published)]
        site.add_page("/feed.xml", rss_feed(site.url(), entries), content_type="application/rss+xml")
        config = write_config(tmp_path, [("site", site.url("/feed.xml"), "feed")], [smtp.url()])
        assert run_once(config).returncode == 0
        assert len(smtp.messages) == 1
        assert site.count("/news/belarus.html") == 1  # tracking variants were one URL before fetching
    db = sqlite3.connect(tmp_path / "monitor.db")
    assert db.execute("SELECT count(DISTINCT story) FROM articles").fetchone()[0] == 1


POST = ("Maria Kalesnikava was sentenced in absentia to another three years on Tuesday by the Minsk city court, on "
        "a charge of insulting the president, her lawyer said.")


def test_a_short_post_is_found_inside_a_longer_article_that_quotes_it():
    index = StoryIndex()
    index.add("https://t.me/viasna_test/12", "post-story", signature(POST), "tg-viasna")
    article = " ".join([BODY[0], POST, BODY[1], BODY[2]])
    assert index.find("https://news.example/a", signature(article), "news") == "post-story"
    assert index.find("https://news.example/b", signature(" ".join(BODY)), "news") is None
    # The same text from the same source is that source's template, not the same news.
    assert index.find("https://t.me/viasna_test/13", signature(POST + " Updated."), "tg-viasna") is None
    assert signature("Kalesnikava sentenced again today in Minsk") is None, "a headline alone is too short to judge"


def test_only_a_short_texts_exact_shingles_are_stored_and_they_rebuild_the_index():
    long_text = " ".join([*BODY, OTHER_REPORT])
    assert len(StoryIndex.storable(signature(long_text))) == (128 + 1) * 4
    stored = StoryIndex.storable(signature(POST))
    index = StoryIndex()
    index.load([("https://t.me/viasna_test/12", "post-story", stored, "tg-viasna")])
    assert index.find("https://news.example/a", signature(BODY[0] + " " + POST), "news") == "post-story"


_SHARED_BACKGROUND = (
    "Belarus holds more than a thousand political prisoners, according to the human rights centre Viasna, which "
    "counts everyone jailed since the disputed presidential election of August 2020 and the protests that followed "
    "it. Many were sentenced under articles on mass disorder or insulting the president."
)


def test_a_short_post_that_shares_only_a_background_paragraph_with_an_article_stays_apart():
    post = "Police in Mahiliou detained three students after a folk concert on Saturday. " + _SHARED_BACKGROUND
    article = (" ".join(BODY) + " A court in Homiel sentenced a retired teacher to four years on Tuesday for "
               "comments she left under a news article. " + _SHARED_BACKGROUND)
    index = StoryIndex()
    index.add("https://t.me/viasna_test/20", "post-story", signature(post), "tg-viasna")
    assert index.find("https://news.example/homiel", signature(article), "news") is None
    # The same background after the same news is the same story.
    quoting = " ".join(BODY[:1]) + " " + post + " " + BODY[2]
    assert index.find("https://news.example/mahiliou", signature(quoting), "news") == "post-story"
