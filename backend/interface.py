"""``ChatInterface``: the front door, with Gradio's signature."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .chat import ChatFn

if TYPE_CHECKING:
    from quart import Quart

# Gradio ChatInterface arguments that chatbubble does not implement yet: passing one is an error
# that says so, never silently ignored.
_GRADIO_ONLY = frozenset(
    {
        "multimodal", "chatbot", "textbox", "additional_inputs", "additional_inputs_accordion",
        "additional_outputs", "editable", "examples", "example_labels", "example_icons",
        "run_examples_on_click", "cache_examples", "cache_mode", "description", "theme", "css",
        "css_paths", "js", "head", "head_paths", "flagging_mode", "flagging_options",
        "flagging_dir", "analytics_enabled", "autofocus", "autoscroll", "submit_btn", "stop_btn",
        "concurrency_limit", "delete_cache", "show_progress", "fill_height", "fill_width",
        "api_name", "api_description", "show_api", "api_visibility", "save_history", "validator",
    }
)  # fmt: skip


def _unexpected(where: str, name: str) -> TypeError:
    hint = " (a Gradio argument chatbubble does not support yet)" if name in _GRADIO_ONLY else ""
    return TypeError(f"{where} got an unexpected keyword argument {name!r}{hint}")


# Interfaces created while `backend serve` imports an app file: the loader reads them, and
# launch() only registers instead of serving while it is importing.
created: list[ChatInterface] = []
launched: list[ChatInterface] = []
importing = False


class ChatInterface:
    """A chat served to a website's bubble by a chat function, as Gradio's ``gr.ChatInterface``.

    Arguments:
        fn: ``fn(message, history)``: ``message`` is the visitor's text, ``history`` the earlier
            turns as openai-style ``{"role", "content"}`` dicts. It returns the answer, or yields
            growing partial answers to stream; sync or async.
        type: ``"messages"`` (the only history format).
        title: the panel's title.

    Example::

        import backend as gr

        def echo(message, history):
            return message

        demo = gr.ChatInterface(fn=echo, type="messages", title="Echo")
        demo.launch()
    """

    def __init__(
        self,
        fn: ChatFn,
        *,
        type: str = "messages",  # noqa: A002 - Gradio's name
        title: str | None = None,
        **unsupported: Any,
    ) -> None:
        for name in unsupported:
            raise _unexpected("ChatInterface()", name)
        if not callable(fn):
            raise TypeError(f"fn must be callable, not {fn!r}")
        _check_arity(fn)
        if type == "tuples":
            raise ValueError(
                "type='tuples' is not supported: chatbubble passes history as openai-style "
                "messages ({'role': ..., 'content': ...}); use type='messages'"
            )
        if type != "messages":
            raise ValueError(f"type must be 'messages', not {type!r}")
        if title is not None and not isinstance(title, str):
            raise TypeError(f"title must be a string, not {title!r}")
        self.fn: ChatFn = fn
        self.type = type
        self.title = title
        self._app: Quart | None = None
        created.append(self)

    def __repr__(self) -> str:
        name = getattr(self.fn, "__name__", repr(self.fn))
        return f"<ChatInterface fn={name} title={self.title!r}>"

    @property
    def app(self) -> Quart:
        """The ASGI app (settings from the environment), to mount in any ASGI server."""
        if self._app is None:
            from .app import create_app

            self._app = create_app(self)
        return self._app

    def queue(self) -> ChatInterface:
        """Kept for Gradio apps that call ``demo.queue().launch()``: answers always stream and
        run concurrently here, so there is nothing to configure."""
        return self

    def launch(
        self,
        server_name: str | None = None,
        server_port: int | None = None,
        **unsupported: Any,
    ) -> None:
        """Serve this chat (blocks until Ctrl+C), printing the ``<script>`` tag to paste.

        Arguments:
            server_name: interface to listen on (default: setting ``host``, 127.0.0.1).
            server_port: port (default: setting ``port``, 8000).
        """
        for name in unsupported:
            raise _unexpected("launch()", name)
        if importing:
            launched.append(self)
            return
        from .server import serve
        from .settings import Settings

        overrides: dict[str, Any] = {}
        if server_name is not None:
            overrides["host"] = server_name
        if server_port is not None:
            overrides["port"] = server_port
        serve(self, Settings.load(overrides))


def _check_arity(fn: Callable[..., Any]) -> None:
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):
        return  # builtins and some callables have no signature: trust them
    try:
        signature.bind("message", [])
    except TypeError:
        raise TypeError(
            f"fn must accept two arguments, (message, history); {signature} does not"
        ) from None
