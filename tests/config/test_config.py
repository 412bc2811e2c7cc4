"""config.toml loading: every bad file names file, line and key; secrets never leak; the shipped file loads."""

from __future__ import annotations

import re
import textwrap
import tomllib
from pathlib import Path

import pytest

from monitor.config.durations import format_duration, parse_digest
from monitor.config.loader import (
    CONFIG_KEYS,
    MonitorSettings,
    config_summary,
    default_config_path,
    load_config,
    parse_duration,
    parse_size,
)
from monitor.config.locate import format_key, key_lines, locate
from monitor.errors import ConfigError
from monitor.models import Term
from tests.paths import REPO

SECRET = "Hunter2-S3cret-Passw0rd"
ENV = {"SMTP_USER": "desk-bot", "SMTP_PASS": SECRET}
GOOD_MAIL = "mailtos://${SMTP_USER}:${SMTP_PASS}@example.org?to=desk@example.org"


def write(folder: Path, text: str, name: str = "config.toml") -> Path:
    """Write a config file from an indented literal; line 1 is the literal's first line."""
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


# (id, config text, line, key, part of the message). Line numbers count from the first line of the text.
BAD_CONFIGS = [
    ("bad-toml", """\
        [monitor]
        interval = 
        """, 2, "", "invalid TOML: Invalid value (at line 2, column"),
    ("unknown-top-level-key", """\
        [monitor]
        interval = "10m"

        [watchlist.pp]
        terms = ["Ales Bialiatski"]
        """, 4, "watchlist",
     "unknown key 'watchlist'; did you mean 'watchlists'? (allowed here: monitor, sources, watchlists)"),
    ("unknown-source-key", """\
        [[sources]]
        name = "a"
        url = "https://example.org/rss"
        intervall = "10m"
        """, 4, "sources[0].intervall", "did you mean 'interval'?"),
    ("unknown-term-key", """\
        [watchlists.pp]
        terms = [
          "Maxim Znak",
          { term = "Ales Bialiatski", alias = ["Алесь Бяляцкі"] },
        ]
        """, 4, "watchlists.pp.terms[1].alias", "did you mean 'aliases'?"),
    ("wrong-type-bool", """\
        [monitor]
        obey_robots = "yes"
        """, 2, "monitor.obey_robots", "expected true or false, got a string ('yes')"),
    ("match-credits-not-a-bool", """\
        [watchlists.journalists]
        terms = ["Andrzej Poczobut"]
        match_credits = "yes"
        """, 3, "watchlists.journalists.match_credits", "expected true or false, got a string ('yes')"),
    ("match-credits-misspelt", """\
        [watchlists.journalists]
        terms = ["Andrzej Poczobut"]
        match_credit = true
        """, 3, "watchlists.journalists.match_credit", "did you mean 'match_credits'?"),
    ("wrong-type-int", """\
        [monitor]
        concurrency_per_domain = 2.5
        """, 2, "monitor.concurrency_per_domain", "expected a whole number (at least 1), got a float (2.5)"),
    ("duration-without-unit", """\
        [monitor]
        interval = 600
        """, 2, "monitor.interval", "expected a duration string like"),
    ("bad-interval", """\
        [[sources]]
        name = "a"
        url = "https://example.org/rss"
        interval = "10x"
        """, 4, "sources[0].interval", "unknown unit 'x'"),
    ("interval-too-short", """\
        [monitor]
        interval = "0"
        """, 2, "monitor.interval", "must be at least 1s, got '0'"),
    ("bad-size", """\
        [monitor]
        max_page_size = "10 parsecs"
        """, 2, "monitor.max_page_size", "expected a size like '512KB' or '10MB'"),
    ("bad-apprise-url", """\
        [watchlists.pp]
        terms = ["Ihar Losik"]
        notify = [
          "mailtos://${SMTP_USER}:${SMTP_PASS}@example.org?to=desk@example.org",
          "nosuch://x",
        ]
        """, 5, "watchlists.pp.notify[1]", "apprise cannot use 'nosuch://…'"),
    ("bad-admin-url", """\
        [monitor]
        admin_notify = ["nosuch://user:${SMTP_PASS}@x"]
        """, 2, "monitor.admin_notify[0]", "apprise cannot use"),
    ("notify-not-a-list", """\
        [watchlists.pp]
        terms = ["Ihar Losik"]
        notify = "mailtos://${SMTP_USER}:${SMTP_PASS}@example.org?to=desk@example.org"
        """, 3, "watchlists.pp.notify", 'got a single string; put it in brackets: ["..."]'),
    ("unknown-source-type", """\
        [[sources]]
        name = "a"
        url = "https://example.org/rss"
        type = "rss"
        """, 4, "sources[0].type", "expected one of feed, sitemap, listing, page, telegram, got 'rss'"),
    ("missing-env-var", """\
        [watchlists.pp]
        terms = ["Ihar Losik"]
        notify = ["tgram://${TELEGRAM_TOKEN}/123"]
        """, 3, "watchlists.pp.notify[0]", "environment variable TELEGRAM_TOKEN is not set"),
    ("malformed-env-ref", """\
        [monitor]
        redis_url = "redis://:${REDIS PASSWORD}@127.0.0.1/0"
        """, 2, "monitor.redis_url", "malformed ${...} reference"),
    ("bad-timezone", """\
        [monitor]
        timezone = "Europe/Minks"
        """, 2, "monitor.timezone", "unknown time zone 'Europe/Minks'; did you mean 'Europe/Minsk'?"),
    ("bad-regex", """\
        [[sources]]
        name = "viasna"
        url = "https://spring96.org/en/news"
        type = "listing"
        article_pattern = 'news/(\\d+'
        """, 5, "sources[0].article_pattern", "invalid regular expression: missing ), unterminated subpattern"),
    ("bad-digest", """\
        [watchlists.pp]
        terms = ["Ihar Losik"]
        mode = "digest"
        digest = "daily 25:00"
        """, 4, "watchlists.pp.digest", "no such time of day 25:00"),
    ("digest-mode-without-schedule", """\
        [watchlists.pp]
        terms = ["Ihar Losik"]
        mode = "digest"
        """, 3, "watchlists.pp.mode", 'needs a schedule: digest = "daily 08:00"'),
    ("duplicate-source-name", """\
        [[sources]]
        name = "meduza"
        url = "https://meduza.io/rss/en/all"

        [[sources]]
        name = "Meduza"
        url = "https://meduza.io/rss/all"
        """, 6, "sources[1].name", "duplicate source name 'Meduza': sources[0] has it already"),
    ("duplicate-watchlist-name", """\
        [watchlists.pp]
        terms = ["Ihar Losik"]

        [watchlists.PP]
        terms = ["Maxim Znak"]
        """, 4, "watchlists.PP", "duplicate watchlist name: 'pp' differs only in case"),
    ("empty-watchlist", """\
        [watchlists.pp]
        exclude = ["football"]
        """, 1, "watchlists.pp", "has no terms and no queries"),
    ("missing-source-url", """\
        [[sources]]
        name = "a"
        url = "https://example.org/rss"

        [[sources]]
        name = "b"
        """, 5, "sources[1]", 'missing required key "url"'),
    ("source-url-not-http", """\
        [[sources]]
        name = "a"
        url = "https://example.org/rss"

        [[sources]]
        name = "b"
        url = "htp://x"
        """, 7, "sources[1].url", "expected an http(s) URL, got 'htp://x'"),
    ("page-source-non-url", """\
        [[sources]]
        name = "cases"
        url = "https://example.org/a"
        type = "page"
        urls = [
          "https://example.org/b",
          "example.org/c",
        ]
        """, 7, "sources[0].urls[1]", "expected an http(s) URL, got 'example.org/c'"),
    ("malformed-ipv6-url", """\
        [[sources]]
        name = "a"
        url = "http://[::1/rss"
        """, 3, "sources[0].url", "expected an http(s) URL, got 'http://[::1/rss'"),
    ("urls-on-a-feed", """\
        [[sources]]
        name = "a"
        url = "https://example.org/rss"
        urls = ["https://example.org/b"]
        """, 4, "sources[0].urls", 'is only used with type = "page", this source is type = "feed"'),
    ("sources-as-table", """\
        [sources]
        name = "a"
        """, 1, "sources", "expected an array of tables, written [[sources]], got a table"),
    ("bad-source-name", """\
        [[sources]]
        name = "Nasha Niva"
        url = "https://nashaniva.com/rss"
        """, 2, "sources[0].name", "e.g. 'nasha-niva'; got 'Nasha Niva'"),
    ("empty-term", """\
        [watchlists.pp]
        terms = ["Ihar Losik", "  "]
        """, 2, "watchlists.pp.terms[1]", "must not be empty"),
    ("notify-config-missing-file", """\
        [watchlists.pp]
        terms = ["Ihar Losik"]
        notify_config = "apprise.yml"
        """, 3, "watchlists.pp.notify_config", "no such file:"),
    ("notify-tags-without-config", """\
        [watchlists.pp]
        terms = ["Ihar Losik"]
        notify_tags = ["desk"]
        """, 3, "watchlists.pp.notify_tags", "selects services from notify_config, which is not set"),
    ("bad-redis-url", """\
        [monitor]
        redis_url = "http://127.0.0.1:6379"
        """, 2, "monitor.redis_url", "expected a redis://, rediss:// or unix:// URL"),
    ("telegram-invite-link", """\
        [[sources]]
        name = "tg"
        url = "https://t.me/+AbCdEf12345"
        type = "telegram"
        """, 3, "sources[0].url", "is an invite link to a private chat; only public channels can be read"),
    ("telegram-post-link", """\
        [[sources]]
        name = "tg"
        type = "telegram"
        url = "https://t.me/s/viasna96/12345"
        """, 4, "sources[0].url", "links to one post; use the channel's address, https://t.me/viasna96"),
    ("telegram-channel-as-feed", """\
        [[sources]]
        name = "tg"
        url = "https://t.me/viasna96"
        """, 1, "sources[0].type", 'https://t.me/viasna96 is a Telegram channel: write type = "telegram"'),
    ("bare-number-quiet-after", """\
        [monitor]
        unhealthy_after = 3
        quiet_after = 24
        """, 3, "monitor.quiet_after", 'expected a duration string like "30s", "10m", "1h30m" or "1d", '
        'got an integer (24)'),
    ("misspelt-quiet-after", """\
        [monitor]
        quite_after = "24h"
        """, 2, "monitor.quite_after", "unknown key 'quite_after'; did you mean 'quiet_after'?"),
]


@pytest.mark.parametrize(("text", "line", "key", "message"), [c[1:] for c in BAD_CONFIGS],
                         ids=[c[0] for c in BAD_CONFIGS])
def test_bad_config_names_file_line_and_key(tmp_path: Path, text: str, line: int, key: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path, environ=ENV)
    error = caught.value
    assert (error.path, error.line, error.key) == (str(path), line, key)
    assert message in error.message
    prefix = f"{path}:{line}: {key}: " if key else f"{path}:{line}: "
    assert str(error).startswith(prefix)
    assert SECRET not in str(error)
    assert error.exit_code == 2


def test_example_message_from_the_issue(tmp_path: Path) -> None:
    path = write(tmp_path, """\
        [[sources]]
        name = "a"
        url = "https://example.org/rss"

        [[sources]]
        name = "b"
        url = "https://example.org/rss2"

        [[sources]]
        name = "c"
        # a comment line
        url = "htp://x"
        """)
    with pytest.raises(ConfigError) as caught:
        load_config(path, environ={})
    assert str(caught.value) == f"{path}:12: sources[2].url: expected an http(s) URL, got 'htp://x'"


@pytest.mark.parametrize("text", [
    'admin_notify = ["nosuch://user:${SMTP_PASS}@example.org"]',
    'admin_notify = ["json://${SMTP_PASS}/hook", "nosuch://x"]',
    'interval = "${SMTP_PASS}"',
    'timezone = "${SMTP_PASS}"',
    'redis_url = "http://:${SMTP_PASS}@127.0.0.1"',
    'database = "${SMTP_PASS}"\nworkers = -1',
    'admin_notify = "tgram://123456789:${SMTP_PASS}/1"',
], ids=["bad-url", "other-url", "duration", "timezone", "redis", "later-error", "not-a-list"])
def test_resolved_secret_never_appears_in_an_error(tmp_path: Path, text: str) -> None:
    path = write(tmp_path, f"[monitor]\n{text}\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path, environ=ENV)
    assert SECRET not in str(caught.value)


def test_literal_token_in_a_lone_notify_string_is_not_echoed(tmp_path: Path) -> None:
    token = "123456789:AAHliteralTokenNotFromEnv"
    path = write(tmp_path, f'[monitor]\nadmin_notify = "tgram://{token}/42"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path, environ={})
    assert token not in str(caught.value)


def test_summary_masks_every_secret(tmp_path: Path) -> None:
    env = {**ENV, "TG_TOKEN": "123456789:AAHsummaryTokenValue", "REDIS_PASS": "redis-Pa55word"}
    path = write(tmp_path, f"""\
        [monitor]
        admin_notify = ["tgram://${{TG_TOKEN}}/-100123"]
        redis_url = "redis://:${{REDIS_PASS}}@127.0.0.1:6379/0"

        [[sources]]
        name = "a"
        url = "https://example.org/rss?key=${{SMTP_PASS}}"

        [watchlists.pp]
        terms = ["Ihar Losik"]
        notify = ["{GOOD_MAIL}", "tgram://${{TG_TOKEN}}/-100123"]
        """)
    config = load_config(path, environ=env)
    assert config.watchlists[0].notify[0] == f"mailtos://desk-bot:{SECRET}@example.org?to=desk@example.org"
    summary = config_summary(config)
    for secret in (SECRET, "AAHsummaryTokenValue", "redis-Pa55word"):
        assert secret not in summary
    assert "mailtos://****:****@example.org" in summary
    assert "sources: 1 (1 enabled)" in summary


def test_watchlist_without_notify_is_valid_and_summarised_as_recording_only(tmp_path: Path) -> None:
    path = write(tmp_path, '[watchlists.pp]\nterms = ["Ihar Losik"]\n')
    config = load_config(path, environ={})
    assert config.watchlists[0].notify == ()
    assert "none (hits are recorded, no alerts sent)" in config_summary(config)


def test_defaults_for_an_empty_file(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, ""), environ={})
    defaults = MonitorSettings()
    assert config.monitor == MonitorSettings(**{**defaults.__dict__, "database": tmp_path / "monitor.db"})
    assert (config.monitor.interval, config.monitor.max_page_size, config.monitor.redis_url) == (1800.0, 10485760, None)
    assert (config.sources, config.watchlists) == ((), ())
    assert config.path == tmp_path / "config.toml"


def test_relative_database_is_resolved_against_the_config_folder(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "etc"
    folder.mkdir()
    path = write(folder, '[monitor]\ndatabase = "data/news.db"\n')
    monkeypatch.chdir(tmp_path)  # the working directory must not matter
    config = load_config(Path("etc/config.toml"), environ={})
    assert config.monitor.database == folder / "data" / "news.db"
    assert config.path == path
    absolute = write(folder, f'[monitor]\ndatabase = "{tmp_path / "x.db"}"\n', "abs.toml")
    assert load_config(absolute, environ={}).monitor.database == tmp_path / "x.db"


def test_sources_get_defaults_and_max_items(tmp_path: Path) -> None:
    path = write(tmp_path, """\
        [monitor]
        interval = "20m"

        [[sources]]
        name = "feed"
        url = "https://example.org/rss"

        [[sources]]
        name = "cases"
        url = "https://example.org/a"
        type = "page"
        urls = ["https://example.org/b", "https://example.org/b"]
        interval = "1h30m"
        backfill = "0"
        max_items = 50
        enabled = false
        """)
    feed, page = load_config(path, environ={}).sources
    assert (feed.type, feed.interval, feed.backfill, feed.enabled, feed.extra) == ("feed", 1200.0, None, True,
                                                                                   {"max_items": 2000})
    assert (page.interval, page.backfill, page.urls, page.enabled, page.extra) == (
        5400.0, 0.0, ("https://example.org/b",), False, {"max_items": 50})


def test_terms_are_merged_and_watchlist_fields_read(tmp_path: Path) -> None:
    path = write(tmp_path, f"""\
        [watchlists.political-prisoners]
        terms = [
          "Maria Kalesnikava",
          {{ term = "Ales Bialiatski", aliases = ["Алесь Бяляцкі"] }},
          {{ term = "BYPOL", exact = true }},
          "maria kalesnikava",
          {{ term = "Ales Bialiatski", aliases = ["Ales Byalyatski", "Алесь Бяляцкі"] }},
        ]
        queries = ['"potash" NEAR/10 sanctions']
        exclude = ["football", "football"]
        notify = ["{GOOD_MAIL}"]
        mode = "instant"
        digest = "Weekly Monday 8:00"
        max_per_hour = 20
        """)
    (watchlist,) = load_config(path, environ=ENV).watchlists
    assert watchlist.terms == (
        Term("Maria Kalesnikava"),
        Term("Ales Bialiatski", ("Алесь Бяляцкі", "Ales Byalyatski")),
        Term("BYPOL", exact=True),
    )
    assert (watchlist.exclude, watchlist.mode, watchlist.digest, watchlist.max_per_hour) == (
        ("football",), "instant", "weekly mon 08:00", 20)


def test_escaped_reference_stays_literal(tmp_path: Path) -> None:
    path = write(tmp_path, '[watchlists.pp]\nterms = ["$${NOT_A_VAR}"]\n')
    assert load_config(path, environ={}).watchlists[0].terms[0].text == "${NOT_A_VAR}"


def test_apprise_config_file_and_tags(tmp_path: Path) -> None:
    (tmp_path / "apprise.yml").write_text("urls:\n  - json://127.0.0.1:9/hook:\n    - tag: desk\n", encoding="utf-8")
    path = write(tmp_path, """\
        [watchlists.pp]
        terms = ["Ihar Losik"]
        notify_config = "apprise.yml"
        notify_tags = ["desk"]
        """)
    watchlist = load_config(path, environ={}).watchlists[0]
    assert (watchlist.notify_config, watchlist.notify_tags) == (str(tmp_path / "apprise.yml"), ("desk",))

    path.write_text(path.read_text(encoding="utf-8").replace('["desk"]', '["desk", "night"]'), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path, environ={})
    assert (caught.value.line, caught.value.key) == (4, "watchlists.pp.notify_tags[1]")
    assert "has tag 'night' (tags there: desk)" in caught.value.message


def test_apprise_config_without_usable_url_is_refused(tmp_path: Path) -> None:
    (tmp_path / "apprise.txt").write_text("nosuch://x\n", encoding="utf-8")
    path = write(tmp_path, '[watchlists.pp]\nterms = ["Ihar Losik"]\nnotify_config = "apprise.txt"\n')
    with pytest.raises(ConfigError, match="no usable notification URL"):
        load_config(path, environ={})


def test_missing_and_undecodable_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"no such file; copy the shipped config.toml"):
        load_config(tmp_path / "nope.toml")
    bad = tmp_path / "latin1.toml"
    bad.write_bytes(b'[monitor]\nuser_agent = "caf\xe9"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(bad)
    assert (caught.value.line, caught.value.message) == (2, "is not UTF-8 text; save it as UTF-8")


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b'\xef\xbb\xbf[monitor]\ninterval = "10m"\n')
    assert load_config(path, environ={}).monitor.interval == 600.0


def test_malformed_query_names_watchlist_and_position(tmp_path: Path) -> None:
    from monitor.errors import QueryError
    from monitor.match import query

    candidates = ['"potash NEAR/10 sanctions', "(potash AND", "potash AND", "NEAR/10 potash"]
    for bad in candidates:
        try:
            query.parse_query(bad)
        except QueryError:
            break
    else:
        pytest.fail(f"parse_query accepted all of {candidates}")
    path = write(tmp_path, f"[watchlists.pp]\nqueries = [\n  'potash',\n  '{bad}',\n]\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path, environ={})
    assert (caught.value.line, caught.value.key) == (4, "watchlists.pp.queries[1]")
    assert "invalid query:" in caught.value.message
    assert "at position" in caught.value.message


def test_default_config_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MONITOR_CONFIG", raising=False)
    assert default_config_path() == Path("config.toml")
    monkeypatch.setenv("MONITOR_CONFIG", "/etc/news-monitor/config.toml")
    assert default_config_path() == Path("/etc/news-monitor/config.toml")


# The shipped config.toml: what a newsroom starts from.

def test_shipped_config_loads_without_environment() -> None:
    config = load_config(REPO / "config.toml", environ={})
    assert sum(s.enabled for s in config.sources) >= 3
    (watchlist,) = config.watchlists
    assert watchlist.name == "political-prisoners"
    assert len(watchlist.terms) >= 10
    assert watchlist.notify == ()  # hits are recorded; alerts are opt-in


def test_shipped_config_mentions_every_key() -> None:
    text = (REPO / "config.toml").read_text(encoding="utf-8")
    for table, keys in CONFIG_KEYS.items():
        for key in keys:
            written = rf"(?<![\w.-]){re.escape(key)} =|\[+{re.escape(key)}[\].]"  # `key =` or a [header]
            assert re.search(written, text), f"{table}.{key} is not shown in config.toml"


def test_commented_examples_in_shipped_config_are_valid(tmp_path: Path) -> None:
    """Uncomment every commented example; with dummy secrets the result must load."""
    text = (REPO / "config.toml").read_text(encoding="utf-8")
    example = re.compile(r'# (\[\[?[\w.-]+\]\]?\s*$|[a-z_]+ = |  +"|\]$)')
    uncommented = []
    for line in text.splitlines():
        if line.startswith(("admin_notify = []", '# terms = [{ term = "BYPOL"')):
            continue  # a key the next example sets again; the BYPOL form is covered by test_terms_are_merged...
        uncommented.append(line[2:] if example.match(line) else line)
    env = {"SMTP_USER": "alerts", "SMTP_PASS": "pw-123", "TELEGRAM_BOT_TOKEN": "123456789:AAHdummytoken",
           "TELEGRAM_CHAT_ID": "-1001234567890", "SLACK_TOKEN_A": "T1JJ3T3L2", "SLACK_TOKEN_B": "A1BRTD4JD",
           "SLACK_TOKEN_C": "TIiajkdnlazkcOXrIdevi7FQ", "MATRIX_USER": "alerts", "MATRIX_PASSWORD": "pw-456"}
    (tmp_path / "apprise.yml").write_text("urls:\n  - json://127.0.0.1:9/hook:\n    - tag: desk\n", encoding="utf-8")
    config = load_config(write(tmp_path, "\n".join(uncommented)), environ=env)
    watchlist = config.watchlists[0]
    assert len(watchlist.notify) == 4
    assert watchlist.notify_tags == ("desk",)
    assert len(config.monitor.admin_notify) == 1
    assert {s.type for s in config.sources} == {"feed", "sitemap", "listing", "page", "telegram"}
    assert len(config.sources) > 10


# The line locator and the value parsers.

LOCATOR_TEXT = '''\
# [monitor] in a comment
[monitor]
user_agent = """multi-line
[fake.header]
interval = "1m"
"""
interval = "30m"

[[sources]]
name = "a"

[[sources]]
name = 'b'
[sources.extra]
"quoted.key" = 1

[watchlists."political prisoners"]
terms = ["A", { term = "B", aliases = ["C",
  "D"] }]
'''


@pytest.mark.parametrize(("path", "line"), [
    (("monitor",), 2), (("monitor", "user_agent"), 3), (("monitor", "interval"), 7),
    (("sources",), 9), (("sources", 0, "name"), 10), (("sources", 1), 12), (("sources", 1, "name"), 13),
    (("sources", 1, "extra", "quoted.key"), 15), (("watchlists", "political prisoners"), 17),
    (("watchlists", "political prisoners", "terms", 1, "aliases", 1), 19),
    (("sources", 1, "missing"), 12), (("fake",), None),
])
def test_locator_finds_lines(path: tuple[str | int, ...], line: int | None) -> None:
    tomllib.loads(LOCATOR_TEXT)  # the locator only ever sees valid TOML
    assert locate(key_lines(LOCATOR_TEXT), path) == line


def test_format_key() -> None:
    assert format_key(("watchlists", "political-prisoners", "notify", 0)) == "watchlists.political-prisoners.notify[0]"
    assert format_key(("sources", 2, "url")) == "sources[2].url"
    assert format_key(("watchlists", "a b")) == 'watchlists."a b"'


@pytest.mark.parametrize(("text", "seconds"), [
    ("30s", 30), ("10m", 600), ("1h", 3600), ("1d", 86400), ("1h30m", 5400), ("1h 30m", 5400), ("0", 0),
    ("1.5h", 5400), ("2w", 1209600),
])
def test_parse_duration(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "10", "10x", "1h1h", "-5m", "m", "10M", "1 hour"])
def test_parse_duration_refuses(text: str) -> None:
    with pytest.raises(ValueError, match="duration|unit"):
        parse_duration(text)


def test_format_duration_round_trips() -> None:
    for text in ("30s", "10m", "1h30m", "1d", "0", "2d3h4m5s"):
        assert format_duration(parse_duration(text)) == text


@pytest.mark.parametrize(("text", "size"), [
    ("10MB", 10 * 1024**2), ("512KB", 512 * 1024), ("512kb", 512 * 1024), ("1048576", 1048576), ("2GiB", 2 * 1024**3),
])
def test_parse_size(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "MB", "10 parsecs", "-1MB"])
def test_parse_size_refuses(text: str) -> None:
    with pytest.raises(ValueError, match="size"):
        parse_size(text)


@pytest.mark.parametrize(("text", "normal"), [
    ("hourly", "hourly"), ("daily 08:00", "daily 08:00"), ("daily 8:05", "daily 08:05"),
    ("weekly mon 08:00", "weekly mon 08:00"), ("Weekly  Sunday 23:59", "weekly sun 23:59"),
])
def test_parse_digest(text: str, normal: str) -> None:
    assert str(parse_digest(text)) == normal


@pytest.mark.parametrize("text", ["daily", "daily 24:00", "daily 08:60", "weekly 08:00", "weekly mongoose 08:00",
                                  "monthly 1 08:00"])
def test_parse_digest_refuses(text: str) -> None:
    with pytest.raises(ValueError, match="expected|no such time|weekday"):
        parse_digest(text)


def test_telegram_channels_load_from_t_me_or_any_host_that_serves_the_preview(tmp_path: Path) -> None:
    path = write(tmp_path, """\
        [[sources]]
        name = "viasna"
        url = "https://t.me/viasna96"
        type = "telegram"

        [[sources]]
        name = "viasna-preview"
        url = "https://telegram.me/s/viasna96"
        type = "telegram"

        [[sources]]
        name = "mirror"
        url = "http://127.0.0.1:8080/s/viasna96"
        type = "telegram"
        """)
    sources = load_config(path).sources
    assert [(s.name, s.type) for s in sources] == [("viasna", "telegram"), ("viasna-preview", "telegram"),
                                                   ("mirror", "telegram")]
