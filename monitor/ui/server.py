"""`monitor ui`: the database opened in Datasette, read-only, with described tables, canned queries and Atom feeds.

Datasette runs as a child process (`python -m datasette serve`), so its web server, threads and event loop
never mix with ours. The database is opened in Datasette's default "mutable" mode: every query runs on a
`?mode=ro` connection, and WAL lets it read while the daemon writes. Not `--immutable`, which would tell
SQLite the file never changes: it would skip locking and the -wal file, and show stale or torn data.
"""

from __future__ import annotations

import ctypes
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import webbrowser
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import quote

from monitor.config import Config
from monitor.errors import MonitorError, StorageError

logger = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"  # Datasette has no login: everything in the database is visible to whoever connects
DEFAULT_PORT = 8001  # Datasette's own default, so its documentation's URLs work as written
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
_STDERR_FD = 2  # the process's real stderr, even where sys.stderr was replaced
START_TIMEOUT = 30.0  # seconds for Datasette to answer; it starts in about one on a small machine
PLUGINS_DIR = Path(__file__).parent / "datasette_plugins"
SETTINGS = {
    "sql_time_limit_ms": 5000,  # the per-name queries scan `hits`; a big archive needs more than the 1 s default
    "truncate_cells_html": 500,  # article bodies would otherwise fill the articles table page
    "facet_time_limit_ms": 500,
}

# Finding names in `hits`: the configured term or the spelling found. LIKE ignores case for Latin letters only.
_NAME = "(h.term LIKE '%' || :name || '%' OR h.found LIKE '%' || :name || '%')"
_SINCE_DAY = "strftime('%Y-%m-%dT%H:%M:%S', 'now', '-1 day')"


def _minute(column: str) -> str:
    """A stored ISO time (UTC) as 'YYYY-MM-DD HH:MM', short enough not to wrap in a table cell."""
    return f"substr(replace({column}, 'T', ' '), 1, 16)"


# A source's usual gap between new articles in words, as monitor.run.describe_gap writes it.
_GAP = """coalesce(CASE WHEN s.usual_gap < 90 THEN cast(round(s.usual_gap) AS int) || ' s'
    WHEN s.usual_gap < 5400 THEN cast(round(s.usual_gap / 60) AS int) || ' min'
    WHEN s.usual_gap < 129600 THEN cast(round(s.usual_gap / 3600) AS int) || ' h'
    ELSE cast(round(s.usual_gap / 86400) AS int) || ' days' END, '?')"""

# The SQL is assembled from the constant fragments above (noqa: S608); user input only ever fills :parameters.
CANNED_QUERIES: dict[str, dict[str, Any]] = {
    "latest_alerts": {
        "title": "Latest alerts",
        "description": "The newest alerts, each with the names found, the headline, where the names were written "
                       "and who received it. Leave watchlist empty for all watchlists.",
        "sql": f"""
SELECT a.id, {_minute('a.created')} AS created_utc, a.watchlist,
  (SELECT group_concat(value, ', ') FROM json_each(a.terms)) AS names,
  json_extract(a.payload, '$.article.title') AS headline,
  (SELECT json_extract(h.value, '$.snippet') FROM json_each(a.payload, '$.hits') AS h
   WHERE json_extract(h.value, '$.term') IN (SELECT value FROM json_each(a.terms)) LIMIT 1) AS context,
  json_extract(a.payload, '$.article.source') AS source,
  (SELECT group_concat(source, ', ') FROM (SELECT DISTINCT x.source FROM articles AS x WHERE x.story = a.story
     AND x.source != json_extract(a.payload, '$.article.source') ORDER BY x.source)) AS also_reported_by,
  a.article_url AS url,
  coalesce((SELECT group_concat(target, '; ') FROM (SELECT d.target_masked || ': ' || d.status AS target
            FROM deliveries AS d WHERE d.alert_id = a.id ORDER BY d.id)), 'recorded only') AS delivery
FROM alerts AS a
WHERE coalesce(:watchlist, '') = '' OR a.watchlist = :watchlist
ORDER BY a.created DESC, a.id DESC
LIMIT 500""",  # noqa: S608
    },
    "name_over_time": {
        "title": "Hits for one name over time",
        "description": "Per day (the article's publication date, else when it was found): how many hits, "
                       "articles, stories and which sources, for a name or part of one (e.g. Kalesnikava).",
        "sql": f"""
SELECT substr(coalesce(ar.published, h.found_at), 1, 10) AS day,
  count(*) AS hits, count(DISTINCT ar.url) AS articles, count(DISTINCT ar.story) AS stories,
  group_concat(DISTINCT ar.source) AS sources
FROM hits AS h JOIN articles AS ar ON ar.url = h.article_url
WHERE {_NAME}
GROUP BY day
ORDER BY day DESC""",  # noqa: S608
    },
    "sources_for_name": {
        "title": "Which sources mention a name most",
        "description": "Sources ranked by how many of their articles mention a name (or part of one), "
                       "with the first and latest mention.",
        "sql": f"""
SELECT ar.source, count(DISTINCT ar.url) AS articles, count(DISTINCT ar.story) AS stories, count(*) AS hits,
  substr(min(coalesce(ar.published, h.found_at)), 1, 10) AS first_mention,
  substr(max(coalesce(ar.published, h.found_at)), 1, 10) AS latest_mention
FROM hits AS h JOIN articles AS ar ON ar.url = h.article_url
WHERE {_NAME}
GROUP BY ar.source
ORDER BY articles DESC, hits DESC, ar.source""",  # noqa: S608
    },
    "stories": {
        "title": "Stories with all their copies",
        "description": "Copies of one story (the same text on several sites, or re-published) grouped together, "
                       "first publisher first. Give a name to see the stories mentioning it; leave it empty to "
                       "see every story that has more than one copy.",
        "sql": f"""
WITH chosen AS (
  SELECT story FROM articles GROUP BY story
  HAVING CASE WHEN coalesce(:name, '') = '' THEN count(*) > 1
    ELSE story IN (SELECT ar.story FROM hits AS h JOIN articles AS ar ON ar.url = h.article_url WHERE {_NAME})
  END
), copies AS (
  SELECT a.story, count(*) OVER (PARTITION BY a.story) AS copies,
    max(datetime(coalesce(a.published, a.fetched))) OVER (PARTITION BY a.story) AS story_latest,
    a.source, datetime(coalesce(a.published, a.fetched)) AS published, a.title, a.url
  FROM articles AS a JOIN chosen USING (story)
)
SELECT story, copies, source, {_minute('published')} AS published_utc, title, url FROM copies
ORDER BY story_latest DESC, story, published, url
LIMIT 1000""",  # noqa: S608
    },
    "source_health": {
        "title": "Sources' health",
        "description": "Each source's last run, its result and error, failures in a row, runs and failed runs "
                       "in the last 24 hours, and its newest article; what needs attention: a source that fails, "
                       "is broken without an error, has gone quiet or has moved. Those come first.",
        "sql": f"""
SELECT s.name AS source, s.type,
  CASE WHEN s.last_status IS NULL THEN 'never run' WHEN NOT s.healthy THEN 'UNHEALTHY'
    WHEN s.problem IS NOT NULL THEN 'BROKEN' WHEN s.quiet_since IS NOT NULL THEN 'QUIET'
    WHEN s.moved_to IS NOT NULL THEN 'MOVED' ELSE 'ok' END AS health,
  trim(coalesce('broken since ' || {_minute('s.problem_since')} || ': ' || s.problem_detail || '. ', '')
    || coalesce('quiet since ' || {_minute('s.quiet_since')} || ', usually every ' || {_GAP} || '. ', '')
    || coalesce('moved to ' || s.moved_to || ': update config.toml (monitor fix-source ' || s.name || ')', ''))
    AS attention,
  s.last_status, s.failures_in_row, {_minute('s.last_run_finished')} AS last_run_utc, s.last_duration AS seconds,
  s.last_pages AS pages, s.last_new AS new_articles, s.last_hits AS hits, s.last_errors AS errors, s.last_error,
  (SELECT count(*) FROM runs AS r WHERE r.source = s.name AND r.started >= {_SINCE_DAY}) AS runs_24h,
  (SELECT count(*) FROM runs AS r WHERE r.source = s.name AND r.started >= {_SINCE_DAY}
   AND r.status NOT IN ('ok', 'running')) AS failed_24h,
  (SELECT {_minute('max(datetime(published))')} FROM articles AS a WHERE a.source = s.name) AS newest_article_utc,
  {_minute('s.next_run')} AS next_run_utc, s.url
FROM sources AS s
ORDER BY s.healthy, s.problem IS NULL, s.quiet_since IS NULL, s.moved_to IS NULL, s.failures_in_row DESC,
  s.name""",  # noqa: S608
    },
    "search": {
        "title": "Search articles",
        "description": 'Full-text search of article titles and text (accents ignored). Words must all appear; '
                       'put a phrase in double quotes: "Maria Kalesnikava". Best matches first.',
        "sql": f"""
SELECT a.title, snippet(articles_fts, -1, '**', '**', '…', 24) AS snippet, a.source,
  {_minute('datetime(coalesce(a.published, a.fetched))')} AS published_utc, a.url
FROM articles_fts JOIN articles AS a ON a.rowid = articles_fts.rowid
WHERE articles_fts MATCH escape_fts(:q)
ORDER BY articles_fts.rank
LIMIT 200""",  # noqa: S608
    },
}
for _query in CANNED_QUERIES.values():
    _query["sql"] = _query["sql"].strip()
    _query["hide_sql"] = True  # results first; "Show SQL" is one click away for those who want to adapt it

TABLES: dict[str, dict[str, Any]] = {
    "alerts": {
        "title": "Alerts",
        "description": "One row per alert: a story that named people on a watchlist. payload holds the article, "
                       "the names and every hit with its context, as JSON.",
        "sort_desc": "created", "facets": ["watchlist"],
        "columns": {"story": "the story the article belongs to (its copies share it)",
                    "terms": "the names this alert was about (JSON list)",
                    "mode": "instant or digest"},
    },
    "hits": {
        "title": "Hits",
        "description": "Every place a watched name was found, alerted or not: as written, with its context.",
        "sort_desc": "found_at", "facets": ["watchlist", "term", "reason"],
        "columns": {"term": "the name as configured", "found": "the name as written in the article",
                    "field": "title, text or credits", "reason": "why it matched: exact, transliteration, inflection, "
                                                          "alias, fuzzy or query",
                    "snippet": "the words around it"},
    },
    "articles": {
        "title": "Articles",
        "description": "Every article fetched, reduced to its title, date and text. Search box: words; add "
                       "&_searchmode=raw to the address for SQLite FTS syntax (OR, NEAR, prefix*).",
        "sort_desc": "published", "facets": ["source", "language", "kind"],
        "columns": {"story": "copies of one story share this value", "content_hash": "changes when the text does",
                    "fetched": "last fetched", "changed": "when the stored text last changed",
                    "published": "as the page gives it, with its own UTC offset (so its calendar day is the page's)",
                    "authors": "the people who wrote it (JSON list; organisations are left out)",
                    "credits": "byline and credit lines (reporting, editing, photos), one per line",
                    "kind": "article (a web page) or post (a Telegram channel's or a social profile's)",
                    "links_to": "the page a post shares (its link preview)"},
    },
    "sources": {
        "title": "Sources",
        "description": "The configured sources and the result of each one's last run.",
        "columns": {"healthy": "0 after unhealthy_after failed runs in a row",
                    "baseline_done": "1 after the first complete run (older articles no longer alert)",
                    "problem": "broken without an error: same_text, rejected, no_links, no_items or stale",
                    "quiet_since": "the last new article, when none came for much longer than usual",
                    "usual_gap": "seconds between new articles, usually",
                    "moved_to": "where the source's URL permanently redirects to",
                    "newest_item": "the newest date its feed or sitemap gave"},
    },
    "rejections": {
        "title": "Rejected pages",
        "description": "Pages each source had skipped, per day (UTC) and reason (no_article, not_html, "
                       "same_text, …).",
        "sort_desc": "day", "facets": ["source", "reason"],
    },
    "daemons": {
        "title": "Daemon processes",
        "description": "Each `monitor run` (and `run --once`) process that used this database: host, pid, start, "
                       "last heartbeat, and when it stopped (empty after a kill or a crash).",
        "sort_desc": "beat",
    },
    "runs": {
        "title": "Runs",
        "description": "One row per crawl of a source: when, result, counts and error.",
        "sort_desc": "started", "facets": ["source", "status"],
    },
    "deliveries": {
        "title": "Deliveries",
        "description": "One row per alert and destination: sent, pending, digest or failed, with attempts and "
                       "the last error. Destinations are masked; the database never holds a password.",
        "sort_desc": "id", "facets": ["status", "target_masked"],
    },
    "alerted_terms": {
        "title": "Alerted names per story",
        "description": "Which names each story already alerted on: why a copy of a story does not alert again.",
    },
    "watched_terms": {
        "title": "Watched terms",
        "description": "Each watchlist's terms and queries as the monitor last read them from config.toml. A term "
                       "added later is matched against recent stored articles once (see monitor rescan).",
    },
    # Internal state with nothing to read: binary signatures, HTTP cache validators, how far channels were read.
    "signatures": {"hidden": True},
    "validators": {"hidden": True},
    "cursors": {"hidden": True},
}


def database_name(config: Config) -> str:
    """The name Datasette gives the database: its file name without the extension."""
    return Path(config.monitor.database).stem


def feed_path(watchlist: str) -> str:
    """The path, on the `monitor ui` server, of a watchlist's Atom feed."""
    return f"/-/feeds/{quote(watchlist, safe='')}.atom"


def datasette_metadata(config: Config) -> dict[str, Any]:
    """Datasette metadata: titles and descriptions of tables and columns, canned queries, plugin settings."""
    name = database_name(config)
    links = [f'<a href="/{quote(name)}/{q}">{spec["title"]}</a>' for q, spec in CANNED_QUERIES.items()]
    feeds = [f'<a href="{feed_path(w.name)}">{_escape(w.name)}</a>' for w in config.watchlists]
    description = (
        "What news-monitor found: articles, the watched names in them, the alerts sent and the health of "
        f"each source. Start with: {', '.join(links)}."
    )
    if feeds:
        description += f" Atom feeds of alerts, for your feed reader: {', '.join(feeds)}."
    return {
        "title": "news-monitor",
        "description_html": description,
        "databases": {
            name: {
                "title": "news-monitor database",
                "description_html": description,
                "tables": TABLES,
                "queries": CANNED_QUERIES,
            },
        },
        "plugins": {"news-monitor": {"database": name, "watchlists": [w.name for w in config.watchlists]}},
    }


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def datasette_command(config: Config, metadata: Path, *, host: str, port: int) -> list[str]:
    """The command line that serves the database with our metadata and plugin."""
    command = [sys.executable, "-m", "datasette", "serve", str(config.monitor.database),
               "--host", host, "--port", str(port), "--metadata", str(metadata),
               "--plugins-dir", str(PLUGINS_DIR)]
    for key, value in SETTINGS.items():
        command += ["--setting", key, str(value)]
    return command


def free_port(host: str = DEFAULT_HOST, port: int = 0) -> int:
    """`port` if nothing listens on it right now (0: any such port); MonitorError when it is taken."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does: TIME_WAIT is no obstacle
        try:
            probe.bind((host, port))
        except OSError as exc:
            # Checked before starting: another Datasette there would answer our readiness probe instead.
            raise MonitorError(f"cannot listen on {host} port {port}: {exc.strerror}; "
                               "choose another with --port (0 picks a free one)") from None
        return int(probe.getsockname()[1])


def check_database(config: Config) -> None:
    """Refuse to start on a missing database or one news-monitor did not make."""
    path = Path(config.monitor.database)
    if not path.is_file():
        raise StorageError(f"{path}: no database yet; `monitor run --once` creates it (or check [monitor] database)")
    from monitor.deliver import open_readonly  # also checks that it is our schema

    open_readonly(path).close()


def wait_until_serving(process: subprocess.Popen[bytes], url: str, timeout: float = START_TIMEOUT) -> bool:
    """Poll `url` until it answers 200; False when the process exits first or the deadline passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (our own server's http URL)
                if response.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.1)  # a poll interval, not a wait for a result: the deadline bounds the loop
    return False


def run_ui(config: Config, *, port: int | None = None, open_browser: bool = False,
           host: str = DEFAULT_HOST) -> int:
    """Serve the database in Datasette until Ctrl-C or SIGTERM; port 0 picks a free one. Returns an exit code."""
    check_database(config)
    port = free_port(host, DEFAULT_PORT if port is None else port)
    # Where this machine reaches a wildcard bind (a lookup, not a bind: noqa S104).
    local = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)  # noqa: S104
    base = f"http://{'[' + local + ']' if ':' in local else local}:{port}"
    if local not in ("127.0.0.1", "::1", "localhost"):
        logger.warning("Datasette has no login: whoever reaches %s port %s can read the whole database", host, port)
    with tempfile.TemporaryDirectory(prefix="monitor-ui-") as folder:
        metadata = Path(folder) / "metadata.json"
        metadata.write_text(json.dumps(datasette_metadata(config), ensure_ascii=False, indent=2), encoding="utf-8")
        # Datasette's request log goes to stderr with the other logs; stdout keeps only the addresses below.
        process = subprocess.Popen(datasette_command(config, metadata, host=host, port=port),  # noqa: S603
                                   stdin=subprocess.DEVNULL, stdout=_STDERR_FD, preexec_fn=_die_with_parent,
                                   env=_child_environment())
        previous = signal.signal(signal.SIGTERM, _forward_to(process))
        try:
            if not wait_until_serving(process, f"{base}/-/versions.json"):
                process.terminate()
                code = process.wait()
                raise MonitorError(f"Datasette did not start on {base} (exit code {code}); its messages are above")
            name = quote(database_name(config))
            print(f"news-monitor UI (read-only): {base}/{name}", flush=True)
            print(f"  latest alerts: {base}/{name}/latest_alerts", flush=True)
            for watchlist in config.watchlists:
                print(f"  Atom feed of {watchlist.name}: {base}{feed_path(watchlist.name)}", flush=True)
            print("Press Ctrl-C to stop.", flush=True)
            if open_browser:
                webbrowser.open(f"{base}/{name}/latest_alerts")
            return _exit_code(process.wait())
        except KeyboardInterrupt:  # the terminal sent SIGINT to Datasette too; let it finish
            process.terminate()
            process.wait()
            return 0
        finally:
            signal.signal(signal.SIGTERM, previous)
            if process.poll() is None:
                process.kill()
                process.wait()


def _child_environment() -> dict[str, str]:
    """Our environment, with this copy of `monitor` importable by the plugin whether installed or not."""
    package_root = Path(__file__).resolve().parents[2]
    paths = list(filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep)))
    if package_root.name not in ("site-packages", "dist-packages"):  # installed: importable already
        paths.insert(0, str(package_root))
    return {**os.environ, "PYTHONPATH": os.pathsep.join(dict.fromkeys(paths))}


def _die_with_parent() -> None:
    """In the child: get SIGTERM when `monitor ui` dies, even by SIGKILL, so no Datasette is left serving (Linux)."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _forward_to(process: subprocess.Popen[bytes]) -> Any:
    def handler(signum: int, frame: FrameType | None) -> None:
        process.terminate()
    return handler


def _exit_code(code: int) -> int:
    """Stopped by our SIGTERM (systemd, docker stop) is a clean stop, not a failure."""
    return 0 if code in (-signal.SIGTERM, -signal.SIGINT) else code
