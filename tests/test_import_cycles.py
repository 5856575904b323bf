"""No import circle among backend's modules, counting imports inside functions and under
``TYPE_CHECKING``: scripts/import_cycles.py, which anyone can run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.servers import ROOT

SCRIPT = ROOT / "scripts" / "import_cycles.py"


def cycles_of(package: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), package], cwd=cwd, capture_output=True, text=True
    )


def test_backend_has_no_import_cycle() -> None:
    result = cycles_of("backend", ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("0 import cycle(s) among backend modules")


def test_an_import_inside_a_function_that_closes_a_circle_is_found(tmp_path: Path) -> None:
    package = tmp_path / "circle"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "model.py").write_text("from circle import layout\n")
    (package / "layout.py").write_text("def find():\n    from circle import model\n")
    (package / "other.py").write_text("from circle import layout\n")
    result = cycles_of("circle", tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "cycle of 2: circle.layout circle.model" in result.stdout
    assert "circle.layout -> circle.model (line 2)" in result.stdout
    assert result.stdout.strip().endswith("1 import cycle(s) among circle modules")
