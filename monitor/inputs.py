"""Read a file or URL named on the command line into a RawPage (for `monitor clean` and `monitor match`)."""

from __future__ import annotations

import gzip
import socket
import ssl
import urllib.error
import urllib.request
from email.message import Message
from pathlib import Path

from monitor.errors import MonitorError
from monitor.models import RawPage

FETCH_TIMEOUT_S = 30
FETCH_MAX_BYTES = 20 * 1024 * 1024
USER_AGENT = "news-monitor/0.1 (command line)"


class InputError(MonitorError):
    """A file or URL named on the command line could not be read; `detail` says why, without the name."""

    def __init__(self, name: str, detail: str) -> None:
        self.name, self.detail = name, detail
        super().__init__(f"{name}: {detail}")


def read_input(name: str) -> RawPage:
    """A local file (plain or .gz) or an http(s) URL, as a RawPage."""
    if name.startswith(("http://", "https://")):
        return _fetch(name)
    path = Path(name)
    try:
        body = path.read_bytes()
    except OSError as exc:
        raise InputError(name, f"cannot read file: {_lower_first(exc.strerror or str(exc))}") from exc
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
    except (OSError, ValueError) as exc:  # URLError and HTTPError are OSErrors; ValueError: a malformed URL
        raise InputError(url, f"cannot fetch URL: {describe_fetch_error(exc)}") from exc
    return RawPage(url=url, final_url=final, body=body[:FETCH_MAX_BYTES], source=url,
                   http_encoding=headers.get_content_charset(), content_type=headers.get_content_type())


def describe_fetch_error(exc: BaseException) -> str:
    """Why a fetch failed, in words ("connection refused", "HTTP 404 Not Found"), not urllib's repr."""
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code} {exc.reason}".strip()
    if isinstance(exc, urllib.error.URLError) and isinstance(exc.reason, BaseException):
        return describe_fetch_error(exc.reason)
    if isinstance(exc, socket.gaierror):
        return "the host name cannot be resolved"
    if isinstance(exc, TimeoutError | socket.timeout):
        return "no answer in time (timed out)"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"the site's TLS certificate is not valid ({exc.verify_message})"
    if isinstance(exc, ssl.SSLError):
        return f"TLS error ({exc.reason or exc})"
    if isinstance(exc, OSError) and exc.strerror:
        return _lower_first(exc.strerror)
    reason = getattr(exc, "reason", None)
    return _lower_first(str(reason if reason is not None else exc) or type(exc).__name__)


def _lower_first(text: str) -> str:
    """"Connection refused" → "connection refused", but "HTTP ..." and "TLS ..." keep their capitals."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text
