"""The page's JSON-LD: find the schema.org article object among its <script type="application/ld+json"> blocks."""

from __future__ import annotations

import json
import re
from typing import Any

from lxml.html import HtmlElement

ARTICLE_TYPES = frozenset(
    """
    NewsArticle Article BlogPosting ReportageNewsArticle AnalysisNewsArticle OpinionNewsArticle
    BackgroundNewsArticle ReviewNewsArticle LiveBlogPosting Report ScholarlyArticle TechArticle SatiricalArticle
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
JSONLD_TRAILING_COMMA = re.compile(r",\s*([}\]])")


def jsonld_objects(root: HtmlElement) -> list[dict[str, Any]]:
    """Every JSON-LD object that describes the page: the top-level objects, @graph members and mainEntity of
    each <script type="application/ld+json"> block (a block that cannot be read is skipped)."""
    found: list[dict[str, Any]] = []
    for el in root.iter("script"):
        if (el.get("type") or "").strip().lower() == "application/ld+json" and el.text:
            found.extend(_walk_jsonld(_load_json(el.text)))
    return found


def jsonld_article(root: HtmlElement) -> dict[str, Any]:
    """The first JSON-LD object of an article type (NewsArticle, BlogPosting, ...), or {}."""
    for obj in jsonld_objects(root):
        types = obj.get("@type")
        types = types if isinstance(types, list) else [types]
        if any(isinstance(t, str) and t in ARTICLE_TYPES for t in types):
            return obj
    return {}


def _load_json(text: str) -> Any:
    """json.loads, forgiving HTML comment wrappers and trailing commas (both common in the wild)."""
    text = text.strip().removeprefix("<!--").removesuffix("-->").strip()
    for candidate in (text, JSONLD_TRAILING_COMMA.sub(r"\1", text)):
        try:
            return json.loads(candidate, strict=False)
        except ValueError:
            continue
    return None


def _walk_jsonld(data: Any, depth: int = 0) -> list[dict[str, Any]]:
    """Every dict in a JSON-LD value, top-level objects and @graph members first."""
    if depth > 4:
        return []
    if isinstance(data, list):
        return [obj for item in data for obj in _walk_jsonld(item, depth + 1)]
    if not isinstance(data, dict):
        return []
    found = [data]
    if "@graph" in data:
        found.extend(_walk_jsonld(data["@graph"], depth + 1))
    if isinstance(data.get("mainEntity"), list | dict):
        found.extend(_walk_jsonld(data["mainEntity"], depth + 1))
    return found
