"""``Chatbot(latex_delimiters=...)``: which delimiters mark math, rendered with KaTeX by the
widget (a chunk loaded only when a message holds one). As in Gradio 6.31, ``None`` means the
default, ``$$...$$`` shown as a display block; ``[]`` turns math off."""

from __future__ import annotations

from typing import Any

DEFAULT_DELIMITERS: tuple[dict[str, str | bool], ...] = (
    {"left": "$$", "right": "$$", "display": True},
)
MAX_DELIMITERS = 10
MAX_DELIMITER_LENGTH = 20


def latex_delimiters(where: str, value: Any) -> tuple[dict[str, str | bool], ...]:
    """The delimiters as the widget gets them: ``{"left", "right", "display"}`` each."""
    if value is None:
        return tuple(dict(entry) for entry in DEFAULT_DELIMITERS)
    if not isinstance(value, (list, tuple)) or len(value) > MAX_DELIMITERS:
        raise TypeError(
            f"{where}: latex_delimiters must be a list of dicts such as "
            f"{{'left': '$$', 'right': '$$', 'display': True}}, at most {MAX_DELIMITERS}"
        )
    out = []
    for entry in value:
        if not isinstance(entry, dict) or not {"left", "right"} <= entry.keys():
            raise TypeError(
                f"{where}: each latex delimiter is a dict with 'left', 'right' and 'display', "
                f"not {entry!r}"
            )
        left, right, display = entry["left"], entry["right"], entry.get("display", False)
        for side in (left, right):
            if not isinstance(side, str) or not 0 < len(side) <= MAX_DELIMITER_LENGTH:
                raise ValueError(
                    f"{where}: latex delimiters must be strings of 1 to "
                    f"{MAX_DELIMITER_LENGTH} characters, not {side!r}"
                )
        if not isinstance(display, bool):
            raise TypeError(f"{where}: a latex delimiter's 'display' must be True or False")
        out.append({"left": left, "right": right, "display": display})
    return tuple(out)
