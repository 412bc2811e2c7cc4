"""Where the tests find the repository, their fixture pages and data, and the team's shared data beside it."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
PAGES = TESTS / "pages"
DATA = TESTS / "data"
SHARED = REPO.parent / "shared"  # ../shared: present on the team's machines, absent in a fresh clone
