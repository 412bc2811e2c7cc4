"""Clean stage: a fetched page reduced to its article.

Takes a `RawPage` (bytes, URL, HTTP hints); gives an `Article` (title, body text in reading order, dates
with the page's own UTC offset, authors, byline and credit lines, language, canonical URL), or raises
`PageRejected(reason)` carrying the page's metadata. Runs in the cleaning pool's processes, so nothing here
touches the database or the network.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from monitor.exports import lazy_exports

if TYPE_CHECKING:
    from monitor.clean.cleaner import clean_html as clean_html
    from monitor.clean.cleaner import clean_page as clean_page

# name → the module that defines it, imported on first use (see monitor/exports.py for why).
EXPORTS = {
    "clean_html": "cleaner",
    "clean_page": "cleaner",
}
__all__ = sorted(EXPORTS)
__getattr__ = lazy_exports(__name__, EXPORTS)
