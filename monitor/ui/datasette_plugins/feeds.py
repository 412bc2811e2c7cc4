"""Datasette plugin for `monitor ui`: live Atom feeds of watchlists' alerts, and highlighted search snippets.

Loaded by `monitor ui` with --plugins-dir; it reads its settings from the metadata monitor/ui/server.py writes
(plugins → news-monitor: database, watchlists), so it does nothing in a Datasette started another way.
"""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import unquote

from datasette import hookimpl
from datasette.utils.asgi import Response

from monitor.deliver import ATOM_TYPE, feed_xml

PLUGIN = "news-monitor"
FEED_ROUTE = r"^/-/feeds/(?P<watchlist>[^/]+)\.atom$"
HIGHLIGHT = "**"  # what monitor/ui/server.py's search query wraps matched words in (FTS5 snippet())
_MARKED = re.compile(re.escape(html.escape(HIGHLIGHT)) + r"(.+?)" + re.escape(html.escape(HIGHLIGHT)))


def _settings(datasette: Any) -> dict[str, Any]:
    return datasette.plugin_config(PLUGIN) or {}


async def atom_feed(datasette: Any, request: Any) -> Response:
    """GET /-/feeds/WATCHLIST.atom: the watchlist's latest stories, read live from the database."""
    settings = _settings(datasette)
    watchlist = unquote(request.url_vars["watchlist"])
    if watchlist not in settings.get("watchlists", []):
        return Response.text(f"no watchlist {watchlist!r}\n", status=404)
    db = datasette.get_database(settings["database"])
    alternate = datasette.absolute_url(request, datasette.urls.path(f"/{settings['database']}/latest_alerts"))
    document = await db.execute_fn(
        lambda conn: feed_xml(conn, watchlist, self_url=request.url, alternate_url=alternate))
    return Response(document, content_type=ATOM_TYPE)


@hookimpl  # type: ignore[untyped-decorator]  # Datasette ships no type hints
def register_routes(datasette: Any) -> list[tuple[str, Any]]:
    """The feed route (only when `monitor ui` configured this plugin)."""
    return [(FEED_ROUTE, atom_feed)] if _settings(datasette) else []


@hookimpl  # type: ignore[untyped-decorator]  # Datasette ships no type hints
def render_cell(value: Any, column: str, table: str | None, database: str, datasette: Any) -> str | None:
    """Show the words a full-text search matched in a `snippet` column as <mark>, escaped otherwise."""
    settings = _settings(datasette)
    if column != "snippet" or table is not None or database != settings.get("database"):
        return None
    if not isinstance(value, str) or HIGHLIGHT not in value:
        return None
    from markupsafe import Markup  # Datasette's own dependency (via Jinja2)

    return Markup(_MARKED.sub(r"<mark>\1</mark>", html.escape(value)))  # noqa: S704 (escaped, then only <mark> added)
