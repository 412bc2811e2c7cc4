"""Shared pytest fixtures: real servers on 127.0.0.1, port 0."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.servers import NewsSite

if TYPE_CHECKING:
    from collections.abc import Iterator


@pytest.fixture
def news_site() -> Iterator[NewsSite]:
    """A fresh loopback news site (see tests/servers.py), closed after the test."""
    with NewsSite() as site:
        yield site


@pytest.fixture(autouse=True)
def _forget_secrets_registered_by_the_test() -> Iterator[None]:
    """A ${VAR} value one test's config registers would mask the same text in every later test of the run."""
    from monitor.config import secrets

    before = set(secrets._SECRETS)
    yield
    with secrets._LOCK:
        secrets._SECRETS.intersection_update(before)
