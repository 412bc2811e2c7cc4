"""Point at a place in config.toml: key paths such as ``sources[2].url``, their lines, and errors naming them.

tomllib returns plain dicts with no positions, so after a successful parse we scan the text once more
and note where every table header, key and array element starts. The scanner assumes the text is
valid TOML (tomllib has accepted it), which keeps it small: it only needs to find where things begin.
`ConfigReader` walks the parsed values and turns every problem into a ConfigError with file, line and key.
"""

from __future__ import annotations

import bisect
import difflib
import logging
import re
import tomllib
from collections.abc import Callable, Collection, Iterator, Mapping
from pathlib import Path
from typing import Any

from monitor.config.secrets import redact, register_secret
from monitor.errors import ConfigError

logger = logging.getLogger(__name__)

KeyPath = tuple[str | int, ...]
# A converter checks one raw TOML value at a key path and returns it in its final type.
Converter = Callable[["ConfigReader", KeyPath, Any], Any]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_WHITESPACE = " \t"
# ${NAME} is replaced from the environment; $${NAME} stands for a literal ${NAME}.
_ENV_REF = re.compile(r"\$(\$?)\{([A-Za-z_][A-Za-z0-9_]*)\}")
_BAD_ENV_REF = re.compile(r"(?<!\$)\$\{(?![A-Za-z_][A-Za-z0-9_]*\})")


def key_lines(text: str) -> dict[KeyPath, int]:
    """Return {key path: 1-based line} for every table, key and array element in valid TOML `text`."""
    try:
        return _Scanner(text).run()
    except (IndexError, ValueError, tomllib.TOMLDecodeError):
        # A locator bug must never hide the real config error; the message just loses its line number.
        logger.debug("could not map config keys to lines", exc_info=True)
        return {}


def locate(lines: dict[KeyPath, int], path: KeyPath) -> int | None:
    """Line of `path`, or of its nearest enclosing table or array when `path` itself is absent."""
    for end in range(len(path), 0, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None


def format_key(path: KeyPath) -> str:
    """Write a key path the way users read it: ("watchlists", "a b", "notify", 0) → 'watchlists."a b".notify[0]'."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            name = part if _BARE_KEY.fullmatch(part) else '"' + part.replace("\\", "\\\\").replace('"', '\\"') + '"'
            out += f".{name}" if out else name
    return out


class ConfigReader:
    """Validation context: turns a problem at a key path into a ConfigError with file, line and key."""

    def __init__(self, path: Path, text: str, environ: Mapping[str, str]) -> None:
        # absolute(), not resolve(): relative paths start from the folder the user sees, even through a symlink.
        self.path, self.environ, self.folder = path, environ, path.absolute().parent
        self.lines = key_lines(text)

    def error(self, path: KeyPath, message: str) -> ConfigError:
        """A ConfigError naming the file, the line of `path` (or its table) and the key."""
        # redact() is the last guard: every ${VAR} value was registered before any message could quote it.
        return ConfigError(str(self.path), format_key(path), redact(message), locate(self.lines, path))

    def expected(self, path: KeyPath, what: str, value: object) -> ConfigError:
        """The error for a value of the wrong type or form."""
        return self.error(path, f"expected {what}, got {describe(value)}")

    def table(self, path: KeyPath, value: object, allowed: Collection[str], what: str = "a table") -> dict[str, Any]:
        """`value` as a table whose keys are all in `allowed`."""
        if not isinstance(value, dict):
            raise self.expected(path, what, value)
        for key in value:
            if key not in allowed:
                raise self.error((*path, key), unknown_key(key, allowed))
        return value

    def fields(self, path: KeyPath, value: object, converters: Mapping[str, Converter], what: str) -> dict[str, Any]:
        """Check a table against `converters` and return {key: converted value} for the keys present."""
        table = self.table(path, value, converters, what)
        return {key: converters[key](self, (*path, key), item) for key, item in table.items()}

    def text(self, path: KeyPath, value: object, what: str = "a string") -> str:
        """`value` as a string with ${VAR} references resolved (and their values registered as secrets)."""
        if not isinstance(value, str):
            raise self.expected(path, what, value)
        if _BAD_ENV_REF.search(value):
            raise self.error(path, "malformed ${...} reference; write ${NAME} with letters, digits and _ only")

        def substitute(match: re.Match[str]) -> str:
            escaped, name = match.groups()
            if escaped:
                return "${" + name + "}"
            if name not in self.environ:
                raise self.error(path, f"environment variable {name} is not set (referenced as ${{{name}}})")
            register_secret(self.environ[name])
            return self.environ[name]

        return _ENV_REF.sub(substitute, value)

    def texts(self, path: KeyPath, value: object, what: str) -> Iterator[tuple[KeyPath, str]]:
        """Each non-blank string of a list, with its own key path for error messages."""
        if isinstance(value, str):  # not echoed: a lone notify URL may hold a token
            raise self.error(path, f'expected {what}, got a single string; put it in brackets: ["..."]')
        if not isinstance(value, list):
            raise self.expected(path, what, value)
        for index, item in enumerate(value):
            text = self.text((*path, index), item, f"a string in {what}").strip()
            if not text:
                raise self.error((*path, index), "is empty")
            yield (*path, index), text


def describe(value: object) -> str:
    """How a value reads in an error message: its TOML type, and the value when short."""
    kind = {bool: "a boolean", int: "an integer", float: "a float", str: "a string", list: "an array",
            dict: "a table"}.get(type(value), "a date/time")
    shown = repr(value) if not isinstance(value, (list, dict)) else ""
    return f"{kind} ({shown[:80]})" if shown else kind


def unknown_key(key: str, allowed: Collection[str]) -> str:
    """The message for a key that is not in `allowed`, with a did-you-mean when one is close."""
    close = difflib.get_close_matches(key, list(allowed), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"unknown key {key!r}{hint} (allowed here: {', '.join(allowed)})"


class _Scanner:
    """One pass over valid TOML text, recording where each key path starts."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.newlines = [i for i, char in enumerate(text) if char == "\n"]
        self.lines: dict[KeyPath, int] = {}
        self.aot_size: dict[KeyPath, int] = {}  # array-of-tables path → elements seen so far

    def run(self) -> dict[KeyPath, int]:
        table: KeyPath = ()
        while True:
            self.skip_blank(newlines=True)
            if self.pos >= len(self.text):
                return self.lines
            start = self.pos
            if self.text.startswith("[[", self.pos):
                self.pos += 2
                path = self.resolve(self.dotted_key("]"))
                self.pos += 2
                index = self.aot_size.get(path, 0)
                self.aot_size[path] = index + 1
                table = (*path, index)
            elif self.text[self.pos] == "[":
                self.pos += 1
                table = self.resolve(self.dotted_key("]"))
                self.pos += 1
            else:
                self.key_value(table)
                continue
            self.record(table, start)

    def resolve(self, keys: list[str]) -> KeyPath:
        """Insert the current index after each array-of-tables prefix: [sources.x] means sources[-1].x."""
        path: KeyPath = ()
        for key in keys[:-1]:
            path = (*path, key)
            if path in self.aot_size:
                path = (*path, self.aot_size[path] - 1)
        return (*path, keys[-1])

    def key_value(self, table: KeyPath) -> None:
        start = self.pos
        path = (*table, *self.dotted_key("="))
        self.record(path, start)
        self.pos += 1  # the "="
        self.skip_blank(newlines=False)
        self.value(path)

    def value(self, path: KeyPath) -> None:
        char = self.text[self.pos]
        if char in "\"'":
            self.string()
        elif char == "[":
            self.pos += 1
            index = 0
            while True:
                self.skip_blank(newlines=True)
                if self.text[self.pos] == "]":
                    self.pos += 1
                    return
                self.record((*path, index), self.pos)
                self.value((*path, index))
                self.skip_blank(newlines=True)
                if self.text[self.pos] == ",":
                    self.pos += 1
                index += 1
        elif char == "{":
            self.pos += 1
            while True:
                self.skip_blank(newlines=True)
                if self.text[self.pos] == "}":
                    self.pos += 1
                    return
                self.key_value(path)
                self.skip_blank(newlines=True)
                if self.text[self.pos] == ",":
                    self.pos += 1
        else:  # number, boolean or date: runs to the next delimiter
            while self.pos < len(self.text) and self.text[self.pos] not in ",]}\n#":
                self.pos += 1

    def string(self) -> str:
        """Skip a string of any of TOML's four kinds and return its raw text, quotes included."""
        start, quote = self.pos, self.text[self.pos]
        triple = self.text.startswith(quote * 3, self.pos)
        self.pos += 3 if triple else 1
        while True:
            char = self.text[self.pos]
            if char == "\\" and quote == '"':
                self.pos += 2
            elif triple and self.text.startswith(quote * 3, self.pos):
                self.pos += 3
                while self.pos < len(self.text) and self.text[self.pos] == quote:  # up to 2 quotes may end the content
                    self.pos += 1
                return self.text[start : self.pos]
            elif char == quote and not triple:
                self.pos += 1
                return self.text[start : self.pos]
            else:
                self.pos += 1

    def dotted_key(self, terminator: str) -> list[str]:
        """Read `a."b c".d` up to `terminator` (left unconsumed) and return its parts, unquoted."""
        keys = []
        while True:
            self.skip_blank(newlines=False)
            if self.text[self.pos] in "\"'":
                raw = self.string()
                keys.append(tomllib.loads(f"k = {raw}")["k"])
            else:
                match = _BARE_KEY.match(self.text, self.pos)
                if not match:
                    raise ValueError(f"no key at offset {self.pos}")
                keys.append(match.group())
                self.pos = match.end()
            self.skip_blank(newlines=False)
            if self.text[self.pos] == ".":
                self.pos += 1
            elif self.text.startswith(terminator, self.pos):
                return keys
            else:
                raise ValueError(f"unexpected {self.text[self.pos]!r} at offset {self.pos}")

    def skip_blank(self, *, newlines: bool) -> None:
        """Skip spaces and comments, and line breaks too when `newlines`."""
        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            if char in _WHITESPACE or (newlines and char in "\r\n"):
                self.pos += 1
            elif char == "#":
                end = text.find("\n", self.pos)
                self.pos = len(text) if end < 0 else end
            else:
                return

    def record(self, path: KeyPath, offset: int) -> None:
        """Remember the line of `path` and of each enclosing table not seen before."""
        line = bisect.bisect_left(self.newlines, offset) + 1
        for end in range(1, len(path) + 1):
            self.lines.setdefault(path[:end], line)
