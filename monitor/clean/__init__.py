"""Clean stage: a fetched page reduced to its article.

Takes a `RawPage` (bytes, URL, HTTP hints), or a `Post` read already structured from a channel or social
feed; gives an `Article` (title, body text in reading order, dates with the page's own UTC offset, authors,
byline and credit lines, language, canonical URL), or raises `PageRejected(reason)` carrying the page's
metadata. Also gives `decode_html`, the one way page bytes become text. Runs in the cleaning pool's
processes, so nothing here touches the database or the network.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from monitor.exports import lazy_exports

if TYPE_CHECKING:
    from monitor.clean.cleaner import clean_html as clean_html
    from monitor.clean.cleaner import clean_page as clean_page
    from monitor.clean.encoding import decode_html as decode_html
    from monitor.clean.jsonld import ARTICLE_TYPES as ARTICLE_TYPES
    from monitor.clean.jsonld import jsonld_objects as jsonld_objects
    from monitor.clean.post import post_article as post_article

# name → the module that defines it, imported on first use (see monitor/exports.py for why).
EXPORTS = {
    "ARTICLE_TYPES": "jsonld",
    "clean_html": "cleaner",
    "clean_page": "cleaner",
    "decode_html": "encoding",
    "jsonld_objects": "jsonld",
    "post_article": "post",
}
__all__ = sorted(EXPORTS)
__getattr__ = lazy_exports(__name__, EXPORTS)
