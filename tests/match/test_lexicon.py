"""The matcher's word frequencies: wordfreq's small lists, read into a compact table per language."""

from __future__ import annotations

import random
import subprocess
import sys

import pytest
import wordfreq

from monitor.match.lexicon import is_common, zipf
from tests.paths import REPO

LANGUAGES = ("en", "ru", "uk", "pl", "cs", "sk", "lt", "hu", "de", "es", "fr", "it", "nl")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_table_gives_wordfreqs_own_frequencies(lang):
    listed = [w for bucket in wordfreq.get_frequency_list(lang, "small") for w in bucket]
    rng = random.Random(lang)
    words = rng.sample(listed, 2000) + [f"zqxw{n}q" for n in range(50)] + ["mróz", "мороз", "путин", "rich"]
    differing = [(w, zipf(w, lang), wordfreq.zipf_frequency(w, lang, wordlist="small")) for w in words
                 if abs(zipf(w, lang) - wordfreq.zipf_frequency(w, lang, wordlist="small")) > 0.011]
    assert differing == []
    assert zipf(listed[0], lang) > 5  # the most frequent word is found, not just missing words


def test_a_language_without_a_list_has_no_everyday_words():
    assert zipf("the", "xx") == 0.0
    assert not is_common("Mróz", "xx")


def test_everyday_words_and_names_are_told_apart_as_before():
    assert [is_common(w, lang) for w, lang in (("Mróz", "pl"), ("Мороз", "ru"), ("Young", "en"))] == [True] * 3
    assert [is_common(w, lang) for w, lang in (("Tusk", "pl"), ("Путин", "ru"), ("Obama", "en"))] == [False] * 3


def test_matching_never_imports_wordfreq():
    """wordfreq's import and its dicts cost ~45 MB in each process that matches (the daemon and every cleaning
    process); the table reads its data files directly."""
    code = ("import sys; from monitor.match import Matcher; from monitor.models import Article, Term, Watchlist; "
            "m = Matcher.build([Watchlist('w', terms=(Term('Anna Mróz'), Term('Keir Starmer')))]); "
            "m.find_hits(Article(url='u', title='Mróz i Starmer', text='Mróz powiedział, że Starmer przyjedzie.')); "
            "print('wordfreq' in sys.modules, 'regex' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert out.stdout.split() == ["False", "False"]
