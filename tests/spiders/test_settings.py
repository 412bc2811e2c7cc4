"""scrapy_settings and Retry-After parsing: politeness and safety defaults that must not drift."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from scrapy.settings import Settings

from spiders.settings import parse_retry_after, scrapy_settings


def make(**overrides: object) -> dict[str, object]:
    args: dict[str, object] = {
        "user_agent": "NewsMonitor/1.0 (+https://example.org/about)",
        "download_timeout": 30.0,
        "max_page_size": 5_000_000,
        "concurrency_per_domain": 2,
        "obey_robots": True,
        **overrides,
    }
    return scrapy_settings(**args)  # type: ignore[arg-type]


def test_settings_are_polite_bounded_and_open_no_ports() -> None:
    settings = make()
    assert settings["ROBOTSTXT_OBEY"] is True
    assert settings["AUTOTHROTTLE_ENABLED"] is True
    assert settings["CONCURRENT_REQUESTS_PER_DOMAIN"] == 2
    assert settings["USER_AGENT"] == "NewsMonitor/1.0 (+https://example.org/about)"
    assert settings["DOWNLOAD_TIMEOUT"] == 30.0
    assert settings["DOWNLOAD_MAXSIZE"] == 5_000_000
    assert settings["TELNETCONSOLE_ENABLED"] is False
    assert settings["REMOTE_CONTROL_ENABLED"] is False
    assert settings["COOKIES_ENABLED"] is False
    assert settings["HTTPCACHE_ENABLED"] is False
    assert {429, 503} <= set(settings["RETRY_HTTP_CODES"])  # type: ignore[call-overload]
    assert settings["DOWNLOAD_HANDLERS"] == {"file": None, "s3": None, "ftp": None, "data": None}


def test_every_setting_name_is_one_scrapy_knows_or_ours() -> None:
    known = set(Settings().attributes)
    ours = {"MONITOR_RETRY_AFTER_MAX"}
    assert set(make()) - known == ours


def test_fast_mode_drops_delays_and_overrides_win() -> None:
    settings = make(fast=True, overrides={"LOG_LEVEL": "DEBUG", "ROBOTSTXT_OBEY": False})
    assert settings["AUTOTHROTTLE_START_DELAY"] == 0.0
    assert settings["DOWNLOAD_DELAY"] == 0.0
    assert settings["LOG_LEVEL"] == "DEBUG"
    assert settings["ROBOTSTXT_OBEY"] is False
    assert make()["AUTOTHROTTLE_START_DELAY"] == 0.5


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("120", 120.0),
        (b" 5 ", 5.0),
        ("Fri, 10 May 2024 12:01:00 GMT", 60.0),
        ("Fri, 10 May 2024 11:00:00 GMT", 0.0),  # in the past: retry now
        ("soon", None),
        ("-5", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after_header(header: str | bytes | None, seconds: float | None) -> None:
    now = datetime(2024, 5, 10, 12, 0, tzinfo=UTC)
    assert parse_retry_after(header, now=now) == seconds
