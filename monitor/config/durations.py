"""Durations, sizes and digest schedules as written in config.toml ("1h30m", "10MB", "daily 08:00")."""

from __future__ import annotations

import re
from typing import NamedTuple

# Seconds per unit. No month or year: their length varies, and nobody polls a news feed monthly.
_UNITS = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([a-z]+)")
_DURATION = re.compile(r"(?:\d+(?:\.\d+)?\s*[a-z]+\s*)+")

# Binary multiples: "10MB" means 10 × 1024², what the page-size guard counts and what most tools mean.
_SIZE_UNITS = {"": 1, "b": 1, "kb": 1024, "kib": 1024, "mb": 1024**2, "mib": 1024**2, "gb": 1024**3, "gib": 1024**3}
_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*([a-z]*)", re.IGNORECASE)

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DIGEST = re.compile(
    r"(?P<every>hourly)|(?P<daily>daily)\s+(?P<dh>\d{1,2}):(?P<dm>\d{2})"
    r"|(?P<weekly>weekly)\s+(?P<day>[a-z]+)\s+(?P<wh>\d{1,2}):(?P<wm>\d{2})"
)


def parse_duration(text: str) -> float:
    """Seconds in a duration such as "30s", "10m", "1h30m", "1d" or "0"; raises ValueError."""
    spec = text.strip()
    if spec == "0":
        return 0.0
    if re.fullmatch(r"\d+(?:\.\d+)?", spec):
        raise ValueError(f"a duration needs a unit: write '{spec}s' or '{spec}m', not {text!r}")
    if not _DURATION.fullmatch(spec):
        raise ValueError(f"expected a duration like '30s', '10m', '1h30m' or '1d', got {text!r}")
    seconds, seen = 0.0, set()
    for number, unit in _DURATION_PART.findall(spec):
        if unit not in _UNITS:
            raise ValueError(f"unknown unit {unit!r} in duration {text!r}; use w, d, h, m or s")
        if unit in seen:
            raise ValueError(f"unit {unit!r} given twice in duration {text!r}")
        seen.add(unit)
        seconds += float(number) * _UNITS[unit]
    return seconds


def format_duration(seconds: float) -> str:
    """The shortest config spelling of a duration: 5400 → "1h30m", 0 → "0"."""
    if seconds <= 0:
        return "0"
    rest, parts = round(seconds, 3), []
    for unit in ("d", "h", "m"):
        count, rest = divmod(rest, _UNITS[unit])
        if count:
            parts.append(f"{int(count)}{unit}")
    if rest:
        parts.append(f"{rest:g}s")
    return "".join(parts)


def parse_size(text: str) -> int:
    """Bytes in a size such as "10MB", "512KB", "2GiB" or "1048576"; raises ValueError."""
    match = _SIZE.fullmatch(text.strip())
    unit = match.group(2).lower() if match else ""
    if not match or unit not in _SIZE_UNITS:
        raise ValueError(f"expected a size like '512KB' or '10MB', got {text!r}")
    return int(float(match.group(1)) * _SIZE_UNITS[unit])


def format_size(size: int) -> str:
    """A size the way config.toml writes it: 10485760 → "10MB"."""
    for unit in ("GB", "MB", "KB"):
        factor = _SIZE_UNITS[unit.lower()]
        if size >= factor and size % factor == 0:
            return f"{size // factor}{unit}"
    return f"{size}B"


class DigestSpec(NamedTuple):
    """When a digest goes out: every hour, daily at HH:MM, or weekly on a weekday at HH:MM."""

    every: str  # "hourly" | "daily" | "weekly"
    hour: int = 0
    minute: int = 0
    weekday: int | None = None  # 0 = Monday, as datetime.weekday()

    def __str__(self) -> str:
        if self.every == "hourly":
            return "hourly"
        at = f"{self.hour:02d}:{self.minute:02d}"
        day = f" {WEEKDAYS[self.weekday]}" if self.weekday is not None else ""
        return f"{self.every}{day} {at}"


def parse_digest(text: str) -> DigestSpec:
    """Parse "hourly", "daily HH:MM" or "weekly mon HH:MM" (24-hour clock); raises ValueError."""
    spec = " ".join(text.lower().split())
    match = _DIGEST.fullmatch(spec)
    if not match:
        raise ValueError(f"expected 'hourly', 'daily HH:MM' or 'weekly mon HH:MM', got {text!r}")
    if match["every"]:
        return DigestSpec("hourly")
    hour, minute = (int(match["dh"]), int(match["dm"])) if match["daily"] else (int(match["wh"]), int(match["wm"]))
    if hour > 23 or minute > 59:
        raise ValueError(f"no such time of day {hour}:{minute:02d} in {text!r} (24-hour clock, 00:00-23:59)")
    if match["daily"]:
        return DigestSpec("daily", hour, minute)
    day = match["day"]
    if day not in WEEKDAYS and day not in _WEEKDAY_NAMES:
        raise ValueError(f"unknown weekday {day!r} in {text!r}; use mon, tue, wed, thu, fri, sat or sun")
    return DigestSpec("weekly", hour, minute, WEEKDAYS.index(day[:3]))
