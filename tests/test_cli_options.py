"""The command line where people type it (issue 16, items 1-3): global options after the command, a closed
output pipe, and input errors said once and in words."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from monitor.cli import build_parser, parse_args
from monitor.config import load_config
from monitor.store import Store
from tests.daemon_process import REPO, _env, belarus_page, write_config
from tests.servers import rss_feed

PAGE = REPO / "tests" / "pages" / "belarus-article.html"
GLOBAL_OPTIONS = ("--config", "--verbose", "--quiet", "--log-format")


def cli(*args: str, cwd: Path = REPO, stdout: int | None = subprocess.PIPE,
        timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "monitor", *args], stdout=stdout, stderr=subprocess.PIPE,
                          text=True, timeout=timeout, env=_env(), cwd=cwd)


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = write_config(tmp_path, [], [])
    Store(load_config(path).monitor.database).close()  # an empty database, as after a first run
    return path


# -- item 1: --config, -v/-q and --log-format before or after the command ---------------------------
def test_every_command_lists_the_global_options_in_its_help():
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert "check-config" in commands
    for name, command in commands.items():
        text = command.format_help()
        for option in GLOBAL_OPTIONS:
            assert option in text, f"monitor {name} --help does not list {option}"


def test_options_after_the_command_add_to_or_override_those_before_it():
    args = parse_args(["--config", "a.toml", "-v", "status", "-v", "--config", "b.toml", "--log-format", "json"])
    assert (args.config, args.verbose, args.quiet, args.log_format) == ("b.toml", 2, False, "json")
    args = parse_args(["alerts", "-q", "--limit", "3"])
    assert (args.config, args.quiet, args.limit, args.log_format) == (None, True, 3, "text")


def test_check_config_and_alerts_take_the_options_after_the_command(config):
    result = cli("check-config", "--config", str(config))
    assert result.returncode == 0, result.stderr
    assert f"{config}: OK" in result.stdout
    result = cli("alerts", "-q", "--config", str(config))
    assert result.returncode == 0, result.stderr
    assert "Recent alerts" in result.stdout
    help_text = cli("check-config", "--help").stdout
    assert all(option in help_text for option in GLOBAL_OPTIONS)


def test_run_once_takes_config_and_log_format_after_the_command(news_site, tmp_path):
    now = datetime.now(UTC)
    news_site.add_page("/news/belarus-prisoners.html", belarus_page(news_site.url(), now - timedelta(hours=1)))
    news_site.add_page("/feed.xml", rss_feed(news_site.url(), [("/news/belarus-prisoners.html", "Prisoners", now)]),
                       content_type="application/rss+xml")
    config = write_config(tmp_path, [("site", news_site.url("/feed.xml"), "feed")], [])
    result = cli("run", "--once", "--config", str(config), "--log-format", "json")
    assert result.returncode == 0, result.stderr
    logged = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    assert any(entry["message"].startswith("source site: ok") for entry in logged), result.stderr
    assert news_site.count("/feed.xml") == 1


# -- item 2: a closed output pipe ends the command quietly -----------------------------------------
def closed_pipe_run(*args: str) -> subprocess.CompletedProcess[str]:
    """Run with stdout on a pipe nobody reads any more (`monitor status | head` after head exits)."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return cli(*args, stdout=write_end)
    finally:
        os.close(write_end)


@pytest.mark.parametrize("args", [
    ("status",), ("alerts",), ("check-config",), ("feed", "political-prisoners"),
    ("clean", str(PAGE)), ("match", "--watch", "Maria Kalesnikava", str(PAGE)),
], ids=lambda args: " ".join(a for a in args if "/" not in a))
def test_a_closed_output_pipe_ends_every_command_quietly(config, args):
    result = closed_pipe_run("--config", str(config), *args)
    assert "Traceback" not in result.stderr
    assert "BrokenPipeError" not in result.stderr
    assert "Exception ignored" not in result.stderr
    assert result.returncode == 141  # as a command killed by SIGPIPE, the shell's convention


# -- item 3: an input that cannot be read is named once, and why is said in words -------------------
def test_a_missing_file_is_named_once(tmp_path):
    result = cli("clean", "missing.html", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == "missing.html: cannot read file: no such file or directory"
    data = json.loads(cli("clean", "--json", "missing.html", cwd=tmp_path).stdout)
    assert data == {"source": "missing.html", "error": "cannot read file: no such file or directory"}


def test_an_unreachable_url_is_said_in_words(news_site):
    url = news_site.url("/gone")
    news_site.close()  # nothing listens there any more: connection refused
    result = cli("clean", url)
    assert result.returncode == 1
    assert result.stderr.strip() == f"{url}: cannot fetch URL: connection refused"
    result = cli("match", "--watch", "Maria Kalesnikava", url)
    assert result.stderr.strip() == f"error: {url}: cannot fetch URL: connection refused"


def test_an_http_error_is_said_in_words(news_site):
    result = cli("clean", news_site.url("/missing"))
    assert result.stderr.strip() == f"{news_site.url('/missing')}: cannot fetch URL: HTTP 404 Not Found"
