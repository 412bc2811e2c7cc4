"""Bytes → str for HTML pages: BOM, HTTP charset, <meta> charset, then detection, never mojibake on purpose."""

from __future__ import annotations

import codecs
import logging
import re

from charset_normalizer import from_bytes

from monitor.errors import PageRejected

logger = logging.getLogger(__name__)

# Browsers read at most the first 1024 bytes for <meta charset>; real pages put it later (after big
# <script> blocks), so look a little further, as trafilatura and BeautifulSoup do.
META_SCAN_BYTES = 16384
META_CHARSET = re.compile(rb"""<meta[^>]{0,512}?charset\s*=\s*["']?\s*([a-zA-Z0-9_:.\-]+)""", re.IGNORECASE)
# Detection is slow on big inputs and gains nothing past the first few tens of kilobytes.
DETECT_SAMPLE_BYTES = 65536
# Above this share of U+FFFD the text is not worth cleaning: matches on it would be noise.
MAX_REPLACEMENT_SHARE = 0.05
# What undeclared pages are actually written in (W3Techs usage survey, plus the Cyrillic legacy
# encodings our users' sources still use). Rarer code pages that decode the same bytes (ISO-8859-4,
# mac-cyrillic, cp1125, ...) would otherwise win ties and produce near-miss mojibake.
WEB_ENCODINGS = [
    "utf_8",
    "cp1251",
    "koi8_r",
    "koi8_u",
    "cp1252",
    "iso8859_2",
    "cp1250",
    "iso8859_5",
    "cp866",
    "iso8859_15",
    "cp1253",
    "iso8859_7",
    "cp1254",
    "cp1257",
    "cp1255",
    "cp1256",
    "gb18030",
    "big5",
    "shift_jis",
    "euc_jp",
    "euc_kr",
    "cp874",
    "tis_620",
]
BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# WHATWG Encoding Standard: these labels mean windows-1252 in every browser, and pages rely on it
# (curly quotes in bytes 0x80-0x9F "declared" as latin-1).
WHATWG_ALIASES = {
    "latin1": "cp1252",
    "iso8859-1": "cp1252",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
    "iso8859-9": "cp1254",
}
# Single-byte encodings decode (nearly) any byte string without error, so a wrong declaration
# (a windows-1251 page sent as ISO-8859-1 or as KOI8-R) is only visible in the result.
LATIN_SINGLE_BYTE = {"cp1252", "iso8859-15", "cp1254"}
CYRILLIC_SINGLE_BYTE = {"cp1251", "koi8-r", "koi8-u", "iso8859-5", "cp866", "mac-cyrillic"}


def decode_html(body: bytes, http_encoding: str | None = None) -> str:
    """Decode a page to text: BOM, valid UTF-8, the HTTP charset, <meta charset>, then detection."""
    if not body:
        return ""
    for bom, name in BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(name, errors="replace")
    declared = [enc for enc in (_normalise(http_encoding), _meta_charset(body)) if enc]
    # Valid UTF-8 with non-ASCII bytes is almost never a legacy encoding in disguise, and
    # "declared windows-1251, actually UTF-8" is a common CMS misconfiguration: trust the bytes.
    utf8 = _strict(body, "utf-8")
    if utf8 is not None:
        return utf8
    for enc in declared:
        if enc == "utf-8":
            continue  # the strict UTF-8 decode above already failed: the declaration is wrong
        text = _strict(body, enc)
        if text is not None and not _looks_misdecoded(text, enc):
            return text
    return _detect(body, declared)


def _normalise(label: str | None) -> str | None:
    """Map a charset label to a Python codec name, or None when unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    try:
        name = codecs.lookup(label).name
    except LookupError:
        logger.debug("unknown charset label %r", label)
        return None
    return WHATWG_ALIASES.get(name, name)


def _meta_charset(body: bytes) -> str | None:
    """The charset named by a <meta charset> or http-equiv Content-Type near the top of the page."""
    match = META_CHARSET.search(body[:META_SCAN_BYTES])
    return _normalise(match.group(1).decode("ascii", "ignore")) if match else None


def _strict(body: bytes, encoding: str) -> str | None:
    """Decode without any error, or None."""
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _looks_misdecoded(text: str, encoding: str) -> bool:
    """True when a single-byte decode produced tell-tale mojibake rather than prose."""
    sample = text[:DETECT_SAMPLE_BYTES]
    letters = [ch for ch in sample if ch.isalpha()]
    if len(letters) < 50:
        return False
    if encoding in LATIN_SINGLE_BYTE:
        # Cyrillic or Greek bytes read as Latin come out as runs of accented letters; even
        # Portuguese or Icelandic prose keeps those well under a third of all letters.
        return sum(1 for ch in letters if "\u00c0" <= ch <= "\u00ff") > 0.3 * len(letters)
    if encoding in CYRILLIC_SINGLE_BYTE:
        # windows-1251 and KOI8-R put upper and lower case in swapped halves, so reading one as the
        # other gives mostly capitals; running Russian or Belarusian text has ~5% capitals.
        cyrillic = [ch for ch in letters if "\u0400" <= ch <= "\u04ff"]
        return len(cyrillic) >= 50 and sum(1 for ch in cyrillic if ch.isupper()) > 0.5 * len(cyrillic)
    return False


def _detect(body: bytes, declared: list[str]) -> str:
    """Guess the encoding with charset-normalizer; reject when nothing decodes cleanly."""
    sample = body[:DETECT_SAMPLE_BYTES]
    best = from_bytes(sample, cp_isolation=WEB_ENCODINGS, preemptive_behaviour=False).best()
    candidates = ([best.encoding] if best is not None else []) + declared + ["cp1252"]
    text = None
    for label in candidates:
        name = _normalise(label)
        if name and _decodes_cleanly(sample, name) and not _looks_misdecoded(sample.decode(name, "replace"), name):
            text = body.decode(name, errors="replace")
            break
    if text is None:
        text = body.decode("utf-8", errors="replace")
    if text.count("\ufffd") > MAX_REPLACEMENT_SHARE * max(len(text), 1):
        raise PageRejected("bad_encoding", f"no encoding decodes this page (declared: {declared or 'none'})")
    return text


def _decodes_cleanly(sample: bytes, encoding: str) -> bool:
    """True when the sample decodes without error, allowing a character cut at its end."""
    try:
        codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
    except (UnicodeDecodeError, LookupError):
        return False
    return True
