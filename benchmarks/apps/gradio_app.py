"""Serve one function of `chat_fns.py` with Gradio's ChatInterface (run by the Gradio venv).

Usage: python gradio_app.py FN PORT [default|none]; `none` passes concurrency_limit=None.
Gradio is imported by name so that this file type-checks without Gradio installed.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import chat_fns


def main() -> None:
    name, port = sys.argv[1], int(sys.argv[2])
    limit = sys.argv[3] if len(sys.argv) > 3 else "default"
    gr: Any = importlib.import_module("gradio")
    options: dict[str, Any] = {} if limit == "default" else {"concurrency_limit": None}
    demo = gr.ChatInterface(fn=getattr(chat_fns, name), **options)
    demo.launch(server_name="127.0.0.1", server_port=port, show_error=True)


if __name__ == "__main__":
    main()
