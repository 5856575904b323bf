"""What a visitor downloads: the core (widget bundle and /api/config) on every page, and the
panel chunk (the panel, markdown and the sanitizer's policy) when the chat first opens, before
the first answer.
And what the npm package's React bindings add to an app beyond the package's core (built by
widget/build-npm.mjs into a temp dir), against their budget.

Prints raw and gzip bytes (and brotli, when the `brotli` module is installed), the core against
its gzip budget, the total before the first answer, and figures measured for other bubbles on
this kind of machine for scale. Run `make build` first.
"""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from backend import ChatInterface, Settings  # noqa: E402
from backend.http.widget_asset import BUNDLE  # noqa: E402

#: The core's budget, as widget/build.mjs says it (MAX_GZIP_BYTES): every page downloads it.
_BUILD = (ROOT / "widget" / "build.mjs").read_text(encoding="utf-8")
_FOUND = re.search(r"MAX_GZIP_BYTES = (\d+) \* 1024(?: \+ (\d+))?;", _BUILD)
assert _FOUND, "MAX_GZIP_BYTES not found in widget/build.mjs"
BUDGET = int(_FOUND[1]) * 1024 + int(_FOUND[2] or 0)
PANEL = BUNDLE.parent / "chunks" / "panel.js"
LOCALES = sorted((BUNDLE.parent / "chunks").glob("locale-*.js"))
#: What `chatbubble-widget/react` may add to an app beyond the package's core (`mount`), gzipped.
REACT_BUDGET = 2 * 1024
# Measured elsewhere (see ../shared/reference/gradio-measured.md and issue 2), not in this run.
OTHERS = {"Typebot bubble": 198 * 1024, "Gradio ChatInterface page": 248 * 1024}


def config_body() -> bytes:
    interface = ChatInterface(fn=lambda message, history: "", title="A typical title")
    settings = Settings()
    limits = {
        "max_message_chars": settings.max_message_chars,
        "max_history_messages": settings.max_history_messages,
        "max_history_entry_chars": settings.max_history_entry_chars,
        "max_body_bytes": settings.max_body_bytes,
    }
    body = {"protocol": 1, "title": interface.title, "limits": limits}
    return json.dumps(body, separators=(",", ":")).encode()


def imported(package: Path, module: str) -> set[str]:
    """The package's modules that ``module`` (a path inside it) imports, itself included."""
    found = {module}
    code = (package / module).read_text(encoding="utf-8")
    for name in re.findall(r"""(?:from|import)\s*["']\./([^"']+)["']""", code):
        found |= imported(package, str(Path(module).parent / name))
    return found


def react_wrapper(package: Path) -> int:
    """Gzip bytes of what `./react` loads that `.` (the core) does not: react.js and the chunks
    only it imports, each compressed on its own as a browser receives it."""
    extra = imported(package, "react.js") - imported(package, "index.js")
    return sum(len(gzip.compress((package / name).read_bytes(), 9)) for name in sorted(extra))


def react_report() -> bool:
    """Builds the npm package into a temp dir and prints the React wrapper against its budget."""
    with tempfile.TemporaryDirectory() as temp:
        subprocess.run(
            ["node", "widget/build-npm.mjs", temp], cwd=ROOT, check=True, capture_output=True
        )
        size = react_wrapper(Path(temp))
    within = size <= REACT_BUDGET
    verdict = "within" if within else "OVER"
    print(f"npm react bindings beyond the core: {size} B gzip, {verdict} {REACT_BUDGET} B")
    return within


def main() -> int:
    if not BUNDLE.is_file() or not PANEL.is_file():
        print("backend/static/widget.js is missing: run `make build` first", file=sys.stderr)
        return 1
    try:
        import brotli  # type: ignore[import-not-found]
    except ImportError:
        brotli = None
    sizes: dict[str, int] = {}
    for name, body in (
        ("widget.js", BUNDLE.read_bytes()),
        ("/api/config", config_body()),
        ("panel.js", PANEL.read_bytes()),
    ):
        sizes[name] = len(gzip.compress(body, 9))
        extra = f", brotli {len(brotli.compress(body)):>7} B" if brotli else ""
        print(f"{name:<12} raw {len(body):>7} B, gzip {sizes[name]:>7} B{extra}")
    core = sizes["widget.js"] + sizes["/api/config"]
    total = core + sizes["panel.js"]
    # The budget is the build's: widget.js alone (Python's gzip here, a few bytes more than
    # the build's Node zlib).
    verdict = "within" if sizes["widget.js"] <= BUDGET else "OVER"
    print(
        f"every page (widget.js and /api/config): {core} B gzip; widget.js {verdict} the "
        f"build's {BUDGET} B budget"
    )
    print(f"before the first answer (the core and panel.js): {total} B gzip")
    if LOCALES:
        zipped = {path.stem[7:]: len(gzip.compress(path.read_bytes(), 9)) for path in LOCALES}
        largest = max(zipped, key=lambda code: zipped[code])
        print(
            f"a language's chunk ({len(zipped)} locales): {min(zipped.values())} to "
            f"{zipped[largest]} B gzip ({largest}); before the first answer in it: "
            f"{total + zipped[largest]} B gzip at most"
        )
    for name, size in OTHERS.items():
        print(f"  for scale, {name}: {size} B gzip ({size / total:.1f}x ours)")
    react_within = react_report()
    return 0 if verdict == "within" and react_within else 1


if __name__ == "__main__":
    raise SystemExit(main())
