"""The import direction of the project, checked on the source.

    newsbot (shared: items, links, permalink, schema, errors, settings)
      -> newsbot.extraction, newsbot.storage      (neither imports the other)
        -> newsbot.crawling                        (the crawl's components)
          -> spiders, pipelines                    (Scrapy's entry points)
            -> newsbot.operations, newsbot.__main__ (offline tools, on top of it all)

A module may import its own layer and the layers below it, never above: the crawl never
depends on the offline tools, extraction never on crawling. Imports inside functions count too;
those under `if TYPE_CHECKING:` (annotations only) do not.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
PACKAGES = ("newsbot", "spiders", "pipelines")

# (layer, prefix): the longest matching prefix gives a module's layer.
LAYERS: tuple[tuple[int, str], ...] = (
    (0, "newsbot"),
    (1, "newsbot.extraction"),
    (1, "newsbot.storage"),
    (2, "newsbot.crawling"),
    (3, "spiders"),
    (3, "pipelines"),
    (4, "newsbot.operations"),
    (4, "newsbot.__main__"),
)


def component(module: str) -> tuple[int, str] | None:
    """The layer and the component (its prefix) a dotted module name belongs to."""
    found = [
        (layer, prefix) for layer, prefix in LAYERS
        if module == prefix or module.startswith(prefix + ".")
    ]
    return max(found, key=lambda entry: len(entry[1])) if found else None


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _type_checking_only(tree: ast.AST) -> set[ast.AST]:
    """The import statements under `if TYPE_CHECKING:`: annotations, no runtime dependency."""
    found: set[ast.AST] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            found.update(n for n in ast.walk(node) if isinstance(n, ast.Import | ast.ImportFrom))
    return found


def imported(tree: ast.AST, module: str, is_package: bool) -> set[str]:
    """Every module a source imports at run time, relative imports resolved."""
    names = set()
    annotations_only = _type_checking_only(tree)
    for node in ast.walk(tree):
        if node in annotations_only:
            continue
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                base = base if is_package else base[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            names.add(target)
    return names


def violations(root: Path) -> list[str]:
    """`importer -> imported` for every import that runs against the direction above (within
    layer 1, extraction and storage are kept apart as well)."""
    found = []
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            module = module_name(path, root)
            source = component(module)
            if source is None:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for name in sorted(imported(tree, module, path.name == "__init__.py")):
                target = component(name)
                if target is None or target[1] == source[1]:
                    continue
                if target[0] > source[0] or (target[0] == source[0] == 1):
                    found.append(f"{module} -> {name}")
    return found


def test_the_project_imports_only_downwards() -> None:
    assert violations(PROJECT) == []


@pytest.mark.parametrize(
    ("path", "source", "why"),
    [
        ("newsbot/crawling/bad.py", "from newsbot.operations.merge import x\n", "offline tool"),
        ("spiders/bad.py", "def f():\n    import newsbot.operations.status\n", "offline tool"),
        ("pipelines/bad.py", "from newsbot.operations import cli\n", "offline tool"),
        ("newsbot/extraction/bad.py", "from newsbot.crawling import robots\n", "crawl"),
        ("newsbot/storage/bad.py", "from newsbot.extraction.cleaning import x\n", "sibling"),
        ("newsbot/links.py", "from newsbot.storage import seen\n", "shared"),
        ("newsbot/crawling/bad.py", "from spiders.dw import DwSpider\n", "spider"),
        ("newsbot/crawling/bad.py",
         "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from spiders import x\n"
         "from newsbot.operations import status\n", "type-only import ignored, not the rest"),
    ],
)
def test_an_upward_import_is_caught(tmp_path: Path, path: str, source: str, why: str) -> None:
    """The rule fails on a crawl module that imports an offline tool, and the like."""
    for package in PACKAGES:
        (tmp_path / package).mkdir()
    target = tmp_path / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(source, encoding="utf-8")
    assert len(violations(tmp_path)) == 1, why
