"""The daemon as users run it, in a real child process: start, wait for log lines, signal, kill -9."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from datetime import datetime
from importlib import resources
from pathlib import Path

from tests.receivers import wait_until

REPO = Path(__file__).resolve().parents[1]
WATCHED = ["Maria Kalesnikava", "Ales Bialiatski", "Viktar Babaryka", "Mikalai Statkevich"]


def _env(extra: dict[str, str] | None = None) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), **(extra or {})}


def monitor(config: Path, *args: str, timeout: float = 120, env: dict[str, str] | None = None,
            ) -> subprocess.CompletedProcess[str]:
    """Run one `monitor` command to completion."""
    return subprocess.run([sys.executable, "-m", "monitor", "--config", str(config), *args], capture_output=True,
                          text=True, timeout=timeout, env=_env(env), cwd=REPO)


def run_once(config: Path, *, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`monitor run --once`."""
    return monitor(config, "run", "--once", env=env)


def belarus_page(base: str, published: datetime, slug: str = "belarus-prisoners") -> str:
    """The reference article in a news-site page (the demo's copy, with its date filled in)."""
    text = (resources.files("monitor") / "demo_site" / "belarus-prisoners.html").read_text(encoding="utf-8")
    text = text.replace("/news/belarus-prisoners.html", f"/news/{slug}.html")
    return text.replace("@@published@@", published.isoformat()).replace("@@base@@", base)


def write_config(folder: Path, sources: list[tuple[str, str, str]], notify: list[str], *, monitor: str = "",
                 terms: list[str] | None = None, interval: str = "1m", watchlist_extra: str = "") -> Path:
    """A config.toml with sources [(name, url, type)] and one political-prisoners watchlist."""
    blocks = "".join(f'\n[[sources]]\nname = "{n}"\nurl = "{u}"\ntype = "{t}"\n' for n, u, t in sources)
    term_list = ", ".join(f'"{t}"' for t in (terms or WATCHED))
    notify_list = ", ".join(f'"{u}"' for u in notify)
    path = folder / "config.toml"
    path.write_text(f"""[monitor]
database = "monitor.db"
interval = "{interval}"
download_timeout = "5s"
{monitor}
{blocks}
[watchlists.political-prisoners]
terms = [{term_list}]
notify = [{notify_list}]
{watchlist_extra}
""", encoding="utf-8")
    return path


class DaemonProcess:
    """`monitor run` in a child process with its log in a file."""

    def __init__(self, config: Path, env: dict[str, str] | None = None) -> None:
        self.config = config
        self.log_path = config.parent / f"daemon-{time.monotonic_ns()}.log"
        self.env = env
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> DaemonProcess:
        log = self.log_path.open("wb")
        self.proc = subprocess.Popen([sys.executable, "-m", "monitor", "--config", str(self.config), "run"],
                                     stdout=log, stderr=subprocess.STDOUT, env=_env(self.env), cwd=REPO)
        log.close()
        return self

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    @property
    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_for_log(self, pattern: str, count: int = 1, timeout: float = 60) -> str:
        """Wait until `pattern` (a regex) occurs `count` times in the log."""
        def seen() -> bool:
            if self.proc is not None and self.proc.poll() is not None:
                raise AssertionError(f"daemon exited with {self.proc.returncode}:\n{self.log}")
            return len(re.findall(pattern, self.log)) >= count
        try:
            wait_until(seen, timeout)
        except AssertionError as exc:
            raise AssertionError(f"{exc}: {pattern!r} x{count} not in log:\n{self.log}") from None
        return self.log

    def stop(self, timeout: float = 60) -> int:
        """SIGTERM and wait; returns the exit code."""
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else 0
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout)

    def kill(self) -> None:
        """kill -9: no cleanup of any kind."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)

    def __enter__(self) -> DaemonProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.kill()
