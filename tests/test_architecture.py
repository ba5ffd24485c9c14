"""The house's one-way rules, checked on the source: services publish, the live channel subscribes."""
import ast
from pathlib import Path

import pytest

COLLAB = Path(__file__).resolve().parent.parent / "collab"
LIVE_CHANNEL = "collab.realtime"


def module_name(path: Path) -> str:
    parts = path.relative_to(COLLAB.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(tree: ast.AST, module: str, is_package: bool) -> set[str]:
    """Every module an import anywhere in the tree (function bodies included) names,
    with relative imports resolved; `from x import y` counts as x and x.y."""
    package = module if is_package else module.rpartition(".")[0]
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module
            names.add(source)
            names |= {f"{source}.{alias.name}" for alias in node.names}
    return names


def live_channel_references(source: str, module: str, is_package: bool = False) -> list[str]:
    """Imports of the live channel, and any mention of it by name (getattr, import_module, strings)."""
    tree = ast.parse(source)
    found = sorted(name for name in imported_modules(tree, module, is_package)
                   if name == LIVE_CHANNEL or name.startswith(LIVE_CHANNEL + "."))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and "realtime" in node.value:
            found.append(f"string {node.value!r} on line {node.lineno}")
        elif isinstance(node, ast.Name) and node.id == "realtime":
            found.append(f"name realtime on line {node.lineno}")
        elif isinstance(node, ast.Attribute) and node.attr == "realtime":
            found.append(f"attribute .realtime on line {node.lineno}")
    return found


SERVICES = sorted((COLLAB / "services").rglob("*.py"))


def test_the_services_are_all_found():
    assert {p.stem for p in SERVICES} >= {"__init__", "comments", "meetings", "users"}


@pytest.mark.parametrize("path", SERVICES, ids=lambda p: p.name)
def test_services_never_import_the_live_channel(path):
    source = path.read_text(encoding="utf-8")
    found = live_channel_references(source, module_name(path), path.name == "__init__.py")
    assert found == [], f"{path.relative_to(COLLAB.parent)} reaches the live channel: {found}"


@pytest.mark.parametrize("source", [
    "from ..realtime import disconnect_sockets",
    "from .. import realtime",
    "def later():\n    from ..realtime.meetings import silent_round_progress",
    "import collab.realtime.handlers",
    "from collab import realtime as live",
    "import importlib\nimportlib.import_module('collab.realtime')",
    "getattr(__import__('collab'), 'realtime')",
])
def test_the_check_catches_every_way_of_reaching_the_live_channel(source):
    assert live_channel_references(source, "collab.services.example") != []


def test_the_check_lets_the_log_module_through():
    source = "from ..events import record_notice, transaction\nfrom .documents import get_document"
    assert live_channel_references(source, "collab.services.example") == []
