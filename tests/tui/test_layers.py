"""The layers stay apart: the TUI talks to services only, the rest never imports Textual.

Checked statically (every module parsed with ``ast``), plus what the app's start-up
imports, and that every key binding has an id a ``[keys]`` table can remap.
"""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.binding import Binding

import kpotui

PACKAGE = Path(kpotui.__file__).parent
FORBIDDEN_IN_TUI = ("sqlalchemy", "sqlmodel", "kpotui.models", "kpotui.store.")
"""The TUI may open a store (``kpotui.store.open_store``) and call services, nothing lower."""
DATABASE_CALLS = {"read", "write", "execute", "connect", "begin", "begin_nested"}
"""Method calls that mean a connection or transaction is being handled."""
NO_TEXTUAL = (
    "models.py",
    "store",
    "services",
    "interchange",
    "reports",
    "cli",
    "text.py",
    "files.py",
    "target.py",
)


def modules(*parts: str) -> Iterator[Path]:
    for part in parts:
        path = PACKAGE / part
        yield from [path] if path.is_file() else sorted(path.rglob("*.py"))


def imported_names(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """(line, module) of every absolute import; ``from kpotui.store import X`` gives
    ``kpotui.store.X`` (what is taken from the store package matters)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "kpotui.store":
                for alias in node.names:
                    yield node.lineno, f"{node.module}.{alias.name}"
            else:
                yield node.lineno, node.module


STORE_API = {
    f"kpotui.store.{name}" for name in ("open_store", "Store", "StoreError", "ReadOnlyError")
}
"""What the TUI may take from the store: opening one, its type, its errors."""


def violations_in_tui(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = [
        f"{path.name}:{line}: imports {name}"
        for line, name in imported_names(tree)
        if any(name == bad.rstrip(".") or name.startswith(bad) for bad in FORBIDDEN_IN_TUI)
        and name not in STORE_API
    ]
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in DATABASE_CALLS
        ):
            found.append(f"{path.name}:{node.lineno}: calls .{node.func.attr}()")
    return found


def test_the_tui_calls_services_only() -> None:
    tui = list(modules("tui"))
    assert len(tui) > 20
    problems = [problem for path in tui for problem in violations_in_tui(path)]
    assert problems == []


def test_the_check_catches_a_session_in_the_tui(tmp_path: Path) -> None:
    sneaky = tmp_path / "sneaky.py"
    sneaky.write_text(
        "from sqlalchemy import select\nfrom kpotui.store.engine import Store\n"
        "def peek(store):\n    with store.read() as conn:\n        conn.execute(select(1))\n"
    )
    assert len(violations_in_tui(sneaky)) == 4


@pytest.mark.parametrize("part", NO_TEXTUAL)
def test_the_lower_layers_never_import_textual(part: str) -> None:
    offenders = [
        f"{path.relative_to(PACKAGE)}:{line}"
        for path in modules(part)
        if path.exists()
        for line, name in imported_names(ast.parse(path.read_text(encoding="utf-8")))
        if name == "textual" or name.startswith("textual.")
    ]
    assert offenders == []


def test_the_first_screen_imports_no_database_library() -> None:
    """What the first frame needs loads without SQLAlchemy: it paints before the database."""
    code = (
        "import sys, kpotui.tui.app, kpotui.tui.screens.dashboard\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'sqlmodel')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"


def test_every_binding_has_an_id() -> None:
    missing = []
    for path in modules("tui"):
        name = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        module = importlib.import_module(name)
        for value in vars(module).values():
            if isinstance(value, type) and value.__module__ == name:
                for binding in value.__dict__.get("BINDINGS", []):
                    if not isinstance(binding, Binding) or not binding.id:
                        missing.append(f"{value.__name__}: {binding}")
    assert missing == []
