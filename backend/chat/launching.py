"""``launch()`` with every argument of Gradio 6.31's (``ChatInterface.launch`` and
``Blocks.launch``): each one that means something here becomes a setting (the launch's
overrides, above the environment and the TOML file, as CLI flags are), the page arguments
Gradio 6 moved to ``launch()`` (``theme``, ``css``, ...) apply to the interface as its
constructor's do, and each one that cannot mean anything for a bubble served by its own
server gets one printed line saying so; the chat is served anyway.
"""

from __future__ import annotations

import inspect
import re
import sys
from collections.abc import Callable, Mapping
from typing import Any

from ..components.i18n import I18n
from . import hosting
from .accounts import Accounts

P = inspect.Parameter
_POSITIONAL = (
    ("inline", None), ("inbrowser", False), ("share", None), ("debug", False),
    ("max_threads", 40), ("auth", None), ("auth_message", None),
    ("prevent_thread_lock", False), ("show_error", False), ("server_name", None),
    ("server_port", None),
)  # fmt: skip
_KEYWORD = (
    ("height", 500), ("width", "100%"), ("favicon_path", None), ("ssl_keyfile", None),
    ("ssl_certfile", None), ("ssl_keyfile_password", None), ("ssl_verify", True),
    ("quiet", False), ("footer_links", None), ("run_history", None), ("allowed_paths", None),
    ("blocked_paths", None), ("root_path", None), ("app_kwargs", None),
    ("state_session_capacity", 10000), ("share_server_address", None),
    ("share_server_protocol", None), ("share_server_tls_certificate", None),
    ("auth_dependency", None), ("max_file_size", None), ("enable_monitoring", None),
    ("strict_cors", True), ("node_server_name", None), ("node_port", None), ("ssr_mode", None),
    ("pwa", None), ("mcp_server", None), ("num_workers", None), ("_app", None),
    ("_frontend", True), ("i18n", None), ("theme", None), ("css", None), ("css_paths", None),
    ("js", None), ("head", None), ("head_paths", None),
)  # fmt: skip

#: Gradio 6.31's ``Blocks.launch`` signature (``tests/chat/test_launching.py`` pins it).
SIGNATURE = inspect.Signature(
    [
        P("self", P.POSITIONAL_OR_KEYWORD),
        *(P(name, P.POSITIONAL_OR_KEYWORD, default=value) for name, value in _POSITIONAL),
        *(P(name, P.KEYWORD_ONLY, default=value) for name, value in _KEYWORD),
    ]
)

#: Arguments passed through to a setting of the same meaning: the setting's name, and how
#: the value becomes one.
_SETTINGS: dict[str, tuple[str, Callable[[Any], Any]]] = {}

#: The arguments that cannot mean anything here, and why (printed when one is given with a
#: value other than Gradio's default).
NO_EFFECT = {
    "share": "chatbubble makes no share link (no tunnel); the chat is served at its own "
    "address, put it behind your own domain to share it",
    "inbrowser": "no browser is opened; open the printed address or paste the <script> tag",
    "inline": "the chat is a bubble on web pages, not a notebook output",
    "height": "the chat sizes itself on the page (fill_height, gr.Chatbot(height=...))",
    "width": "the chat sizes itself on the page (fill_width)",
    "prevent_thread_lock": "launch() serves until Ctrl+C (mount demo.app in your own server "
    "to run it beside other code)",
    "run_history": "no run history page is kept",
    "app_kwargs": "the server is Quart, not FastAPI (mount demo.app to wrap it)",
    "state_session_capacity": "sessions are kept in a bounded LRU of their own",
    "share_server_address": "no share link is made",
    "share_server_protocol": "no share link is made",
    "share_server_tls_certificate": "no share link is made",
    "auth_dependency": "not supported",
    "enable_monitoring": "no monitoring dashboard (see the log)",
    "node_server_name": "no server-side rendering",
    "node_port": "no server-side rendering",
    "ssr_mode": "no server-side rendering",
    "pwa": "the bubble lives on your own site, not an installable app",
    "num_workers": "use the workers setting (backend serve --workers N)",
    "_app": "internal to Gradio",
    "_frontend": "internal to Gradio",
    "ssl_verify": "no share link or self-check is made",
    "debug": "launch() always blocks and logs the chat function's errors",
}

#: Gradio 6 moved these from ``Blocks(...)`` to ``launch()``: they apply to the interface.
PAGE_ARGUMENTS = ("theme", "css", "css_paths", "js", "head", "head_paths")

_SIZE = re.compile(r"\A(\d+)\s*(B|KB|MB|GB|TB)?\Z", re.IGNORECASE)
_UNITS = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3, "TB": 1024**4}


def file_size(value: Any) -> int:
    """``max_file_size`` as Gradio takes it: bytes, or a string such as ``"5mb"``, ``"1 GB"``."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    match = _SIZE.match(value.strip()) if isinstance(value, str) else None
    if match is None:
        raise ValueError(f"max_file_size must be bytes or a size like '5mb', not {value!r}")
    return int(match[1]) * _UNITS[(match[2] or "B").upper()]


def _paths(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    return tuple(str(path) for path in value)


_SETTINGS.update(
    {
        "server_name": ("host", str),
        "server_port": ("port", int),
        "max_threads": ("worker_threads", int),
        "show_error": ("show_error", bool),
        "quiet": ("quiet", bool),
        "mcp_server": ("mcp_server", bool),
        "ssl_keyfile": ("ssl_keyfile", str),
        "ssl_certfile": ("ssl_certfile", str),
        "ssl_keyfile_password": ("ssl_keyfile_password", str),
        "allowed_paths": ("allowed_paths", _paths),
        "blocked_paths": ("blocked_paths", _paths),
        "max_file_size": ("max_file_size", file_size),
        "strict_cors": ("strict_cors", bool),
        "favicon_path": ("favicon_path", str),
        "root_path": ("root_path", str),
    }
)


def options(given: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The settings ``given`` arguments override, and the lines to print about the others.
    An argument left at ``None`` (or at Gradio's default, for the ones without meaning
    here) changes nothing."""
    overrides: dict[str, Any] = {}
    notes = []
    for name, value in given.items():
        if name in _SETTINGS:
            if value is not None:
                setting, convert = _SETTINGS[name]
                overrides[setting] = convert(value)
        elif name in NO_EFFECT and value != SIGNATURE.parameters[name].default:
            shown = "..." if name in ("auth", "auth_dependency", "app_kwargs") else repr(value)
            notes.append(f"chatbubble: launch({name}={shown}) has no effect: {NO_EFFECT[name]}.")
    return overrides, notes


def apply_login(interface: Any, auth: Any, auth_message: Any) -> None:
    """``auth`` and ``auth_message`` belong to the interface (as ``Blocks.auth`` in Gradio), so
    ``backend serve app.py`` keeps them when the app calls ``launch()`` under ``__main__``."""
    if auth is not None:
        interface.accounts = Accounts.from_argument(auth)
    if auth_message is not None:
        if not isinstance(auth_message, str):
            raise TypeError(f"auth_message must be a string, not {auth_message!r}")
        interface.auth_message = auth_message


def apply_i18n(interface: Any, i18n: Any) -> None:
    """``launch(i18n=gr.I18n(...))``: the translations of the app's ``i18n("key")`` texts,
    kept by the interface (as ``Blocks.i18n_instance`` in Gradio)."""
    if i18n is None:
        return
    if not isinstance(i18n, I18n):
        raise TypeError(f"launch(i18n=...) must be a gr.I18n, not {type(i18n).__name__}")
    interface.i18n = i18n


def launch(*args: Any, **kwargs: Any) -> None:
    """Serve this chat (blocks until Ctrl+C), printing the ``<script>`` tag to paste.

    Takes every argument of Gradio 6.31's ``launch()``. These work: ``server_name``,
    ``server_port``, ``max_threads`` (threads for synchronous chat functions),
    ``max_file_size`` (bytes or ``"5mb"``), ``show_error``, ``quiet``, ``mcp_server``,
    ``ssl_certfile``/``ssl_keyfile``/``ssl_keyfile_password`` (https),
    ``allowed_paths``/``blocked_paths`` (where returned files may come from),
    ``strict_cors`` (on by default, as Gradio: a server reached at localhost answers only
    pages on localhost), ``favicon_path`` (``/favicon.ico`` of the pages this server shows),
    ``root_path`` (the path prefix, or full URL, the app is served under behind a proxy),
    ``footer_links`` (leaving out ``"api"`` hides the full page's "Use via API" link), and
    ``theme``, ``css``, ``css_paths``, ``js``, ``head``, ``head_paths`` as in the
    constructor, ``auth`` (a ``(username, password)`` pair, a list of them, or a function
    ``(username, password) -> bool``, sync or async: visitors and API clients log in) with
    ``auth_message`` (markdown above the login form), ``i18n`` (a ``gr.I18n``: the
    ``i18n("key")`` texts in each visitor's language). Any other prints one line saying why
    it has no effect here.
    """
    try:
        bound = SIGNATURE.bind(*args, **kwargs)
    except TypeError as error:
        raise TypeError(f"launch(): {error}") from None
    given = dict(bound.arguments)
    interface = given.pop("self")
    page = {name: given.pop(name) for name in PAGE_ARGUMENTS if name in given}
    apply_login(interface, given.pop("auth", None), given.pop("auth_message", None))
    apply_i18n(interface, given.pop("i18n", None))
    interface.full_page.set_footer_links(given.pop("footer_links", None))
    if page:
        interface.apply_page(**page)
    overrides, notes = options(given)
    for note in notes:
        print(note, file=sys.stderr, flush=True)
    if hosting.importing:
        hosting.launched.append(interface)
        return
    hosting.launcher()(interface, overrides)


launch.__signature__ = SIGNATURE  # type: ignore[attr-defined]
