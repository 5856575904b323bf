"""The layers contract of backend's subpackages (import-linter, pyproject.toml, ARCHITECTURE.md):
``make lint`` fails as soon as a lower layer imports a higher one, even inside a function."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.servers import ROOT

LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint(tree: Path) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` on the copy of backend in ``tree``, with the project's own contract."""
    return subprocess.run(
        [str(LINT_IMPORTS), str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of backend's source (no bundle, no bytecode) that a test may break."""
    ignore = shutil.ignore_patterns("static", "__pycache__")
    shutil.copytree(ROOT / "backend", tmp_path / "backend", ignore=ignore)
    return tmp_path


def test_the_layers_are_kept(tree: Path) -> None:
    result = lint(tree)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    "line",
    [
        "from backend.chat import interface\n",
        "def later() -> None:\n    from ..chat.interface import ChatInterface\n",
    ],
    ids=["at-module-level", "inside-a-function"],
)
def test_an_upward_import_breaks_the_build(tree: Path, line: str) -> None:
    media = tree / "backend" / "components" / "media.py"
    media.write_text(media.read_text() + "\n" + line)
    result = lint(tree)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "0 kept, 1 broken" in result.stdout
    assert "backend.components is not allowed to import backend.chat" in result.stdout
    assert "backend.components.media -> backend.chat.interface" in result.stdout
