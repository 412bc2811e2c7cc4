"""UI stage: browse, search and export the database in Datasette, read-only, with canned queries.

Takes the config; gives a local Datasette server (`run_ui`) that also serves the Atom feeds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from monitor.exports import lazy_exports

if TYPE_CHECKING:
    from monitor.ui.server import run_ui as run_ui

# name → the module that defines it, imported on first use (see monitor/exports.py for why).
EXPORTS = {
    "run_ui": "server",
}
__all__ = sorted(EXPORTS)
__getattr__ = lazy_exports(__name__, EXPORTS)
