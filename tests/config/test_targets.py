"""Notification URLs (issue 16, items 4, 7 and 8): shown as the user wrote them with secrets masked, mail URLs
that cannot work refused at start-up with what is missing, and no apprise log lines before our own message."""

from __future__ import annotations

import logging
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from monitor.config import config_summary, load_config, masked_url, url_problem
from monitor.errors import ConfigError
from monitor.models import Article, Hit
from monitor.reports import alerts_report
from monitor.store import Store
from tests.daemon_process import REPO, _env

LOOPBACK_MAIL = "mailto://127.0.0.1:8025?from=monitor-bot@example.org&to=desk@example.org"


def write(folder: Path, notify: list[str]) -> Path:
    path = folder / "config.toml"
    urls = ", ".join(f'"{u}"' for u in notify)
    path.write_text(textwrap.dedent(f"""\
        [monitor]
        database = "monitor.db"

        [watchlists.desk]
        terms = ["Ihar Losik"]
        notify = [{urls}]
        """), encoding="utf-8")
    return path


# -- item 4: as written, secrets masked ------------------------------------------------------------
@pytest.mark.parametrize(("url", "shown"), [
    (LOOPBACK_MAIL, LOOPBACK_MAIL),
    ("mailtos://night-editor:Pa55-w0rd@example.org?smtp=smtp.example.org&to=desk@example.org",
     "mailtos://night-editor:****@example.org?smtp=smtp.example.org&to=desk@example.org"),
    ("mailtos://smtp.example.org?user=me&pass=Pa55-w0rd&to=desk@example.org",
     "mailtos://smtp.example.org?user=me&pass=****&to=desk@example.org"),
    ("mailtos://night-editor:p%40ss-w0rd@example.org/desk@example.org",
     "mailtos://night-editor:****@example.org/desk@example.org"),
    ("tgram://123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/-100123", "tgram://****/-100123"),
    ("slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ/#newsroom", "slack://****/****/****/#newsroom"),
    ("json://bot:Pa55-w0rd@127.0.0.1:9000/hook", "json://bot:****@127.0.0.1:9000/hook"),
    ("json://127.0.0.1:9/hook", "json://127.0.0.1:9/hook"),
    ("matrixs://bot:Pa55-w0rd@matrix.org/#newsroom:matrix.org", "matrixs://bot:****@matrix.org/#newsroom:matrix.org"),
    ("ntfy://ntfy.sh/belarus-desk", "ntfy://ntfy.sh/belarus-desk"),
])
def test_targets_are_shown_as_written_with_secrets_masked(url, shown):
    assert masked_url(url) == shown
    for secret in ("Pa55-w0rd", "p%40ss-w0rd", "p@ss-w0rd", "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",
                   "TIiajkdnlazkcOXrIdevi7FQ"):
        assert secret not in masked_url(url)


def test_check_config_and_alerts_show_targets_as_written(tmp_path):
    secret_mail = "mailtos://night-editor:Pa55-w0rd@example.org?smtp=smtp.example.org&to=desk@example.org"
    config = load_config(write(tmp_path, [LOOPBACK_MAIL, secret_mail]))
    summary = config_summary(config)
    assert f"notify: {LOOPBACK_MAIL}, mailtos://night-editor:****@example.org?smtp=smtp.example.org&to=desk@example.org" \
        in summary
    assert "%40" not in summary
    store = Store(config.monitor.database)
    try:
        store.save_article(Article("https://example.org/a/1", "Losik freed", "Ihar Losik was freed.", source="site"),
                           "hash", "story", [Hit("desk", "Ihar Losik", "Ihar Losik", "text", 0, 10, "Ihar Losik")],
                           alertable=True, targets={"desk": config.watchlists[0].notify})
        stored = [r["target_masked"] for r in store.query("SELECT target_masked FROM deliveries ORDER BY id")]
    finally:
        store.close()
    assert stored == [LOOPBACK_MAIL, "mailtos://night-editor:****@example.org?smtp=smtp.example.org&to=desk@example.org"]
    report = alerts_report(config)
    assert "mailto://127.0.0.1:8025?from=" in report  # the table may fold the rest onto the next line
    assert "%40" not in report
    assert "Pa55-w0rd" not in report


# -- item 7: mail URLs that cannot work --------------------------------------------------------------
@pytest.mark.parametrize(("url", "problem"), [
    ("mailto://desk@@example", "malformed address 'desk@@example'"),
    ("mailtos://user:pw@example.org", "no recipient and no SMTP server: example.org is not a mail provider"),
    ("mailto://desk@example", "no recipient and no SMTP server"),
    ("mailtos://user:pw@example.org/not-an-address", "no valid recipient address"),
])
def test_mail_urls_that_cannot_work_are_refused_with_what_is_missing(tmp_path, url, problem):
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, ["json://127.0.0.1:9/hook", url]))
    error = caught.value
    assert (error.line, error.key) == (6, "watchlists.desk.notify[1]")
    assert problem in error.message
    assert str(error).startswith(f"{tmp_path / 'config.toml'}:6: watchlists.desk.notify[1]: apprise cannot use")
    assert "pw@" not in str(error)


@pytest.mark.parametrize("url", [
    LOOPBACK_MAIL,
    "mailtos://user:pw@example.org?to=desk@example.org",  # the host is the SMTP server
    "mailtos://user:pw@example.org?smtp=smtp.example.org",  # to the login's own address, through smtp=
    "mailtos://user:pw@gmail.com",  # a provider apprise knows: smtp.gmail.com, to the user's own address
    "mailtos://smtp.example.org?user=me&pass=pw&to=desk@example.org",
    "mailto://localhost/desk@example.org",
])
def test_mail_urls_that_can_work_are_accepted(url):
    assert url_problem(url) is None


# -- item 8: no apprise log lines before our message -----------------------------------------------
def test_an_unknown_scheme_gives_only_our_message(tmp_path):
    path = write(tmp_path, ["telegram://123456789:AAH-secret-token/-100123"])
    result = subprocess.run([sys.executable, "-m", "monitor", "check-config", "--config", str(path)],
                            capture_output=True, text=True, env=_env(), cwd=REPO, timeout=60)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"error: {path}:6: watchlists.desk.notify[0]: apprise cannot use 'telegram://…': unknown service or "
        "malformed URL (formats: https://github.com/caronc/apprise/wiki)"]


def test_validation_logs_nothing_from_apprise_but_other_threads_still_can(tmp_path, caplog):
    caplog.set_level(logging.DEBUG, logger="apprise")
    assert url_problem("telegram://abc/def") is not None
    assert url_problem("nosuch://x") is not None
    assert [r for r in caplog.records if r.name.startswith("apprise")] == []
    logging.getLogger("apprise").error("from a send, after validation")
    assert [r.getMessage() for r in caplog.records] == ["from a send, after validation"]
