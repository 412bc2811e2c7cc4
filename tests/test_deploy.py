"""Deployment files: the systemd unit (systemd-analyze verify when present, and its structure always) and the
Dockerfile (parsed: paths it copies exist, non-root user, a healthcheck that really tells a stuck daemon)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from monitor.config.loader import load_config
from monitor.store.database import Store
from monitor.store.times import iso

ROOT = Path(__file__).resolve().parents[1]
UNIT = ROOT / "deploy" / "news-monitor.service"
DOCKERFILE = ROOT / "deploy" / "Dockerfile"
INSTALL_PREFIX = "/opt/news-monitor"


def read_unit(text: str) -> dict[str, dict[str, list[str]]]:
    """systemd's INI dialect: sections, repeatable keys, '#'/';' comments, backslash continuations."""
    sections: dict[str, dict[str, list[str]]] = {}
    current = None
    for line in re.sub(r"\\\n", " ", text).splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
            continue
        key, separator, value = line.partition("=")
        assert separator, f"not a key=value line: {line!r}"
        assert current is not None, f"a key before any [section]: {line!r}"
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def read_dockerfile(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with continuation lines joined and comments dropped."""
    instructions = []
    for line in re.sub(r"\\\n(?:\s*#[^\n]*\n)*", " ", text).splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, arguments = line.partition(" ")
            instructions.append((keyword.upper(), arguments.strip()))
    return instructions


# -- systemd --------------------------------------------------------------------------------------
def test_unit_runs_the_daemon_as_a_dedicated_user_with_state_dir_and_restart():
    unit = read_unit(UNIT.read_text(encoding="utf-8"))
    service = {key: values[-1] for key, values in unit["Service"].items()}
    assert service["Type"] in ("simple", "notify")
    assert service["Restart"] == "on-failure"
    assert service["User"] not in ("", "root")
    assert service["Group"] == service["User"]
    assert service["StateDirectory"] == "news-monitor"
    assert service["WorkingDirectory"] == f"/var/lib/{service['StateDirectory']}"
    assert service["ExecStart"] == f"{INSTALL_PREFIX}/bin/monitor run"
    assert "check-config" in service["ExecStartPre"]
    assert service["ExecReload"] == "/bin/kill -HUP $MAINPID"
    assert service["NoNewPrivileges"] == "yes"
    assert service["ProtectSystem"] == "strict"
    assert unit["Install"]["WantedBy"] == ["multi-user.target"]
    assert "network-online.target" in unit["Unit"]["After"][0]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_analyze_verify_accepts_the_unit(tmp_path):
    # verify insists that ExecStart's program exists: stand in for the venv with an executable at the same place.
    prefix = tmp_path / "prefix"
    (prefix / "bin").mkdir(parents=True)
    (prefix / "bin" / "monitor").symlink_to(shutil.which("true"))
    good = tmp_path / "news-monitor.service"
    good.write_text(UNIT.read_text(encoding="utf-8").replace(INSTALL_PREFIX, str(prefix)), encoding="utf-8")
    bad = tmp_path / "broken" / "news-monitor.service"
    bad.parent.mkdir()
    bad.write_text(good.read_text(encoding="utf-8").replace("Restart=on-failure", "Restart=sometimes"),
                   encoding="utf-8")

    def verify(path: Path) -> str:
        result = subprocess.run(["systemd-analyze", "verify", str(path)], capture_output=True, text=True,
                                timeout=60, env={**os.environ, "SYSTEMD_LOG_LEVEL": "warning"})
        return (result.stdout + result.stderr).strip()

    assert "restart specifier" in verify(bad)  # it really checks: a wrong value is reported ...
    assert verify(good) == ""  # ... and ours has none


# -- Docker ---------------------------------------------------------------------------------------
def test_dockerfile_parses_copies_existing_paths_and_runs_as_non_root():
    instructions = read_dockerfile(DOCKERFILE.read_text(encoding="utf-8"))
    keywords = [keyword for keyword, _ in instructions]
    assert keywords[0] == "FROM"
    image = instructions[0][1]
    assert re.fullmatch(r"python:3\.1[1-9]-slim-\w+", image), f"pin a Python version and distribution: {image}"
    known = {"FROM", "LABEL", "ENV", "RUN", "WORKDIR", "COPY", "USER", "VOLUME", "EXPOSE", "HEALTHCHECK",
             "ENTRYPOINT", "CMD", "ARG", "STOPSIGNAL"}
    assert set(keywords) <= known
    for keyword, arguments in instructions:
        if keyword == "COPY":
            *sources, _ = arguments.split()
            for source in sources:
                assert (ROOT / source).exists(), f"COPY {source}: no such path in the repository"
        if keyword in ("ENTRYPOINT", "CMD"):
            assert isinstance(json.loads(arguments), list), f"{keyword} in exec form, so signals reach monitor"
    users = [arguments for keyword, arguments in instructions if keyword == "USER"]
    assert users
    assert users[-1] not in ("root", "0")
    assert keywords.index("USER") < keywords.index("ENTRYPOINT")
    assert json.loads(dict(instructions)["ENTRYPOINT"]) == ["monitor"]
    assert json.loads(dict(instructions)["CMD"]) == ["run"]


def test_dockerfile_moves_the_shipped_database_path_to_the_volume():
    """The build's sed must match the shipped config.toml, or `docker build` fails on its grep."""
    run = next(a for k, a in read_dockerfile(DOCKERFILE.read_text(encoding="utf-8")) if k == "RUN" and "sed" in a)
    pattern, replacement = re.search(r"s\|(.+?)\|(.+?)\|", run).groups()
    shipped = (ROOT / "config.toml").read_text(encoding="utf-8")
    moved, count = re.subn(pattern, replacement, shipped, flags=re.M)
    assert count == 1
    assert tomllib.loads(moved)["monitor"]["database"] == "/var/lib/news-monitor/monitor.db"


def healthcheck_code() -> str:
    arguments = dict(read_dockerfile(DOCKERFILE.read_text(encoding="utf-8")))["HEALTHCHECK"]
    assert re.search(r"--interval=\S+ .*--start-period=\S+", arguments)
    command = json.loads(arguments[arguments.index("CMD") + 3:])
    assert command[:2] == ["python", "-c"]
    return command[2]


@pytest.mark.parametrize(("next_run", "beat", "healthy"), [
    (None, timedelta(seconds=-10), True),  # a daemon that has not planned a run yet
    (timedelta(minutes=-5), timedelta(seconds=-10), True),
    (timedelta(hours=-1), timedelta(seconds=-10), False),  # the scheduler stopped planning
    (timedelta(minutes=-5), timedelta(minutes=-5), False),  # the event loop hung: no beat for 5 minutes
    (timedelta(minutes=-5), None, False),  # no daemon ever ran on this database
])
def test_docker_healthcheck_fails_when_the_daemon_hangs_or_the_scheduler_is_overdue(tmp_path, next_run, beat, healthy):
    (tmp_path / "config.toml").write_text(
        '[monitor]\ndatabase = "state/monitor.db"\n\n[[sources]]\nname = "a"\nurl = "https://a.example/rss"\n',
        encoding="utf-8")
    config = load_config(tmp_path / "config.toml")
    store = Store(config.monitor.database)
    store.sync_sources(config.sources)
    if next_run is not None:
        store.set_next_run("a", datetime.now(UTC) + next_run)
    if beat is not None:
        store.register_process("daemon")
        store.db.execute("UPDATE daemons SET beat = ?", [iso(datetime.now(UTC) + beat)])
    store.close()
    env = {**os.environ, "MONITOR_CONFIG": str(tmp_path / "config.toml"),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    result = subprocess.run([sys.executable, "-c", healthcheck_code()], env=env, capture_output=True, timeout=60)
    assert (result.returncode == 0) == healthy, result.stderr.decode()


def test_docker_healthcheck_fails_without_a_database(tmp_path):
    (tmp_path / "config.toml").write_text('[monitor]\ndatabase = "none.db"\n', encoding="utf-8")
    env = {**os.environ, "MONITOR_CONFIG": str(tmp_path / "config.toml"),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    result = subprocess.run([sys.executable, "-c", healthcheck_code()], env=env, capture_output=True, timeout=60)
    assert result.returncode != 0


# -- packaging the image relies on -----------------------------------------------------------------
def test_every_package_folder_is_installed_by_pyproject():
    """`pip install .` (the Dockerfile, the systemd venv) must ship every package, e.g. Datasette's plugin folder."""
    from setuptools import find_packages

    find = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"]["find"]
    listed = set(find_packages(str(ROOT), include=find["include"]))
    found = {".".join(p.parent.relative_to(ROOT).parts) for top in ("monitor", "spiders")
             for p in (ROOT / top).rglob("__init__.py")}
    assert found <= listed, f"[tool.setuptools.packages.find] misses: {sorted(found - listed)}"


def test_readme_documents_both_deployments():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for needed in ("deploy/news-monitor.service", "deploy/Dockerfile", "systemctl enable --now news-monitor",
                   "docker build -f deploy/Dockerfile"):
        assert needed in readme, needed
