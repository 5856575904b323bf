"""The npm package as a team gets it: built by widget/build-npm.mjs into a temp dir, packed by
`npm pack`, and installed with React and Vite into a scratch app by `npm install --offline`
(npm's cache holds them since `make install`'s `npm ci`: no test contacts a registry).

The browser fixtures (a real `backend serve` per app, Chromium pages) are tests/e2e's.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.e2e.conftest import _backends, _browser, _new_page  # noqa: F401 (fixtures)
from tests.servers import ROOT

HERE = Path(__file__).resolve().parent


@dataclass
class ScratchApp:
    """A scratch Vite + React app (tests/npm/vite_app) with the packed package installed."""

    path: Path
    tarball: Path


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> None:
    done = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=300
    )
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}"


def build(out: Path) -> None:
    """The package, as widget/build-npm.mjs builds it, into ``out``."""
    run(["node", "widget/build-npm.mjs", str(out)], cwd=ROOT)


@pytest.fixture(scope="session", name="node_project")
def _node_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder whose node_modules holds the built package and the workspace's React (linked):
    Node resolves `chatbubble-widget/react` there through the package's exports map. Without
    npm, so cheap."""
    project = tmp_path_factory.mktemp("node-project")
    modules = project / "node_modules"
    build(modules / "chatbubble-widget")
    for name in ("react", "react-dom"):
        (modules / name).symlink_to(ROOT / "node_modules" / name)
    return project


@pytest.fixture(scope="session", name="scratch_app")
def _scratch_app(tmp_path_factory: pytest.TempPathFactory) -> ScratchApp:
    work = tmp_path_factory.mktemp("npm")
    build(work / "package")
    run(["npm", "pack", str(work / "package"), "--pack-destination", str(work)], cwd=work)
    (tarball,) = work.glob("chatbubble-widget-*.tgz")
    app = work / "app"
    shutil.copytree(HERE / "vite_app", app)
    # The versions the workspace pins, so that they are in npm's cache.
    pinned = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["devDependencies"]
    manifest = {
        "name": "scratch-react-app",
        "private": True,
        "type": "module",
        "dependencies": {
            "chatbubble-widget": f"file:{tarball}",
            "react": pinned["react"],
            "react-dom": pinned["react-dom"],
        },
        "devDependencies": {name: pinned[name] for name in ("vite", "@vitejs/plugin-react")},
    }
    (app / "package.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    run(["npm", "install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts"], cwd=app)
    return ScratchApp(path=app, tarball=tarball)


@pytest.fixture(scope="session", name="built_app")
def _built_app(scratch_app: ScratchApp) -> Path:
    """The scratch app built by `vite build` with React's development build (NODE_ENV), as
    StrictMode double-mounts effects only there; its folder."""
    env = {**os.environ, "NODE_ENV": "development"}
    run([str(scratch_app.path / "node_modules" / ".bin" / "vite"), "build"], scratch_app.path, env)
    return scratch_app.path / "dist"
