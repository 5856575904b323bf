"""What the widget learns from ``GET /api/config``: the operator's customization, as JSON."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..chat.layout import layout
from ..components.blocks import enclosing
from ..components.media import Component
from ..components.themes.palettes import theme_config
from ..files.store import StoredFile
from ..settings import Settings
from ..streams.events import PROTOCOL
from .chat_request import message_limit
from .likes import feedback_options

if TYPE_CHECKING:
    from ..chat.interface import ChatInterface


def widget_config(
    interface: ChatInterface,
    settings: Settings,
    base_url: str,
    example_files: Sequence[Sequence[StoredFile]] = (),
) -> dict[str, Any]:
    """The body of ``GET /api/config`` (see docs/protocol.md); asset URLs start with
    ``base_url``; ``example_files`` are the examples' stored files."""
    chatbot, textbox, assets = interface.chatbot, interface.textbox, interface.assets
    cache = interface.example_cache
    return {
        "protocol": PROTOCOL,
        "title": interface.title,
        "description": interface.description,
        "placeholder": chatbot.placeholder,
        "label": chatbot.label,
        "examples": [
            {
                "text": example.text,
                "label": example.label,
                "icon": assets.url(example.icon, base_url),
                "cached": cache is not None and cache.get(index) is not None,
                "inputs": list(example.inputs) if example.inputs is not None else None,
                "files": [file.part(base_url) for file in example_files[index]]
                if index < len(example_files)
                else [],
            }
            for index, example in enumerate(interface.examples)
        ],
        "examples_label": interface.examples_label,
        "run_examples_on_click": interface.run_examples_on_click,
        "chatbot": {
            "height": chatbot.height,
            "min_height": chatbot.min_height,
            "max_height": chatbot.max_height,
            "rtl": chatbot.rtl,
            "render_markdown": chatbot.render_markdown,
            **chatbot.options.config(),
            "autoscroll": interface.autoscroll,
            "show_progress": interface.show_progress,
            "avatar_images": [assets.url(image, base_url) for image in chatbot.avatar_images],
            "value": [{"role": message.role, "text": message.text} for message in chatbot.value],
            "latex_delimiters": list(chatbot.latex_delimiters),
        },
        "textbox": {
            "placeholder": textbox.placeholder,
            "max_length": textbox.max_length,
            "lines": textbox.lines,
            "max_lines": textbox.max_lines,
            "autofocus": textbox.autofocus,
            "focus_on_open": interface.autofocus,
            "submit_btn": textbox.submit_btn,
            "stop_btn": textbox.stop_btn,
        },
        "theme": theme_config(_theme(interface)),
        "app": interface.app_id,
        "save_history": interface.save_history,
        "editable": interface.editable,
        "flagging": _feedback(interface, settings),
        "css": interface.css,
        "multimodal": _multimodal(interface, settings),
        "additional_inputs": {
            "accordion": {"label": interface.accordion.label, "open": interface.accordion.open},
            "inputs": [component.spec() for component in interface.additional_inputs],
        }
        if interface.additional_inputs
        else None,
        "additional_outputs": [_output_spec(output) for output in interface.additional_outputs],
        "layout": layout(interface),
        "events": interface.wiring.config(),
        "locale": settings.locale or None,
        "greeting": {"text": settings.greeting.strip() or None, "delay": settings.greeting_delay}
        if settings.greeting or settings.greeting_delay
        else None,
        "notice": settings.notice.strip() or None,
        "consent": settings.consent_question or None,
        "privacy_url": settings.privacy_url or None,
        "limits": {
            "max_message_chars": message_limit(settings, textbox.max_length),
            "max_history_messages": settings.max_history_messages,
            "max_history_entry_chars": settings.max_history_entry_chars,
            "max_body_bytes": settings.max_body_bytes,
        },
    }


def _feedback(interface: ChatInterface, settings: Settings) -> dict[str, Any] | None:
    """The feedback choices, and ``comments``: a thumbs-down opens a comment box."""
    options = feedback_options(interface)
    if options is None:
        return None
    return {"options": list(options), "comments": settings.feedback_comments}


def _multimodal(interface: ChatInterface, settings: Settings) -> dict[str, Any] | None:
    options = interface.multimodal_options
    if options is None:
        return None
    return {
        "file_count": options.file_count,
        "file_types": list(options.file_types) if options.file_types is not None else None,
        "sources": list(options.sources),
        "max_file_size": settings.max_file_size,
        "max_files": 1 if options.file_count == "single" else settings.max_files,
    }


def _output_spec(output: Component) -> dict[str, Any]:
    value = output.value if output.kind in ("code", "markdown", "html", "json") else None
    return {
        "type": output.kind,
        "label": output.label,
        "language": getattr(output, "language", None),
        "value": value,
    }


def _theme(interface: ChatInterface) -> Any:
    """The interface's theme, else that of the ``gr.Blocks`` around it."""
    if interface.theme is not None:
        return interface.theme
    around = enclosing(interface)
    return around.theme if around is not None else None
