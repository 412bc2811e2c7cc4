"""Build the dev pages (html/<id>.html and ground-truth.json) from the hand-written sources in source/.

    python benchmarks/dev-pages/build.py        # rewrites html/ and ground-truth.json

Each article in source/*.txt is written once; a page template ("shell", shells.py) wraps it in the markup a
CMS or page builder would produce, with menus, banners, promos and footers, and injects the failure classes
the article asks for (features). The label is made from the same source: the article body as a reader would
mark it, the calendar day of publication, the authors, and the person names in the body. The source format
is described in README.md.
"""

from __future__ import annotations

import html
import json
import re
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from shells import SHELLS  # noqa: E402

HEADER = re.compile(r"^([a-z_]+):\s*(.*)$")


@dataclass
class Item:
    """One piece of the body, in reading order."""

    kind: str  # p h2 h3 quote list figure credit related math slide factbox live
    text: str = ""
    items: list[str] = field(default_factory=list)  # list items, or (time, heading) for a live entry
    labelled: bool = True  # part of the hand-labelled body


@dataclass
class Article:
    """One source article with its page options and its labels."""

    id: str
    fields: dict[str, str]
    items: list[Item]

    def get(self, key: str, default: str = "") -> str:
        """A header field."""
        return self.fields.get(key, default)

    @property
    def lang(self) -> str:
        """The page's language."""
        return self.get("lang", self.id.split("-")[0])

    @property
    def features(self) -> set[str]:
        """The failure classes and options the page carries."""
        return {f.strip() for f in self.get("features").split(",") if f.strip()}

    def split(self, key: str, sep: str = ";") -> list[str]:
        """A list header field."""
        return [v.strip() for v in self.get(key).split(sep) if v.strip()]

    @property
    def published(self) -> datetime | None:
        """The publication time with the page's own offset."""
        value = self.get("published")
        return datetime.fromisoformat(value) if value and value != "-" else None


def parse_source(path: Path) -> list[Article]:
    """The articles of one source file (see README.md for the format)."""
    articles = []
    for chunk in re.split(r"^=== ", path.read_text(encoding="utf-8"), flags=re.M)[1:]:
        head, _, body = chunk.partition("\n---\n")
        lines = head.strip().split("\n")
        fields = {}
        for line in lines[1:]:
            if line.strip().startswith("#") or not line.strip():
                continue
            match = HEADER.match(line.strip())
            if not match:
                raise SystemExit(f"{path}: {lines[0]}: bad header line {line!r}")
            fields[match.group(1)] = match.group(2).strip()
        articles.append(Article(lines[0].strip(), fields, parse_body(body)))
    return articles


def parse_body(text: str) -> list[Item]:
    """Blank-line separated paragraphs; prefixes mark subheadings, quotes, lists and the rest."""
    items: list[Item] = []
    for raw in re.split(r"\n\s*\n", text.strip()):
        block = " ".join(raw.split()) if not raw.lstrip().startswith("- ") else raw.strip()
        if block.startswith("## "):
            items.append(Item("h2", block[3:]))
        elif block.startswith("### "):
            items.append(Item("h3", block[4:]))
        elif block.startswith("> "):
            items.append(Item("quote", block[2:]))
        elif block.startswith("- "):
            items.append(Item("list", items=[" ".join(li.split()) for li in block[2:].split("\n- ")]))
        elif block.startswith("[caption] "):
            items.append(Item("figure", block[10:], labelled=False))
        elif block.startswith("[credit] "):
            items.append(Item("credit", block[9:], labelled=False))
        elif block.startswith("[related] "):
            items.append(Item("related", block[10:], labelled=False))
        elif block.startswith("[factbox] "):
            items.append(Item("factbox", items=[s.strip() for s in block[10:].split(" | ")], labelled=False))
        elif block.startswith("[slide] "):
            items.append(Item("slide", block[8:]))
        elif block.startswith("$$") and block.endswith("$$"):
            items.append(Item("math", block[2:-2].strip()))
        elif block.startswith("[live "):
            stamp, _, rest = block[6:].partition("] ")
            heading, _, text = rest.partition(" || ") if " || " in rest else ("", "", rest)
            items.append(Item("live", text, items=[stamp, heading]))
        else:
            items.append(Item("p", block))
    return items


INLINE_MATH = re.compile(r"\$([^$]+)\$")


def label_text(article: Article) -> str:
    """The hand-labelled body: what a reader marks as the article, paragraphs split by blank lines."""
    out = []
    for item in article.items:
        if not item.labelled:
            continue
        if item.kind == "list":
            out.extend(item.items)
        elif item.kind == "live":
            out.extend([x for x in (item.items[1], INLINE_MATH.sub(r"\1", item.text)) if x])
        else:
            out.append(INLINE_MATH.sub(r"\1", item.text))
    return "\n\n".join(out)


def words_of(text: str) -> list[str]:
    """Words as the scorer splits them."""
    return re.findall(r"\w+", text)


def check_labels(article: Article, body: str) -> list[str]:
    """Every labelled person name occurs in the labelled body, as whole words: the problems found."""
    hay = words_of(body)
    return [
        f"{article.id}: person {name!r} is not in the body"
        for name in article.split("persons")
        if not any(hay[i : i + len(words_of(name))] == words_of(name) for i in range(len(hay)))
    ]


def ground_truth(article: Article) -> dict[str, object]:
    """The labels of one page."""
    body = label_text(article)
    shown = article.get("shown", "-") != "-" or article.get("meta", "none") != "none"
    published = article.published
    return {
        "articleBody": body,
        "url": article.get("url"),
        "lang": article.lang,
        "shell": article.get("shell"),
        "features": sorted(article.features),
        "date": published.date().isoformat() if published and shown else None,
        "authors": article.split("authors"),
        "persons": article.split("persons"),
        "credits": [i.text for i in article.items if i.kind == "credit"],
    }


def main() -> int:
    """Build every page and the labels."""
    articles = [a for path in sorted((HERE / "source").glob("*.txt")) for a in parse_source(path)]
    ids = [a.id for a in articles]
    if len(ids) != len(set(ids)):
        raise SystemExit("duplicate article ids")
    truth = {}
    out = HERE / "html"
    out.mkdir(exist_ok=True)
    for old in out.glob("*.html"):
        old.unlink()
    problems = [p for article in articles for p in check_labels(article, label_text(article))]
    if problems:
        raise SystemExit("\n".join(problems))
    for article in articles:
        shell = SHELLS[article.get("shell")]
        page = shell(article)
        (out / f"{article.id}.html").write_text(page, encoding="utf-8")
        truth[article.id] = ground_truth(article)
    (HERE / "ground-truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(articles)} pages written to {out}")
    return 0


def esc(text: str) -> str:
    """HTML-escaped text."""
    return html.escape(text, quote=False)


if __name__ == "__main__":
    raise SystemExit(main())
