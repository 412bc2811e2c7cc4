"""A source's rhythm, learnt from its own history, and whether it has gone quiet.

The history is the runs that found new articles (`arrivals`) in the weeks before the latest one. From it:
- the typical gap: the mean time between arrivals (what `monitor status` shows: "usually every 40 min");
- once the history spans two weeks, a rate per hour of the week, so that a source that is silent every
  night and every weekend is expected to be silent then too.

A source is quiet when, since its last arrival, the expected number of arrivals has reached `factor`
(4: "more than 4x its typical gap" for an even rhythm) and at least `floor` has passed. A Poisson source
misses four expected arrivals in a row about 2% of the time; the floor keeps fast sources from being
flagged for an ordinary lull. With fewer than `min_arrivals` in its history (a new source, or one that
publishes weekly) a source is never flagged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

HISTORY = timedelta(weeks=4)
WEEK_HOURS = 7 * 24
HOUR_OF_WEEK_AFTER = timedelta(weeks=2)  # history span from which rates per hour of the week are used
QUIET_FACTOR = 4.0
MIN_ARRIVALS = 8
# A tenth of an hour of the overall rate added to each hour of the week: an hour without any arrival in weeks of
# history is "rare", not "never", yet a silent weekend adds up to about one expected arrival, not several.
PRIOR_HOURS = 0.1


@dataclass(frozen=True)
class Rhythm:
    """What a source's history says about when new articles come."""

    arrivals: int  # arrivals in the history window
    last: datetime  # the latest arrival
    typical_gap: float  # seconds between arrivals, on average
    hourly: tuple[float, ...] | None  # expected arrivals per hour of the week (Monday 00:00 UTC first), or None

    def expected(self, start: datetime, end: datetime, *, stop_at: float = float("inf")) -> float:
        """How many arrivals the history predicts between start and end (counting stops past `stop_at`)."""
        if end <= start:
            return 0.0
        if self.hourly is None:
            return (end - start).total_seconds() / self.typical_gap
        total, moment = 0.0, start
        while moment < end and total < stop_at:
            hour_end = moment.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
            step = min(hour_end, end) - moment
            total += self.hourly[_hour_of_week(moment)] * step.total_seconds() / 3600.0
            moment += step
        return total


def learn(arrivals: list[datetime], *, min_arrivals: int = MIN_ARRIVALS) -> Rhythm | None:
    """The rhythm of a source from its arrival times (oldest first), or None with too little history."""
    if not arrivals:
        return None
    last = arrivals[-1]
    window = [a for a in arrivals if a >= last - HISTORY]
    if len(window) < max(2, min_arrivals):
        return None
    span = (last - window[0]).total_seconds()
    if span <= 0:
        return None
    gap = span / (len(window) - 1)
    hourly = None
    if last - window[0] >= HOUR_OF_WEEK_AFTER:
        hourly = _hourly_rates(window, window[0], last, 3600.0 / gap)
    return Rhythm(len(window), last, gap, hourly)


def _hourly_rates(arrivals: list[datetime], start: datetime, end: datetime, overall: float) -> tuple[float, ...]:
    """Arrivals per hour for each hour of the week: seen in that hour / hours of it observed, smoothed."""
    seen = [0.0] * WEEK_HOURS
    for moment in arrivals:
        seen[_hour_of_week(moment)] += 1
    observed = [0.0] * WEEK_HOURS
    moment = start
    while moment < end:
        hour_end = moment.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
        step = min(hour_end, end) - moment
        observed[_hour_of_week(moment)] += step.total_seconds() / 3600.0
        moment += step
    return tuple((seen[h] + PRIOR_HOURS * overall) / (observed[h] + PRIOR_HOURS) for h in range(WEEK_HOURS))


def _hour_of_week(moment: datetime) -> int:
    return moment.weekday() * 24 + moment.hour


def quiet_since(rhythm: Rhythm | None, now: datetime, *, floor: float, factor: float = QUIET_FACTOR) -> datetime | None:
    """The last arrival, when the source has been quiet since then for much longer than usual; else None."""
    if rhythm is None or floor <= 0:
        return None
    if (now - rhythm.last).total_seconds() < floor:
        return None
    if rhythm.expected(rhythm.last, now, stop_at=factor) < factor:
        return None
    return rhythm.last


def describe_gap(seconds: float) -> str:
    """A typical gap in words: "40 min", "3 h", "2 days"."""
    if seconds < 90:
        return f"{max(1, round(seconds))} s"
    if seconds < 90 * 60:
        return f"{round(seconds / 60)} min"
    if seconds < 36 * 3600:
        return f"{round(seconds / 3600)} h"
    return f"{round(seconds / 86400)} days"
