"""Deliver stage: alerts out of the outbox to people (the only apprise user).

Takes due outbox rows and digests from the store; renders them with Jinja2 templates (HTML, text,
Markdown) and gives them to apprise, retrying with backoff and never sending twice. Also gives the
Atom feeds of alerts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from monitor.exports import lazy_exports

if TYPE_CHECKING:
    from monitor.deliver.alerts import Message as Message
    from monitor.deliver.atom import ATOM_TYPE as ATOM_TYPE
    from monitor.deliver.atom import feed_xml as feed_xml
    from monitor.deliver.atom import open_readonly as open_readonly
    from monitor.deliver.atom import write_feed as write_feed
    from monitor.deliver.notify import Dispatcher as Dispatcher
    from monitor.deliver.notify import destinations as destinations
    from monitor.deliver.notify import send_message as send_message
    from monitor.deliver.notify import watch_targets as watch_targets

# name → the module that defines it, imported on first use (see monitor/exports.py for why).
EXPORTS = {
    "ATOM_TYPE": "atom",
    "Dispatcher": "notify",
    "Message": "alerts",
    "destinations": "notify",
    "feed_xml": "atom",
    "open_readonly": "atom",
    "send_message": "notify",
    "watch_targets": "notify",
    "write_feed": "atom",
}
__all__ = sorted(EXPORTS)
__getattr__ = lazy_exports(__name__, EXPORTS)
