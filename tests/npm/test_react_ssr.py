"""Server-side rendering of `chatbubble-widget/react`: Node imports the installed package and
renders <ChatBubble> with react-dom/server while `window`, `document` and the other browser
globals are getters that throw (tests/npm/ssr.mjs)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from .conftest import HERE


def test_chat_bubble_renders_to_a_string_without_touching_the_browser(node_project: Path) -> None:
    script = node_project / "ssr.mjs"
    shutil.copy(HERE / "ssr.mjs", script)
    done = subprocess.run(
        ["node", str(script)], cwd=node_project, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    rendered = json.loads(done.stdout)
    assert rendered["touched"] == []
    assert rendered["hook"] == "function"
    # Inline: the element the chat will fill, empty until the browser mounts it.
    assert rendered["inline"] == '<div class="chat" style="height:500px"></div>'
    # A bubble or a fullscreen chat has no element of its own in the page's markup.
    assert rendered["bubble"] == ""
    assert rendered["fullscreen"] == ""


def test_the_react_entry_is_a_client_module(node_project: Path) -> None:
    """Next.js's App Router imports it from a server component as a client component."""
    code = (node_project / "node_modules" / "chatbubble-widget" / "react.js").read_text()
    assert code.startswith('"use client";\n')
    core = (node_project / "node_modules" / "chatbubble-widget" / "index.js").read_text()
    assert "use client" not in core
