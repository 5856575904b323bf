"""``Chatbot``, ``Textbox`` and ``MultimodalTextbox``: Gradio's components, as far as a chat
bubble can use them.

Arguments that only place a component on a Gradio page (``container``, ``scale``, ``min_width``,
``elem_id``, ...) are accepted so apps run unchanged, and have no effect in the widget.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Any

from .blocks import Renderable
from .chatbot_options import MessageOptions, check_examples, removed_arguments
from .latex import latex_delimiters as _latex_delimiters
from .like import LikeListener, listener
from .reasoning import reasoning_tags as _reasoning_tags
from .welcome import welcome_messages

# Gradio layout arguments with no meaning inside a floating bubble.
LAYOUT_ONLY = frozenset(
    {
        "container", "scale", "min_width", "elem_id", "elem_classes", "render", "key",
        "show_label", "visible", "info", "interactive", "autoscroll", "text_align",
        "show_progress", "every", "inputs", "preserved_by_key",
    }
)  # fmt: skip

# Gradio 6.31 Textbox arguments that change nothing in the widget (display details).
TEXTBOX_DISPLAY = frozenset({"preserved_by_key", "rtl", "buttons", "html_attributes"})
TEXT_TYPES = ("text", "password", "email")

_CSS_LENGTH = re.compile(r"\A\d{1,5}(\.\d{1,3})?(px|vh|dvh|svh|%|em|rem)\Z")
IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/x-icon",
    ".svg": "image/svg+xml",
}


def _check_layout_only(where: str, extra: dict[str, Any]) -> None:
    for name in extra:
        if name not in LAYOUT_ONLY:
            raise TypeError(f"{where} got an unexpected keyword argument {name!r}")


def _text(where: str, name: str, value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise TypeError(f"{where}: {name} must be a string, not {type(value).__name__}")


def _flag(where: str, name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise TypeError(f"{where}: {name} must be True or False, not {value!r}")


def css_length(where: str, name: str, value: Any) -> str | None:
    """An int is pixels; a string must be a plain CSS length such as ``"60vh"``."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        if value <= 0:
            raise ValueError(f"{where}: {name} must be positive, not {value}")
        return f"{value}px"
    if isinstance(value, str) and _CSS_LENGTH.match(value.strip()):
        return value.strip()
    raise ValueError(f"{where}: {name} must be pixels (int) or a CSS length like '60vh'")


def image_source(where: str, name: str, value: Any) -> str | Path | None:
    """An http(s) URL the operator chose, or a local image file (served by the backend by id)."""
    if value is None:
        return None
    if isinstance(value, str) and value.startswith(("https://", "http://")):
        return value
    if isinstance(value, (str, Path)):
        path = Path(value)
        if path.suffix.lower() not in IMAGE_TYPES:
            kinds = ", ".join(sorted(IMAGE_TYPES))
            raise ValueError(f"{where}: {name} must be an image ({kinds}), not {str(value)!r}")
        if not path.is_file():
            raise ValueError(f"{where}: {name}: no such file {str(value)!r}")
        return path.resolve()
    raise TypeError(f"{where}: {name} must be a URL or a file path, not {type(value).__name__}")


def _button(where: str, name: str, value: Any) -> bool | str:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip():
        return value.strip()
    raise TypeError(f"{where}: {name} must be True, False or a label, not {value!r}")


class Chatbot:
    """The message list, as Gradio's ``gr.Chatbot``.

    Arguments:
        label: the message list's accessible name.
        height: the panel's height: pixels, or a CSS length (``"70vh"``).
        min_height: the panel's smallest height.
        max_height: the panel's largest height.
        placeholder: markdown or HTML shown centred before the first message (sanitized).
        avatar_images: ``(visitor, bot)`` images: file paths or URLs, each may be ``None``.
        buttons: ``"copy"`` (a Copy button on each message), ``"copy_all"`` (Copy all: the
            conversation as text), ``"share"`` (the browser's share sheet, where it has one);
            default all three, as Gradio 6.
        watermark: text added after a blank line to everything copied.
        feedback_options: the choices of ``.like`` listeners: "Like" and "Dislike" are thumbs,
            others sit under a flag menu (``flagging_mode="manual"`` uses its
            ``flagging_options`` instead, as Gradio).
        feedback_value: the feedback already given on each answer of ``value``, in order
            (consecutive assistant messages are one answer): shown pressed on the welcome's
            feedback buttons when feedback is on.
        like_user_message: feedback buttons on the visitor's messages too.
        group_consecutive_messages: consecutive messages of one role share one bubble.
        allow_tags: ``True`` shows custom tags such as ``<thinking>`` as text (default),
            a list does so for those tags only, ``False`` removes them; never as HTML.
        line_breaks: a single newline is a line break (default on).
        layout: ``"bubble"`` (default) or ``"panel"`` (full-width messages, no bubbles).
        editable: ``"user"``: the visitor may edit their messages and re-run the chat from
            there (as ``ChatInterface(editable=True)``); ``"all"`` also puts an Edit button on
            answers (of text alone): the edited text replaces the answer without re-running
            the chat, and later requests send it as history. Feedback on the answers the
            server signed with the old text (the edited one and those after it, up to the
            edit) goes; answers given after the edit can be flagged.
        examples: ``[{"text", "files", "icon", "display_text"}]``: example buttons, used when
            the ChatInterface has no examples of its own (Gradio 6.31 drops them inside a
            ChatInterface; here they show).
        resizable: a handle that lets the visitor resize the panel.
        allow_file_downloads: ``False``: files in answers show their name and size without a
            download link.
        rtl: right-to-left messages.
        render_markdown: ``False`` shows answers as plain text.
        sanitize_html: accepted for Gradio apps; the widget always sanitizes, for the visitor's
            safety, so ``False`` only warns.
        value: the welcome: messages shown before the visitor writes (``components/welcome.py``).
        latex_delimiters: math delimiters rendered with KaTeX (``components/latex.py``).
        reasoning_tags: ``(open, close)`` pairs whose text is shown as a thought
            (``components/reasoning.py``).
        type: ``"messages"``; Gradio 4's ``"tuples"`` is accepted with a warning (the chat
            function then receives history as ``[user, bot]`` pairs).

    Feedback buttons appear with ``chatbot.like(fn)`` (``fn`` gets ``gr.LikeData``) or
    ``ChatInterface(flagging_mode="manual")``. Gradio 4/5's ``show_copy_button``,
    ``show_copy_all_button``, ``show_share_button``, ``likeable``, ``bubble_full_width`` and
    ``resizeable`` work with one warning each.

    Example::

        gr.ChatInterface(fn, chatbot=gr.Chatbot(height=300, placeholder="Ask me anything"))
    """

    def __init__(
        self,
        value: list[Any] | None = None,
        *,
        type: str = "messages",  # noqa: A002 - Gradio's name
        label: str | None = None,
        height: int | str | None = None,
        min_height: int | str | None = None,
        max_height: int | str | None = None,
        placeholder: str | None = None,
        avatar_images: tuple[str | Path | None, str | Path | None] | None = None,
        rtl: bool = False,
        render_markdown: bool = True,
        sanitize_html: bool = True,
        resizable: bool = False,
        editable: str | None = None,
        buttons: list[str] | None = None,
        watermark: str | None = None,
        feedback_options: list[str] | tuple[str, ...] | None = ("Like", "Dislike"),
        feedback_value: list[str | None] | None = None,
        line_breaks: bool = True,
        layout: str | None = None,
        examples: list[dict[str, Any]] | None = None,
        allow_file_downloads: bool = True,
        group_consecutive_messages: bool = True,
        allow_tags: bool | list[str] = True,
        like_user_message: bool = False,
        latex_delimiters: list[dict[str, str | bool]] | None = None,
        reasoning_tags: list[tuple[str, str]] | None = None,
        **extra: Any,
    ) -> None:
        where = "Chatbot()"
        removed = removed_arguments(extra)
        _check_layout_only(where, extra)
        given = {
            "buttons": buttons, "watermark": watermark, "feedback_options": feedback_options,
            "feedback_value": feedback_value, "like_user_message": like_user_message,
            "group_consecutive_messages": group_consecutive_messages, "allow_tags": allow_tags,
            "line_breaks": line_breaks, "layout": layout, "editable": editable,
            "resizable": resizable, "allow_file_downloads": allow_file_downloads,
        }  # fmt: skip
        self.options = MessageOptions.check(given, removed)
        self.examples = check_examples(examples)
        self.likes: list[LikeListener] = []
        self.value = welcome_messages(where, value)
        self.latex_delimiters = _latex_delimiters(where, latex_delimiters)
        self.reasoning_tags = _reasoning_tags(where, reasoning_tags)
        if type == "tuples":
            warnings.warn(
                f"{where}: type='tuples' was removed in Gradio 6; the chat function receives "
                "history as [user, bot] pairs, as in Gradio 4",
                UserWarning,
                stacklevel=2,
            )
        elif type != "messages":
            raise ValueError(f"{where}: type must be 'messages', not {type!r}")
        #: The history format the chat function receives (``"tuples"``: Gradio 4's pairs).
        self.type = type
        self.label = _text(where, "label", label)
        self.height = css_length(where, "height", height)
        self.min_height = css_length(where, "min_height", min_height)
        self.max_height = css_length(where, "max_height", max_height)
        self.placeholder = _text(where, "placeholder", placeholder)
        if avatar_images is None:
            self.avatar_images: tuple[str | Path | None, str | Path | None] = (None, None)
        elif isinstance(avatar_images, (tuple, list)) and len(avatar_images) == 2:
            self.avatar_images = (
                image_source(where, "avatar_images[0]", avatar_images[0]),
                image_source(where, "avatar_images[1]", avatar_images[1]),
            )
        else:
            raise TypeError(f"{where}: avatar_images must be a pair (visitor, bot)")
        self.rtl = _flag(where, "rtl", rtl)
        self.render_markdown = _flag(where, "render_markdown", render_markdown)
        if not _flag(where, "sanitize_html", sanitize_html):
            warnings.warn(
                "Chatbot(sanitize_html=False) has no effect: the widget always sanitizes HTML, "
                "because it runs on other people's pages",
                UserWarning,
                stacklevel=2,
            )

    @property
    def show_copy_button(self) -> bool:
        return "copy" in self.options.buttons

    def welcome_turns(self) -> list[tuple[str, str]]:
        """The welcome as the first turns of every conversation's history."""
        return [(message.role, message.text) for message in self.value]

    def like(self, fn: Any, inputs: Any = None, outputs: Any = None, **event: Any) -> LikeListener:
        """Gradio's ``chatbot.like(fn, inputs, outputs)``: ``fn`` runs on every feedback a
        visitor gives (see ``backend/components/like.py``); turns the feedback buttons on."""
        found = listener(fn, inputs, outputs)
        self.likes.append(found)
        return found


class Textbox(Renderable):
    """The composer, as Gradio's ``gr.Textbox``.

    Arguments:
        placeholder: hint shown while empty.
        max_length: longest message, in characters (also enforced by the server).
        lines: initial height in lines.
        max_lines: the most lines it grows to.
        autofocus: focus it when the page loads (off by default: it is on other people's pages).
        submit_btn: ``True`` (an icon button named "Send"), a label, or ``False`` (Enter only).
        stop_btn: ``True`` (an icon button named "Stop"), a label, or ``False``.

    Example::

        gr.ChatInterface(fn, textbox=gr.Textbox(placeholder="Ask me a yes or no question"))
    """

    def __init__(
        self,
        value: str | None = None,
        *,
        placeholder: str | None = None,
        label: str | None = None,
        render: bool = True,
        max_length: int | None = None,
        lines: int = 1,
        max_lines: int | None = 20,
        autofocus: bool = False,
        submit_btn: bool | str = True,
        stop_btn: bool | str = True,
        type: str = "text",  # noqa: A002 - Gradio's name
        **layout: Any,
    ) -> None:
        where = "Textbox()"
        _check_layout_only(where, {k: v for k, v in layout.items() if k not in TEXTBOX_DISPLAY})
        self.value = _text(where, "value", value)
        #: False: hidden until an event shows it (in a Blocks layout).
        self.visible = layout.get("visible", True) is not False
        if type not in TEXT_TYPES:
            raise ValueError(f"{where}: type must be one of {TEXT_TYPES}, not {type!r}")
        #: "password" hides what is typed in an additional input; "email" is text.
        self.type = type
        if max_lines is None:
            max_lines = max(20, lines) if isinstance(lines, int) else 20
        self.placeholder = _text(where, "placeholder", placeholder)
        self.label = _text(where, "label", label)
        if max_length is not None and (
            not isinstance(max_length, int) or isinstance(max_length, bool) or max_length < 1
        ):
            raise ValueError(f"{where}: max_length must be a positive int, not {max_length!r}")
        self.max_length = max_length
        for name, number in (("lines", lines), ("max_lines", max_lines)):
            if not isinstance(number, int) or isinstance(number, bool) or not 1 <= number <= 100:
                raise ValueError(f"{where}: {name} must be an int from 1 to 100, not {number!r}")
        if max_lines < lines:
            raise ValueError(f"{where}: max_lines ({max_lines}) is less than lines ({lines})")
        self.lines = lines
        self.max_lines = max_lines
        self.autofocus = _flag(where, "autofocus", autofocus)
        self.submit_btn = _button(where, "submit_btn", submit_btn)
        self.stop_btn = _button(where, "stop_btn", stop_btn)
        super().__init__(render=render)


SOURCES = ("upload", "microphone")
FILE_KINDS = ("image", "audio", "video", "text", "file")


class MultimodalTextbox(Textbox):
    """The composer of a ``multimodal=True`` chat, as Gradio's ``gr.MultimodalTextbox``: text
    plus files the visitor attaches (button, drag-and-drop, paste) or records.

    Arguments (besides ``Textbox``'s):
        sources: ``"upload"`` (attach files) and/or ``"microphone"`` (record audio).
        file_types: accepted files: ``"image"``, ``"audio"``, ``"video"``, ``"text"``,
            ``"file"`` (anything) and extensions such as ``".pdf"``; ``None`` for anything.
            Checked in the visitor's file picker and again, by content, on the server.
        file_count: ``"single"`` (one file per message) or ``"multiple"``.

    Example::

        gr.ChatInterface(fn, multimodal=True, textbox=gr.MultimodalTextbox(
            file_count="multiple", file_types=["image"], sources=["upload", "microphone"]))
    """

    def __init__(
        self,
        value: str | dict[str, Any] | None = None,
        *,
        sources: str | list[str] | tuple[str, ...] | None = None,
        file_types: list[str] | tuple[str, ...] | None = None,
        file_count: str = "single",
        max_plain_text_length: int = 1000,
        **textbox: Any,
    ) -> None:
        where = "MultimodalTextbox()"
        if (
            isinstance(max_plain_text_length, bool)
            or not isinstance(max_plain_text_length, int)
            or max_plain_text_length < 1
        ):
            raise ValueError(f"{where}: max_plain_text_length must be a positive int")
        #: Gradio turns longer pasted text into a file; here it stays text (accepted, kept).
        self.max_plain_text_length = max_plain_text_length
        if isinstance(value, dict):
            if value.get("files"):
                raise TypeError(f"{where}: value (initial files) is not supported")
            value = value.get("text")
        super().__init__(value, **textbox)
        if sources is None:
            sources = ["upload"]
        if isinstance(sources, str):
            sources = [sources]
        if not isinstance(sources, (list, tuple)) or not sources:
            raise TypeError(f"{where}: sources must be a list of 'upload' and 'microphone'")
        for source in sources:
            if source not in SOURCES:
                raise ValueError(
                    f"{where}: sources may hold 'upload' and 'microphone', not {source!r}"
                )
        self.sources: tuple[str, ...] = tuple(dict.fromkeys(sources))
        if file_types is not None:
            if isinstance(file_types, str) or not isinstance(file_types, (list, tuple)):
                raise TypeError(f"{where}: file_types must be a list such as ['image', '.pdf']")
            for entry in file_types:
                if not isinstance(entry, str) or not (
                    entry in FILE_KINDS or _EXTENSION.match(entry)
                ):
                    raise ValueError(
                        f"{where}: file_types entries are 'image', 'audio', 'video', 'text', "
                        f"'file' or extensions like '.pdf', not {entry!r}"
                    )
            file_types = tuple(entry.lower() for entry in file_types)
        self.file_types: tuple[str, ...] | None = file_types
        if file_count == "directory":
            raise ValueError(f"{where}: file_count='directory' is not supported in a chat bubble")
        if file_count not in ("single", "multiple"):
            raise ValueError(f"{where}: file_count must be 'single' or 'multiple'")
        self.file_count = file_count


_EXTENSION = re.compile(r"\A\.[A-Za-z0-9]{1,10}\Z")
