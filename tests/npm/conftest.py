"""The npm package as a team gets it: built by widget/build-npm.mjs into a temp dir, packed by
`npm pack`, and installed with React and Vite into a scratch app. No test contacts a registry:
React and Vite come from npm's cache, where `make install`'s `npm ci` put their tarballs, by
`npm ci --offline` on a lockfile made from the workspace's (an install that resolved versions
would need the registry's package documents, which `npm ci` does not cache); then the packed
package joins them by `npm install --offline`.

The browser fixtures (a real `backend serve` per app, Chromium pages) are tests/e2e's.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


def pinned_lock(manifest: dict[str, Any]) -> dict[str, Any]:
    """A lockfile for ``manifest`` (its dependencies all among the workspace's): the entries of
    the workspace's package-lock.json it needs, found as npm finds a package (the
    ``node_modules/<name>`` nearest to the one that requires it), at the same places."""
    workspace = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))["packages"]

    def find(name: str, at: str) -> str:
        while True:
            here = f"{at}/node_modules/{name}" if at else f"node_modules/{name}"
            if here in workspace:
                return here
            assert at, f"{name} is not in the workspace's package-lock.json"
            at = at.rpartition("/node_modules/")[0]

    wanted = {**manifest.get("dependencies", {}), **manifest.get("devDependencies", {})}
    packages: dict[str, Any] = {
        "": {key: manifest[key] for key in ("name", "dependencies", "devDependencies")}
    }
    todo = [(name, "") for name in wanted]
    while todo:
        name, at = todo.pop()
        place = find(name, at)
        if place in packages:
            continue
        entry = packages[place] = workspace[place]
        required = {**entry.get("dependencies", {}), **entry.get("optionalDependencies", {})}
        optional_peers = entry.get("peerDependenciesMeta", {})
        required.update(
            (peer, version)
            for peer, version in entry.get("peerDependencies", {}).items()
            if not optional_peers.get(peer, {}).get("optional")
        )
        todo += [(dependency, place) for dependency in required]
    return {"name": manifest["name"], "lockfileVersion": 3, "requires": True, "packages": packages}


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
    manifest: dict[str, Any] = {
        "name": "scratch-react-app",
        "private": True,
        "type": "module",
        "dependencies": {name: pinned[name] for name in ("react", "react-dom")},
        "devDependencies": {name: pinned[name] for name in ("vite", "@vitejs/plugin-react")},
    }
    quiet = ["--offline", "--no-audit", "--no-fund", "--ignore-scripts"]
    (app / "package.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    lock = json.dumps(pinned_lock(manifest), indent=2)
    (app / "package-lock.json").write_text(lock, encoding="utf-8")
    run(["npm", "ci", *quiet], cwd=app)
    run(["npm", "install", *quiet, f"file:{tarball}"], cwd=app)
    return ScratchApp(path=app, tarball=tarball)


@pytest.fixture(scope="session", name="built_app")
def _built_app(scratch_app: ScratchApp) -> Path:
    """The scratch app built by `vite build` with React's development build (NODE_ENV), as
    StrictMode double-mounts effects only there; its folder."""
    env = {**os.environ, "NODE_ENV": "development"}
    run([str(scratch_app.path / "node_modules" / ".bin" / "vite"), "build"], scratch_app.path, env)
    return scratch_app.path / "dist"
