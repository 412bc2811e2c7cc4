"""Datasette plugin for `monitor ui`: a small stylesheet that keeps wide columns inside the window.

Delivery targets and article addresses are long words without spaces, so a browser would not wrap them and
the table would run past a 1,400 px window, cutting off the delivery column. Letting those cells break
anywhere keeps every column on screen. Like feeds.py, it is active only when `monitor ui` configured it.
"""

from __future__ import annotations

from typing import Any

from datasette import hookimpl
from datasette.utils.asgi import Response

PLUGIN = "news-monitor"
CSS_ROUTE = r"^/-/news-monitor\.css$"
CSS_PATH = "/-/news-monitor.css"
# Columns of the canned queries that hold addresses or passages (monitor/ui/server.py).
STYLESHEET = """\
.rows-and-columns td.col-delivery, .rows-and-columns td.col-url, .rows-and-columns td.col-context,
.rows-and-columns td.col-also_reported_by, .rows-and-columns td.col-target_masked {
  overflow-wrap: anywhere;
}
.rows-and-columns td.col-delivery { min-width: 14em; }
.rows-and-columns td.col-url { min-width: 10em; }
"""


async def stylesheet(request: Any) -> Response:
    """GET /-/news-monitor.css."""
    return Response(STYLESHEET, content_type="text/css; charset=utf-8")


@hookimpl  # type: ignore[untyped-decorator]  # Datasette ships no type hints
def register_routes(datasette: Any) -> list[tuple[str, Any]]:
    """The stylesheet's route (only when `monitor ui` configured this plugin)."""
    return [(CSS_ROUTE, stylesheet)] if datasette.plugin_config(PLUGIN) else []


@hookimpl  # type: ignore[untyped-decorator]  # Datasette ships no type hints
def extra_css_urls(datasette: Any) -> list[str]:
    """Every page loads the stylesheet (only when `monitor ui` configured this plugin)."""
    return [datasette.urls.path(CSS_PATH)] if datasette.plugin_config(PLUGIN) else []
