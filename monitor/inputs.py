"""Read a file or URL named on the command line into a RawPage (for `monitor clean` and `monitor match`)."""

from __future__ import annotations

import gzip
import urllib.request
from email.message import Message
from pathlib import Path

from monitor.errors import MonitorError
from monitor.models import RawPage

FETCH_TIMEOUT_S = 30
FETCH_MAX_BYTES = 20 * 1024 * 1024
USER_AGENT = "news-monitor/0.1 (command line)"


class InputError(MonitorError):
    """A file or URL named on the command line could not be read."""


def read_input(name: str) -> RawPage:
    """A local file (plain or .gz) or an http(s) URL, as a RawPage."""
    if name.startswith(("http://", "https://")):
        return _fetch(name)
    path = Path(name)
    try:
        body = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{name}: cannot read: {exc.strerror}") from exc
    if body[:2] == b"\x1f\x8b":
        body = gzip.decompress(body)
    return RawPage(url=path.resolve().as_uri(), final_url=path.resolve().as_uri(), body=body, source=str(path))


def _fetch(url: str) -> RawPage:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})  # noqa: S310 (http(s) only)
    try:
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT_S) as response:  # noqa: S310 (http(s) only)
            body = response.read(FETCH_MAX_BYTES + 1)
            headers: Message = response.headers
            final = response.geturl()
    except OSError as exc:
        raise InputError(f"{url}: cannot fetch: {exc}") from exc
    return RawPage(url=url, final_url=final, body=body[:FETCH_MAX_BYTES], source=url,
                   http_encoding=headers.get_content_charset(), content_type=headers.get_content_type())
