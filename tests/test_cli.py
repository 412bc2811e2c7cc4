"""The command line as a user meets it: the demo, clean, match, check-config, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.daemon_process import REPO, _env

PAGE = REPO / "tests" / "pages" / "belarus-article.html"


def cli(*args: str, cwd: Path = REPO, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "monitor", *args], capture_output=True, text=True,
                          timeout=timeout, env=_env(), cwd=cwd)


def test_demo_catches_the_watched_names_and_delivers_the_alert():
    result = cli("demo")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Alerts delivered to the demo webhook: 1" in out
    for spelling in ("Maryja Kalesnikawa", "Ales Bjaljazki", "Viktor Babariko", "Nikolai Statkevich", "Lukaschenko"):
        assert spelling in out
    assert "Statkus" not in out.split("Hits:")[1].split("Alerts delivered")[0]  # the footballer is not a hit


def test_clean_json_gives_title_date_and_text():
    result = cli("clean", "--json", str(PAGE))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["source"] == str(PAGE)
    assert data["title"] == "Belarus frees 123 political prisoners in rare 2025 reconciliation move"
    assert data["published"]
    assert data["published"].startswith("2025-")
    assert "Nikolai Statkevich stood out" in data["text"]
    assert "Skip to content" not in data["text"]


def test_clean_shows_authors_and_credit_lines():
    result = cli("clean", str(REPO / "tests" / "pages" / "clean-credits.html"))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "by Anneli Virtanen, Omar Haddad" in lines
    assert "credit: Photo: Jonas Berg / Nordic Press Agency" in lines
    assert "credit: Maria Esposito in Rome contributed to this report." in lines
    assert "Union leader Katarzyna Wróbel" in result.stdout
    data = json.loads(cli("clean", "--json", str(REPO / "tests" / "pages" / "clean-credits.html")).stdout)
    assert data["authors"] == ["Anneli Virtanen", "Omar Haddad"]
    assert data["credits"].split("\n")[0] == "By Anneli Virtanen and Omar Haddad"
    assert "contributed to this report" not in data["text"]


def test_clean_of_a_refused_page_gives_the_reason_and_the_metadata(tmp_path):
    page = tmp_path / "gallery.html"
    page.write_text(
        '<html><head><title>Galeria: Dni Morza</title><meta property="article:published_time" '
        'content="2025-06-28T21:00:00+02:00"><meta name="author" content="Jan Kowalski"></head>'
        '<body><h1>Galeria: Dni Morza</h1><img src="1.jpg"><a href="/2">Następne</a></body></html>',
        encoding="utf-8",
    )
    result = cli("clean", "--json", str(page))
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["reason"] == "no_article"
    assert data["title"] == "Galeria: Dni Morza"
    assert data["published"] == "2025-06-28T21:00:00+02:00"
    assert data["authors"] == ["Jan Kowalski"]
    text = cli("clean", str(page))
    assert "no_article" in text.stderr
    assert "2025-06-28T21:00:00+02:00" in text.stderr


def test_match_explains_each_hit():
    result = cli("match", "--watch", "Maria Kalesnikava", "--watch", "Eduard Babaryka", str(PAGE))
    assert result.returncode == 0, result.stderr
    assert "Maria Kalesnikava ← “Maryja Kalesnikawa”" in result.stdout
    hit_lines = [line for line in result.stdout.splitlines() if line.startswith("  [")]
    assert not any("Eduard Babaryka" in line for line in hit_lines)
    assert "not counted: [command-line] Eduard Babaryka ≠ “Babariko”" in result.stdout
    assert "another person's first name: 'Viktor'" in result.stdout


def test_bad_config_exits_2_with_file_line_and_key(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[monitor]\ninterval = "soon"\n')
    result = cli("--config", str(config), "check-config")
    assert result.returncode == 2
    assert f"{config}:2: monitor.interval:" in result.stderr


def test_shipped_config_checks_out():
    result = cli("--config", str(REPO / "config.toml"), "check-config")
    assert result.returncode == 0, result.stderr
    assert "OK" in result.stdout
