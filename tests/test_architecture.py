"""Dependencies point one way: cli|ui → formats → render → io → model. The pure layers never import Qt.

import-linter (pyproject.toml) checks the same contracts in CI; this test keeps them visible in the suite."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "dxroadmap"
FORBIDDEN = {
    "model": ("PySide6", "pyqtgraph", "openpyxl", "shiboken6", "dxroadmap.io", "dxroadmap.render", "dxroadmap.ui",
              "dxroadmap.formats", "dxroadmap.cli"),
    "io": ("PySide6", "pyqtgraph", "shiboken6", "dxroadmap.render", "dxroadmap.ui", "dxroadmap.formats",
           "dxroadmap.cli"),
    "render": ("pyqtgraph", "dxroadmap.ui", "PySide6.QtWidgets", "dxroadmap.formats", "dxroadmap.cli"),
}


def imported_modules(path: Path, layer: str):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package_parts = ["dxroadmap", *path.relative_to(PACKAGE).parent.parts]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package_parts[: len(package_parts) - node.level + 1]
                yield ".".join(base + ([node.module] if node.module else []))
            else:
                yield node.module or ""


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports(layer):
    offenders = []
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        for module in imported_modules(path, layer):
            if any(module == f or module.startswith(f + ".") for f in FORBIDDEN[layer]):
                offenders.append(f"{path.relative_to(PACKAGE)} imports {module}")
    assert not offenders, "\n".join(offenders)


def test_every_module_has_a_docstring():
    missing = [str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
               if p.stat().st_size and ast.get_docstring(ast.parse(p.read_text(encoding="utf-8"))) is None]
    assert not missing, missing
