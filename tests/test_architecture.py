"""The tree shows the stages: other stages import a stage only through its package's entry points, and the
stages depend on each other without cycles (docs/architecture.md)."""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.paths import REPO

MONITOR = REPO / "monitor"
# The stage packages in pipeline order; spiders/ sits at the top level (the design card fixes it) but is a
# stage like the others.
STAGES = sorted(p.parent.name for p in MONITOR.glob("*/__init__.py") if p.parent.name != "__pycache__")
# Shared by every stage: data, errors, URL identity, and the lazy-export helper. They import no stage.
KERNEL = {"monitor.errors", "monitor.models", "monitor.urls", "monitor.exports"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _stage_of(module: str) -> str | None:
    """'match' for monitor.match.context, 'spiders' for spiders.feed; None for top-level monitor modules."""
    parts = module.split(".")
    if parts[0] == "spiders":
        return "spiders"
    if parts[0] == "monitor" and len(parts) >= 2 and parts[1] in STAGES:
        return parts[1]
    return None


def _imports(path: Path) -> Iterator[tuple[int, str, list[str]]]:
    """(line, module, names) of every import in the file, at any depth (lazy imports in functions count)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module, [alias.name for alias in node.names]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, []


def _code_files() -> list[Path]:
    return sorted([*MONITOR.rglob("*.py"), *(REPO / "spiders").glob("*.py")])


def test_the_stages_are_the_documented_ones():
    documented = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert STAGES, "no stage packages found"
    for stage in STAGES:
        assert f"monitor/{stage}/" in documented, f"docs/architecture.md does not describe monitor/{stage}/"


def test_other_stages_import_only_a_stages_entry_points():
    wrong = []
    for path in _code_files():
        here = _module_name(path)
        for line, module, _names in _imports(path):
            target = _stage_of(module)
            if target is None or target == "spiders" or target == _stage_of(here):
                continue
            if module != f"monitor.{target}":  # monitor.match.context instead of monitor.match
                wrong.append(f"{path.relative_to(REPO)}:{line}: imports {module}; use monitor.{target}'s entry points")
    assert not wrong, "\n".join(wrong)


def test_spiders_are_used_through_their_package():
    wrong = [f"{path.relative_to(REPO)}:{line}: imports {module}"
             for path in sorted(MONITOR.rglob("*.py"))
             for line, module, _names in _imports(path) if module.startswith("spiders.")]
    assert not wrong, "\n".join(wrong)


def _stage_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {stage: set() for stage in [*STAGES, "spiders"]}
    for path in _code_files():
        source = _stage_of(_module_name(path))
        if source is None:
            continue
        for _line, module, _names in _imports(path):
            target = _stage_of(module)
            if target is not None and target != source:
                graph[source].add(target)
    return graph


def test_stages_depend_on_each_other_without_cycles():
    graph = _stage_graph()
    state: dict[str, str] = {}

    def visit(stage: str, path: list[str]) -> None:
        state[stage] = "open"
        for needed in sorted(graph[stage]):
            if state.get(needed) == "open":
                cycle = [*path[path.index(needed):], needed] if needed in path else [*path, needed]
                pytest.fail("stage import cycle: " + " → ".join(cycle))
            if needed not in state:
                visit(needed, [*path, needed])
        state[stage] = "done"

    for stage in sorted(graph):
        if stage not in state:
            visit(stage, [stage])


def test_kernel_modules_import_no_stage():
    for path in _code_files():
        if _module_name(path) in KERNEL:
            stages = {_stage_of(module) for _line, module, _names in _imports(path)} - {None}
            assert not stages, f"{path.relative_to(REPO)} imports the stages {sorted(stages)}"


@pytest.mark.parametrize("stage", STAGES)
def test_each_stage_states_its_job_and_exports_what_it_names(stage):
    package = importlib.import_module(f"monitor.{stage}")
    doc = package.__doc__ or ""
    assert "Takes" in doc, f"monitor/{stage}/__init__.py: say what the stage takes"
    assert "gives" in doc.lower(), f"monitor/{stage}/__init__.py: say what the stage gives"
    # The names type checkers see (the TYPE_CHECKING imports) are the names served at run time.
    tree = ast.parse((MONITOR / stage / "__init__.py").read_text(encoding="utf-8"))
    checked = {alias.asname or alias.name for node in ast.walk(tree)
               if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(f"monitor.{stage}.")
               for alias in node.names}
    assert checked == set(package.EXPORTS), f"monitor/{stage}: TYPE_CHECKING imports differ from EXPORTS"
    for name, module in package.EXPORTS.items():
        defined = importlib.import_module(f"monitor.{stage}.{module}")
        assert getattr(package, name) is getattr(defined, name)
    with pytest.raises(AttributeError):
        package.no_such_entry_point  # noqa: B018


def test_a_stages_entry_points_do_not_load_the_whole_stage():
    """The cleaning pool asks the store for `signature` only: that must not load sqlite-utils or scipy."""
    import subprocess
    import sys

    code = ("import sys; from monitor.store import signature; from monitor.crawl.pool import prepare_page; "
            "print(' '.join(m for m in ('sqlite_utils', 'scipy', 'scrapy', 'trafilatura') if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert loaded.stdout.split() == []
    # nor does the daemon's story index load scipy (datasketch's LSH module would: ~55 MB)
    code = ("import sys; from monitor.store import StoryIndex, signature; StoryIndex().find('u', signature('a ' * 60)); "
            "print('scipy' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=REPO).stdout.strip() == "False"
