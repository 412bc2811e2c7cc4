"""A source's rhythm from its own history, and when silence is much longer than usual (issue 15)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from monitor.run.rhythm import describe_gap, learn, quiet_since

DAY = 86400.0
MONDAY = datetime(2025, 3, 3, tzinfo=UTC)  # a Monday, 00:00 UTC


def _every(start: datetime, step: timedelta, count: int) -> list[datetime]:
    return [start + step * n for n in range(count)]


def test_an_even_source_is_quiet_after_four_gaps_and_the_floor():
    arrivals = _every(MONDAY, timedelta(minutes=40), 200)
    rhythm = learn(arrivals)
    assert rhythm is not None
    assert describe_gap(rhythm.typical_gap) == "40 min"
    last = arrivals[-1]
    # 4 x 40 min have passed, but the 24 h floor has not
    assert quiet_since(rhythm, last + timedelta(hours=3), floor=DAY) is None
    assert quiet_since(rhythm, last + timedelta(hours=25), floor=DAY) == last
    # with a small floor, four typical gaps decide
    assert quiet_since(rhythm, last + timedelta(minutes=150), floor=60) is None
    assert quiet_since(rhythm, last + timedelta(minutes=170), floor=60) == last


def test_a_daily_source_is_quiet_after_about_four_days_not_one():
    arrivals = _every(MONDAY, timedelta(days=1), 20)
    rhythm = learn(arrivals)
    assert rhythm is not None
    last = arrivals[-1]
    assert quiet_since(rhythm, last + timedelta(days=2), floor=DAY) is None
    assert quiet_since(rhythm, last + timedelta(days=5), floor=DAY) == last


def test_too_little_history_never_flags_a_new_or_weekly_source():
    assert learn([]) is None
    assert learn(_every(MONDAY, timedelta(hours=1), 5)) is None  # a new source: five arrivals so far
    weekly = _every(MONDAY, timedelta(weeks=1), 10)  # ten weeks of a weekly source: four in the window
    rhythm = learn(weekly)
    assert rhythm is None
    assert quiet_since(rhythm, weekly[-1] + timedelta(weeks=3), floor=DAY) is None


def test_nights_and_weekends_are_learnt_by_hour_of_the_week():
    """A newsroom that publishes every 30 min on weekdays from 08:00 to 18:00 UTC, for four weeks."""
    arrivals = [MONDAY + timedelta(days=day, hours=8, minutes=30 * n)
                for day in range(28) if (MONDAY + timedelta(days=day)).weekday() < 5 for n in range(20)]
    rhythm = learn(arrivals)
    assert rhythm is not None
    assert rhythm.hourly is not None
    friday_evening = arrivals[-1]  # Friday 17:30
    assert friday_evening.weekday() == 4
    # the weekend and Monday's early hours are expected to be silent: 62 hours later, not quiet
    monday_morning = friday_evening + timedelta(hours=62)
    assert quiet_since(rhythm, monday_morning, floor=DAY) is None
    # a flat rhythm would have flagged it long before
    assert (monday_morning - friday_evening).total_seconds() > 4 * rhythm.typical_gap
    # but a Monday that stays silent until noon is quiet
    assert quiet_since(rhythm, friday_evening + timedelta(hours=67), floor=DAY) == friday_evening


def test_quiet_detection_can_be_switched_off():
    arrivals = _every(MONDAY, timedelta(minutes=10), 50)
    assert quiet_since(learn(arrivals), arrivals[-1] + timedelta(days=30), floor=0) is None


def test_describe_gap_in_words():
    assert [describe_gap(s) for s in (1, 59, 2400, 3 * 3600, 2 * DAY)] == ["1 s", "59 s", "40 min", "3 h", "2 days"]
