"""Real alert receivers on 127.0.0.1 for tests: an SMTP server (aiosmtpd) and a chat-style webhook."""

from __future__ import annotations

import asyncio
import email
import email.policy
import json
import socket
import threading
import time
from collections.abc import Callable
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    """A port the OS says is free now (aiosmtpd's Controller cannot bind port 0 and report it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(predicate: Callable[[], Any], timeout: float = 20.0, interval: float = 0.05) -> Any:
    """Poll `predicate` until it returns something truthy; fail the test at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        time.sleep(interval)


class _Collector:
    def __init__(self) -> None:
        self.delay = 0.0  # seconds to hold the reply after a message arrived (a send "in flight")
        self.hold_before_data = False  # keep senders waiting at RCPT: the message never reaches the server
        self.held = 0  # sessions that reached RCPT while held
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.lock = threading.Lock()

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,  # noqa: N802 (aiosmtpd)
                          rcpt_options: list[str]) -> str:
        if self.hold_before_data:
            with self.lock:
                self.held += 1
            while self.hold_before_data:
                await asyncio.sleep(0.05)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd API)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)  # type: ignore[arg-type]
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 OK"


class SmtpSink:
    """A real SMTP server; `.url(to=...)` is the apprise mailto:// URL that delivers to it."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.collector = _Collector()
        self.controller: Controller | None = None

    def start(self) -> SmtpSink:
        self.controller = Controller(self.collector, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def __enter__(self) -> SmtpSink:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    @property
    def messages(self) -> list[EmailMessage]:
        with self.collector.lock:
            return list(self.collector.messages)

    def url(self, to: str = "desk@example.org") -> str:
        return f"mailto://127.0.0.1:{self.port}?from=alerts@example.org&to={to}"


def body_text(message: EmailMessage) -> str:
    """The plain-text part (or the only part) of a received e-mail."""
    part = message.get_body(preferencelist=("plain", "html"))
    return part.get_content() if part is not None else ""


def body_html(message: EmailMessage) -> str:
    """The HTML part of a received e-mail, '' when there is none."""
    part = message.get_body(preferencelist=("html",))
    return part.get_content() if part is not None else ""


class WebhookSink:
    """A chat-style webhook on loopback recording every JSON POST; `status` can be set to fail requests."""

    def __init__(self) -> None:
        self.posts: list[dict[str, Any]] = []
        self.requests = 0  # every POST, answered with an error or not
        self.status = 200
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length", 0))
                raw = self.rfile.read(length)
                sink.requests += 1
                if sink.status == 200:
                    try:
                        sink.posts.append(json.loads(raw or b"{}"))
                    except ValueError:
                        sink.posts.append({"raw": raw.decode("utf-8", "replace")})
                self.send_response(sink.status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> WebhookSink:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()

    def url(self, path: str = "/hook") -> str:
        return f"json://127.0.0.1:{self.port}{path}"
