"""What a visitor downloads before the first answer: the widget bundle and /api/config.

Prints raw and gzip bytes (and brotli, when the `brotli` module is installed), the total against
the 42 KB gzip budget, and figures measured for other bubbles on this kind of machine for scale.
Run `make build` first.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from backend import ChatInterface, Settings  # noqa: E402
from backend.widget_asset import BUNDLE  # noqa: E402

BUDGET = 42 * 1024
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


def main() -> int:
    if not BUNDLE.is_file():
        print("backend/static/widget.js is missing: run `make build` first", file=sys.stderr)
        return 1
    try:
        import brotli  # type: ignore[import-not-found]
    except ImportError:
        brotli = None
    total = 0
    for name, body in (("widget.js", BUNDLE.read_bytes()), ("/api/config", config_body())):
        zipped = len(gzip.compress(body, 9))
        total += zipped
        extra = f", brotli {len(brotli.compress(body)):>7} B" if brotli else ""
        print(f"{name:<12} raw {len(body):>7} B, gzip {zipped:>7} B{extra}")
    verdict = "within" if total <= BUDGET else "OVER"
    print(f"before the first answer: {total} B gzip, {verdict} the {BUDGET} B budget")
    for name, size in OTHERS.items():
        print(f"  for scale, {name}: {size} B gzip ({size / total:.1f}x ours)")
    return 0 if total <= BUDGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
