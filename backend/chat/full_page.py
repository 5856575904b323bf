"""What the full-page chat at the server's own ``/`` takes from the app: ``fill_height``,
``fill_width``, ``js``, ``head``/``head_paths`` (the constructor's, or ``launch()``'s where
Gradio 6 has them) and ``launch(footer_links=...)``.

These shape only the page this server shows. The widget on other people's sites never runs
``js`` and never adds ``head``: those pages are not the operator's to change. ``head`` is the
operator's own trusted HTML, put into the page's ``<head>`` as it is (the page adds the
request's CSP nonce to its ``<script>``, ``<style>`` and ``<link>`` tags).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: ``footer_links``' names in Gradio 6.31 (a dict is a link of the operator's own).
FOOTER_LINKS = ("api", "gradio", "settings", "runs")


@dataclass
class PageOptions:
    #: ``None``: the page decides (a ChatInterface fills the height, a Blocks does not).
    fill_height: bool | None = None
    fill_width: bool | None = None
    #: A JavaScript function's source; the page calls it once when it loads.
    js: str | None = None
    #: ``head`` then each file of ``head_paths``.
    head: str = ""
    #: ``launch(footer_links=...)``; ``None``: Gradio's default, every link.
    footer_links: tuple[Any, ...] | None = None

    def set_fill(self, fill_height: Any, fill_width: Any) -> None:
        for name, value in (("fill_height", fill_height), ("fill_width", fill_width)):
            if value is not None and not isinstance(value, bool):
                raise TypeError(f"{name} must be True or False, not {value!r}")
        if fill_height is not None:
            self.fill_height = fill_height
        if fill_width is not None:
            self.fill_width = fill_width

    def add(self, js: Any = None, head: Any = None, head_paths: Any = None) -> None:
        """``js``, ``head`` and ``head_paths``: a later ``js`` replaces an earlier one (as
        ``launch()``'s replaces the constructor's); heads are added one after the other."""
        for name, text in (("js", js), ("head", head)):
            if text is not None and not isinstance(text, str):
                raise TypeError(f"{name} must be a string, not {text!r}")
        if js is not None:
            self.js = js
        self.head += (head or "") + read_head(head_paths)

    def set_footer_links(self, value: Any) -> None:
        if value is None:
            return
        if isinstance(value, str) or not isinstance(value, Sequence):
            raise TypeError(f"footer_links must be a list, not {value!r}")
        for link in value:
            if not isinstance(link, dict) and link not in FOOTER_LINKS:
                raise ValueError(
                    f"footer_links: {link!r} must be one of {', '.join(FOOTER_LINKS)} or a dict"
                )
        self.footer_links = tuple(value)

    @property
    def api_link(self) -> bool:
        """Whether the footer shows "Use via API" (Gradio: unless ``footer_links`` leaves
        ``"api"`` out)."""
        return self.footer_links is None or "api" in self.footer_links


def read_head(head_paths: Any) -> str:
    """The text of ``head_paths`` (a path or a list of them), one file after the other."""
    if head_paths is None:
        return ""
    paths = [head_paths] if isinstance(head_paths, (str, Path)) else list(head_paths)
    parts = []
    for path in paths:
        try:
            parts.append("\n" + Path(path).read_text("utf-8"))
        except OSError as error:
            raise ValueError(f"head_paths: cannot read {str(path)!r}: {error.strerror}") from None
    return "".join(parts)
