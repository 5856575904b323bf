"""``Button``, ``ClearButton`` and ``LoginButton``, as Gradio's, in a Blocks layout around the
chat.

A ``Button`` shows in the layout with its label; its ``.click(fn, inputs, outputs)`` runs ``fn``
on the server (see ``components/events.py``). ``LoginButton`` is accepted and shows nothing:
there is no Hugging Face login in a chat bubble, so ``gr.OAuthProfile`` and ``gr.OAuthToken``
parameters get ``None``.
"""

from __future__ import annotations

from typing import Any

from .blocks import Renderable, owner
from .events import Handler, warn_once

VARIANTS = ("primary", "secondary", "stop", "huggingface")


class Button(Renderable):
    """A button; ``value`` is its label.

    Example::

        with gr.Blocks() as demo:
            chat = gr.ChatInterface(fn)
            gr.Button("Clear").click(lambda: [], None, chat.chatbot)
    """

    def __init__(
        self, value: Any = "Run", *, variant: str = "secondary", render: bool = True,
        visible: bool = True, interactive: bool = True, **layout: Any,
    ) -> None:  # fmt: skip
        if variant not in VARIANTS:
            raise ValueError(f"Button(): variant must be one of {VARIANTS}, not {variant!r}")
        if callable(value):
            raise TypeError("Button(): a callable value is not supported")
        self.value = "" if value is None else str(value)
        self.variant = variant
        self.visible = bool(visible)
        self.interactive = bool(interactive)
        self.layout = layout
        super().__init__(render=render)

    def spec(self) -> dict[str, Any]:
        return {"type": "button", "value": self.value, "variant": self.variant,
                "visible": self.visible, "interactive": self.interactive}  # fmt: skip


class ClearButton(Button):
    """A button that empties ``components`` (the conversation, when given the chatbot)."""

    def __init__(self, components: Any = None, value: Any = "Clear", **kwargs: Any) -> None:
        super().__init__(value, **kwargs)
        self.components: list[Any] = []
        self._handler = Handler(owner(), ((self, "click"),), self._empty)
        self.add(components)

    def _empty(self) -> list[None]:
        return [None] * len(self.components)

    def add(self, components: Any) -> ClearButton:
        """Empties ``components`` too when clicked."""
        if components is None:
            return self
        items = components if isinstance(components, (list, tuple, set)) else [components]
        self.components.extend(items)
        self._handler.outputs = tuple(self.components)
        return self


class LoginButton(Button):
    """Gradio's "Sign in with Hugging Face" button: accepted, shows nothing."""

    def __init__(
        self, value: str = "Sign in with Hugging Face", logout_value: str = "Logout ({})",
        *, variant: str = "huggingface", **kwargs: Any,
    ) -> None:  # fmt: skip
        warn_once(
            "login",
            "gr.LoginButton shows nothing: the chat bubble has no Hugging Face login, so "
            "gr.OAuthProfile and gr.OAuthToken parameters get None",
        )
        self.logout_value = logout_value
        kwargs.pop("visible", None)
        super().__init__(value, variant=variant, visible=False, **kwargs)
