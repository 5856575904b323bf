"""What Gradio 6's ``Chatbot`` says about its messages beyond their content: which buttons they
have, the feedback choices, how they are laid out and rendered, and the Gradio 4/5 arguments
that Gradio 6 removed (each accepted with one deprecation warning and mapped onto these).

``MessageOptions.config()`` is what the widget reads under ``chatbot`` in ``/api/config``.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

BUTTONS = ("share", "copy", "copy_all")
LAYOUTS = ("bubble", "panel")
EDITABLE = ("user", "all")
#: Gradio 4/5 arguments Gradio 6 removed, and what each becomes here.
DEPRECATED = {
    "show_copy_button": "buttons=[..., 'copy']",
    "show_copy_all_button": "buttons=[..., 'copy_all']",
    "show_share_button": "buttons=[..., 'share']",
    "likeable": "chatbot.like(fn) (or ChatInterface(flagging_mode='manual'))",
    "bubble_full_width": "layout='panel' (True) or layout='bubble' (False)",
    "resizeable": "resizable",
}
_BUTTON_OF = {"show_copy_button": "copy", "show_copy_all_button": "copy_all",
              "show_share_button": "share"}  # fmt: skip


def _deprecated(name: str, stacklevel: int) -> None:
    warnings.warn(
        f"Chatbot({name}=...) was removed in Gradio 6; it still works here as {DEPRECATED[name]}",
        UserWarning,
        stacklevel=stacklevel,
    )


def _flag(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise TypeError(f"Chatbot(): {name} must be True or False, not {value!r}")


def _strings(name: str, value: Any, most: int, empty: bool = True) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        raise TypeError(f"Chatbot(): {name} must be a list of strings, not {value!r}")
    if len(value) > most or (not empty and not value):
        raise ValueError(f"Chatbot(): {name} must have {0 if empty else 1} to {most} entries")
    for item in value:
        if not isinstance(item, str) or not 0 < len(item) <= 100:
            raise TypeError(f"Chatbot(): {name}: {item!r} must be a string of 1 to 100 characters")
    return tuple(dict.fromkeys(value))


@dataclass(frozen=True)
class MessageOptions:
    """The checked message options of one ``Chatbot``."""

    buttons: tuple[str, ...] = BUTTONS
    watermark: str | None = None
    feedback_options: tuple[str, ...] = ("Like", "Dislike")
    feedback_value: tuple[str | None, ...] | None = None
    like_user_message: bool = False
    group_consecutive_messages: bool = True
    allow_tags: bool | tuple[str, ...] = True
    line_breaks: bool = True
    layout: str = "bubble"
    editable: str | None = None
    resizable: bool = False
    allow_file_downloads: bool = True
    #: ``likeable=True`` (Gradio 4/5): feedback buttons even without a ``.like`` listener.
    likeable: bool = False

    @classmethod
    def check(cls, given: dict[str, Any], removed: dict[str, Any]) -> MessageOptions:
        """``given``: Gradio 6 arguments as passed; ``removed``: Gradio 4/5 ones (warned here,
        mapped onto the Gradio 6 ones)."""
        for name in removed:
            _deprecated(name, stacklevel=4)
        buttons = given["buttons"]
        if buttons is None:
            buttons = list(BUTTONS)
        for item in _strings("buttons", buttons, 3):
            if item not in BUTTONS:
                raise ValueError(
                    f"Chatbot(): buttons may hold 'share', 'copy' and 'copy_all', not {item!r}"
                )
        chosen = [item for item in BUTTONS if item in buttons]
        for name, button in _BUTTON_OF.items():
            if name in removed:
                on = _flag(name, removed[name]) if removed[name] is not None else False
                chosen = [item for item in chosen if item != button] + ([button] if on else [])
        watermark = given["watermark"]
        if watermark is not None and not isinstance(watermark, str):
            raise TypeError(f"Chatbot(): watermark must be a string, not {watermark!r}")
        options = given["feedback_options"]
        feedback = _strings("feedback_options", options, 20) if options is not None else ()
        value = given["feedback_value"]
        if value is not None:
            if isinstance(value, str) or not isinstance(value, (list, tuple)):
                raise TypeError("Chatbot(): feedback_value must be a list (one entry per answer)")
            for item in value:
                if item is not None and not isinstance(item, str):
                    raise TypeError(
                        f"Chatbot(): feedback_value entries must be an option or None, "
                        f"not {item!r}"
                    )
            value = tuple(value)
        tags = given["allow_tags"]
        if not isinstance(tags, bool):
            tags = tuple(tag.lower() for tag in _strings("allow_tags", tags, 50))
        layout = given["layout"]
        if "bubble_full_width" in removed and layout is None:
            layout = "panel" if _flag("bubble_full_width", removed["bubble_full_width"]) else None
        if layout is not None and layout not in LAYOUTS:
            raise ValueError(f"Chatbot(): layout must be 'bubble' or 'panel', not {layout!r}")
        editable = given["editable"]
        if editable is not None and editable not in EDITABLE:
            raise ValueError(
                f"Chatbot(): editable must be 'user', 'all' or None, not {editable!r}"
            )
        resizable = given["resizable"]
        if "resizeable" in removed:
            resizable = resizable or _flag("resizeable", removed["resizeable"])
        return cls(
            buttons=tuple(chosen),
            watermark=watermark,
            feedback_options=feedback,
            feedback_value=value,
            like_user_message=_flag("like_user_message", given["like_user_message"]),
            group_consecutive_messages=_flag(
                "group_consecutive_messages", given["group_consecutive_messages"]
            ),
            allow_tags=tags,
            line_breaks=_flag("line_breaks", given["line_breaks"]),
            layout=layout or "bubble",
            editable=editable,
            resizable=_flag("resizable", resizable),
            allow_file_downloads=_flag("allow_file_downloads", given["allow_file_downloads"]),
            likeable=_flag("likeable", removed.get("likeable", False)),
        )

    def config(self) -> dict[str, Any]:
        """What the widget reads (under ``chatbot`` in ``/api/config``)."""
        return {
            "buttons": list(self.buttons),
            "show_copy_button": "copy" in self.buttons,
            "watermark": self.watermark,
            "like_user_message": self.like_user_message,
            "group_consecutive_messages": self.group_consecutive_messages,
            "allow_tags": self.allow_tags if isinstance(self.allow_tags, bool)
            else list(self.allow_tags),
            "line_breaks": self.line_breaks,
            "layout": self.layout,
            "resizable": self.resizable,
            "allow_file_downloads": self.allow_file_downloads,
            "feedback_value": list(self.feedback_value) if self.feedback_value else None,
            "editable": self.editable,
        }  # fmt: skip


def removed_arguments(extra: dict[str, Any]) -> dict[str, Any]:
    """Takes the Gradio 4/5 arguments out of ``extra`` (a Chatbot's other keyword arguments)."""
    return {name: extra.pop(name) for name in list(extra) if name in DEPRECATED}


def check_examples(value: Any) -> tuple[dict[str, Any], ...] | None:
    """Gradio 6's ``Chatbot(examples=[{"text", "files", "icon", "display_text"}, ...])``."""
    if value is None:
        return None
    if isinstance(value, (str, dict)) or not isinstance(value, Sequence):
        raise TypeError("Chatbot(): examples must be a list of dicts with 'text', 'files', ...")
    out = []
    for index, example in enumerate(value):
        if not isinstance(example, dict):
            raise TypeError(f"Chatbot(): examples[{index}] must be a dict, not {example!r}")
        unknown = set(example) - {"text", "files", "icon", "display_text"}
        if unknown:
            raise ValueError(
                f"Chatbot(): examples[{index}] may have 'text', 'files', 'icon' and "
                f"'display_text', not {sorted(unknown)[0]!r}"
            )
        out.append(dict(example))
    return tuple(out)
