"""``ChatInterface``: the front door, with Gradio's signature."""

from __future__ import annotations

import hashlib
import inspect
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..components import blocks
from ..components.chatbot import Chatbot, MultimodalTextbox, Textbox
from ..components.i18n import I18n
from ..components.inputs import InputComponent, normalize_inputs
from ..components.media import Component
from ..components.state import State
from ..components.themes.base import Base
from ..components.themes.choice import check_theme
from . import arguments, hosting, launching, validation
from .accounts import Accounts
from .assets import Assets
from .examples import chatbot_examples, normalize_examples
from .full_page import PageOptions
from .history import Format, Turn, history_for_fn
from .run import ChatFn
from .states import StateSlots
from .wiring import Wiring

if TYPE_CHECKING:
    from quart import Quart


class ChatInterface(blocks.Hosted):
    """A chat served to a website's bubble by a chat function, as Gradio's ``gr.ChatInterface``.

    Arguments:
        fn: ``fn(message, history)``: ``message`` is the visitor's text, ``history`` the earlier
            turns as openai-style ``{"role", "content"}`` dicts. It returns the answer, or yields
            growing partial answers to stream; sync or async. With ``multimodal=True``,
            ``message`` is ``{"text": ..., "files": [paths]}`` and a file in the history is a
            message whose content is ``(path,)``. Each content also reads as Gradio 6's
            typed parts (``[{"type": "text", "text": ...}]``, see ``history_content.py``).
            The answer is text, or a component (``Image``, ``Audio``, ``Video``, ``File``,
            ``Gallery``, ``HTML``, ``Plot``), or a list of these (several messages).
        multimodal: visitors may attach files (and record audio) to their messages.
        type: ``"messages"`` (the default); Gradio 4's ``"tuples"`` is accepted with a warning
            and ``fn`` then receives history as ``[user, bot]`` pairs, as in Gradio 4.
        title: the panel's title.
        description: markdown under the title.
        chatbot: a ``Chatbot`` (height, placeholder, avatars, ...).
        textbox: a ``Textbox`` (placeholder, max_length, button labels, ...); a
            ``MultimodalTextbox`` with ``multimodal=True`` (sources, file_types, file_count).
        examples: messages offered as buttons before the first message: strings, or
            ``{"text": ..., "files": [paths]}`` dicts (files need ``multimodal=True``).
        examples_label: the caption of the examples table, shown instead of the example
            buttons when the examples carry additional-input values (default "Examples").
        example_labels: text shown on each example's button instead of the example.
        example_icons: an image per example (file path or URL).
        run_examples_on_click: send the example when clicked (else only fill the composer).
        cache_examples: compute the examples' answers ahead and serve them at once.
        cache_mode: ``"eager"`` (at startup, the default) or ``"lazy"`` (at first click).
        theme: a Gradio theme (``gr.themes.Soft(primary_hue="emerald")``, with ``.set(...)``)
            or its name (default, base, soft, monochrome, glass, ocean, origin, citrus,
            cyberpunk, ember, mario, neon), as the widget's light and dark palettes; a Hub
            theme name (``"user/name"``) warns once and keeps the default look.
        css: CSS added inside the widget's shadow root.
        css_paths: files of CSS added the same way.
        fill_height: on the full page at the server's ``/``, the chat fills the window's
            height (default True); False: it is as tall as ``Chatbot(height=...)``.
        fill_width: on that page, the chat uses the whole width (default False: a centred
            column).
        js: a JavaScript function's source, called when that page loads. Never run by the
            widget on other people's sites.
        head: HTML added to that page's ``<head>`` (the operator's own, trusted; its
            ``<script>``, ``<style>`` and ``<link>`` tags get the page's CSP nonce). Never added
            to other people's sites. ``head_paths``: files of it, added the same way.
        analytics_enabled: accepted; chatbubble sends no analytics, whatever its value.
        autofocus: focus the composer when the visitor opens the panel (default True). The
            bubble never takes focus on page load (``Textbox(autofocus=True)`` does, for a panel
            open on load).
        autoscroll: keep the message list at the newest text while an answer streams, unless
            the visitor scrolled up (default True); False: never follow the answer.
        submit_btn: the Send button: ``True`` (an icon), a label (a text button), or ``False``
            (none; Enter still sends). Ignored, with a warning, when ``textbox`` sets its own.
        stop_btn: the Stop button shown while an answer streams, the same way; ``False``: the
            visitor cannot stop an answer.
        show_progress: what the answer shows before its first words: ``"minimal"`` (animated
            dots, the default), ``"full"`` (dots and the seconds elapsed) or ``"hidden"``
            (nothing: the answer appears with its first words).
        concurrency_limit: the most calls of ``fn`` running at once in one worker process; the
            visitors after them wait in line, in order, and are told their place. An int;
            ``None``: no limit; ``"default"`` (the default): ``queue(default_concurrency_limit=
            ...)`` if it was set, else no limit. Unlike Gradio, whose default of 1 would answer
            one visitor of a website at a time, nothing is limited unless you ask: only the
            server's own limits (``worker_threads``, ``max_streams_per_client``) apply.
        validator: ``validator(message, *additional_inputs)`` runs before ``fn`` and returns
            ``gr.validate(is_valid, message)`` (or a list, one per input): when one is not
            valid, the visitor sees its message and ``fn`` is not called. It receives as many
            additional inputs as its signature takes (Gradio passes only the message).
        editable: visitors may edit their past messages and re-run the chat from there.
        save_history: keep every conversation in the visitor's browser, listed under
            "Chat history" (nothing is stored on the server).
        flagging_mode: ``"manual"`` adds feedback buttons to answers, logged to CSV;
            ``"never"`` (default).
        flagging_options: the feedback choices; "Like" and "Dislike" are thumbs, others sit
            under a flag menu.
        flagging_dir: where ``log.csv`` is written (relative to the working directory).
        additional_inputs: more inputs for ``fn``, passed after ``message`` and ``history``:
            ``Textbox``, ``Slider``, ``Number``, ``Checkbox``, ``Dropdown``, ``Radio``,
            ``CheckboxGroup`` or their string shortcuts (``"slider"``). Those not placed in a
            ``gr.Blocks`` layout appear in a collapsible section under the chat. A
            ``gr.State`` gives its value for this conversation (kept on the server, never
            shown); put the same State in ``additional_outputs`` to set it.
        additional_inputs_accordion: that section's title, or a ``gr.Accordion(label=...,
            open=...)`` (default "Additional Inputs", closed).
        additional_outputs: components ``fn`` also fills: it returns
            ``(response, *values)``; a ``None`` value leaves the output as it is. ``Code``,
            ``Markdown``, ``JSON``, ``Image`` and ``HTML`` are shown beside the chat; a
            ``gr.State`` keeps its value for the conversation's next call.
        delete_cache: ``(frequency, age)`` in seconds: uploaded and answered files older than
            ``age`` are deleted, checked every ``frequency`` seconds (default: the
            ``file_retention`` setting, one day).
        api_name: the endpoint's name for Gradio's clients (``gradio_client``,
            ``@gradio/client``, ``/gradio_api/call/<name>``); default: ``fn.__name__``.
        api_description: the endpoint's description in ``/gradio_api/info`` (what
            ``view_api()`` shows) and ``/openapi.json``; default: the summary of ``fn``'s
            docstring; ``False`` for none.
        api_visibility: ``"public"`` (listed and callable), ``"undocumented"`` (callable but
            not listed) or ``"private"`` (Gradio's clients cannot call it; the widget can).

    Example::

        import backend as gr

        def echo(message, history):
            return message

        demo = gr.ChatInterface(fn=echo, type="messages", title="Echo", examples=["Hi"])
        demo.launch()
    """

    def __init__(
        self,
        fn: ChatFn,
        *,
        multimodal: bool = False,
        type: str = "messages",  # noqa: A002 - Gradio's name
        title: str | None = None,
        description: str | None = None,
        chatbot: Chatbot | None = None,
        textbox: Textbox | None = None,
        examples: Sequence[Any] | None = None,
        examples_label: str | None = "Examples",
        example_labels: Sequence[str] | None = None,
        example_icons: Sequence[Any] | None = None,
        run_examples_on_click: bool = True,
        cache_examples: bool | None = None,
        cache_mode: str | None = None,
        theme: str | Base | None = None,
        css: str | None = None,
        css_paths: str | Path | Sequence[str | Path] | None = None,
        fill_height: bool | None = None,
        fill_width: bool | None = None,
        js: str | None = None,
        head: str | None = None,
        head_paths: Any = None,
        analytics_enabled: bool | None = None,
        autofocus: bool = True,
        autoscroll: bool = True,
        submit_btn: bool | str | None = True,
        stop_btn: bool | str | None = True,
        show_progress: str = "minimal",
        concurrency_limit: int | str | None = "default",
        validator: validation.Validator | None = None,
        editable: bool = False,
        save_history: bool = False,
        flagging_mode: str | None = None,
        flagging_options: Sequence[str] | None = ("Like", "Dislike"),
        flagging_dir: str | Path = ".gradio/flagged",
        delete_cache: tuple[float, float] | None = None,
        additional_inputs: Any = None,
        additional_inputs_accordion: str | blocks.Accordion | None = None,
        additional_outputs: Any = None,
        api_name: str | None = None,
        api_description: str | Literal[False] | None = None,
        api_visibility: Literal["public", "private", "undocumented"] = "public",
        **unsupported: Any,
    ) -> None:
        legacy = {
            name: unsupported.pop(name)
            for name in list(unsupported)
            if name in arguments.REMOVED_IN_GRADIO_6
        }
        for name in unsupported:
            raise arguments.unexpected("ChatInterface()", name)
        visibility = arguments.removed(legacy, api_visibility)
        if not callable(fn):
            raise TypeError(f"fn must be callable, not {fn!r}")
        arguments.history_type("ChatInterface()", type)
        for name, text in (("title", title), ("description", description), ("css", css)):
            if text is not None and not isinstance(text, str):
                raise TypeError(f"{name} must be a string, not {text!r}")
        if chatbot is not None and not isinstance(chatbot, Chatbot):
            raise TypeError(f"chatbot must be a gr.Chatbot, not {chatbot!r}")
        if not isinstance(multimodal, bool):
            raise TypeError(f"multimodal must be True or False, not {multimodal!r}")
        if textbox is not None and not isinstance(textbox, Textbox):
            raise TypeError(f"textbox must be a gr.Textbox, not {textbox!r}")
        if multimodal and textbox is not None and not isinstance(textbox, MultimodalTextbox):
            raise TypeError("multimodal=True needs textbox=gr.MultimodalTextbox(...) (or none)")
        if not multimodal and isinstance(textbox, MultimodalTextbox):
            raise TypeError("textbox=gr.MultimodalTextbox(...) needs multimodal=True")
        if not isinstance(run_examples_on_click, bool):
            raise TypeError("run_examples_on_click must be True or False")
        self.fn: ChatFn = fn
        self.type = type
        self.title = title
        self.description = description
        self.chatbot = chatbot or Chatbot()
        #: The history ``fn`` receives: ``"tuples"`` (Gradio 4) when this or the chatbot says so.
        self.history_format: Format = (
            "tuples" if "tuples" in (type, self.chatbot.type) else "messages"
        )
        self.multimodal = multimodal
        buttons = arguments.buttons(submit_btn, stop_btn)
        if textbox is None:
            self.textbox = (
                MultimodalTextbox(file_count="multiple", **buttons)
                if multimodal
                else Textbox(**buttons)
            )
        else:
            self.textbox = textbox
            arguments.textbox_conflicts(textbox, buttons)
        #: ``gr.State`` among the additional inputs and outputs: kept on the server per
        #: conversation, so left out of ``additional_inputs``/``additional_outputs`` (what
        #: visitors and clients see and send).
        self.states, additional_inputs, additional_outputs = StateSlots.split(
            additional_inputs, additional_outputs
        )
        self.additional_inputs: tuple[InputComponent, ...] = normalize_inputs(additional_inputs)
        arguments.check_arity(fn, len(self.states.inputs) or len(self.additional_inputs))
        self.validator = validator
        self.validator_arity = (
            validation.arity(validator, len(self.additional_inputs)) if validator else 0
        )
        self.autofocus = arguments.flag("autofocus", autofocus)
        self.autoscroll = arguments.flag("autoscroll", autoscroll)
        self.show_progress = arguments.show_progress(show_progress)
        self.concurrency_limit = arguments.concurrency_limit(concurrency_limit)
        #: Set by ``queue()``: what ``concurrency_limit="default"`` means ("not_set": no limit),
        #: and how many callers may wait (None: any number).
        self.default_concurrency_limit: int | str | None = "not_set"
        self.max_size: int | None = None
        self.status_update_rate: float | str = "auto"
        self.api_open: bool | None = None
        self.examples_label = arguments.optional_text("examples_label", examples_label)
        if analytics_enabled is not None and not isinstance(analytics_enabled, bool):
            raise TypeError(f"analytics_enabled must be True or False, not {analytics_enabled!r}")
        self.additional_outputs = arguments.outputs(additional_outputs)
        #: Every additional output in the order ``fn`` returns them, States included.
        self.output_slots: tuple[Component | State, ...] = _output_slots(
            self.states, self.additional_outputs
        )
        self.accordion = arguments.accordion(additional_inputs_accordion)
        if examples is None and self.chatbot.examples:
            examples, example_labels, example_icons = chatbot_examples(self.chatbot.examples)
        elif self.chatbot.examples:
            warnings.warn(
                "The ChatInterface already has examples set. The examples provided in the "
                "chatbot will be ignored.",
                UserWarning,
                stacklevel=2,
            )
        self.examples = normalize_examples(
            examples, example_labels, example_icons, multimodal, self.additional_inputs
        )
        self.run_examples_on_click = run_examples_on_click
        self.example_cache = arguments.example_cache(
            fn,
            self.examples,
            cache_examples,
            cache_mode,
            multimodal,
            [component.value for component in self.additional_inputs],
            self.states,
        )
        self.cache_mode = cache_mode or "eager"
        self.theme = check_theme(theme)
        self.css = (css or "") + arguments.read_css(css_paths)
        if flagging_mode not in (None, "never", "manual"):
            raise ValueError(f"flagging_mode must be 'never' or 'manual', not {flagging_mode!r}")
        self.flagging = flagging_mode == "manual"
        for name, flag in (("editable", editable), ("save_history", save_history)):
            if not isinstance(flag, bool):
                raise TypeError(f"{name} must be True or False, not {flag!r}")
        #: Gradio 6's ChatInterface(editable=True) is its chatbot's editable="user".
        self.editable = editable or self.chatbot.options.editable is not None
        self.save_history = save_history
        self.flagging_options = arguments.flagging_options(flagging_options)
        if not isinstance(flagging_dir, (str, Path)):
            raise TypeError(f"flagging_dir must be a path, not {flagging_dir!r}")
        self.flagging_dir = Path(flagging_dir).resolve()
        self.delete_cache = arguments.delete_cache(delete_cache)
        self.api_name = arguments.api_name(api_name, fn)
        self.api_description = arguments.api_description(api_description, fn)
        self.api_visibility = arguments.api_visibility(visibility)
        #: Who may log in (``launch(auth=...)``; none: the chat is open) and the markdown
        #: shown above the login form (``launch(auth_message=...)``).
        self.accounts = Accounts()
        self.auth_message: str | None = None
        #: The translations of its ``i18n("key")`` texts (``launch(i18n=...)``).
        self.i18n: I18n | None = None
        self.assets = Assets()
        for source in (*self.chatbot.avatar_images, *(e.icon for e in self.examples)):
            if isinstance(source, Path):
                self.assets.add(source)
        #: The full page at the server's own ``/`` (never the widget on other sites).
        self.full_page = PageOptions()
        self.full_page.set_fill(fill_height, fill_width)
        self.full_page.add(js, head, head_paths)
        self._app: Quart | None = None
        self._wiring: Wiring | None = None
        blocks.place(self)
        hosting.created.append(self)

    @property
    def multimodal_options(self) -> MultimodalTextbox | None:
        """The composer's file options when visitors may attach files."""
        if self.multimodal and isinstance(self.textbox, MultimodalTextbox):
            return self.textbox
        return None

    def history(self, turns: Sequence[Turn]) -> list[Any]:
        """The conversation as the chat function (and an event's chatbot input) gets it: the
        welcome (the Chatbot's value) first, as in Gradio, in this interface's format."""
        return history_for_fn([*self.chatbot.welcome_turns(), *turns], self.history_format)

    @property
    def wiring(self) -> Wiring:
        """The event handlers of the Blocks around this chat (made once, when first asked:
        after the app file has made them all)."""
        if self._wiring is None:
            self._wiring = Wiring(self)
        return self._wiring

    @property
    def app_dir(self) -> Path | None:
        """The folder of the chat function's source file (files may be returned from it)."""
        try:
            source = inspect.getsourcefile(self.fn)
        except TypeError:
            return None
        return Path(source).resolve().parent if source else None

    @property
    def app_id(self) -> str:
        """A stable id for this app, so browsers keep its conversations apart from another
        bot's on the same site."""
        fn = self.fn
        name = f"{getattr(fn, '__module__', '')}.{getattr(fn, '__qualname__', type(fn).__name__)}"
        return hashlib.sha256(f"{name}\n{self.title or ''}".encode()).hexdigest()[:12]

    def __repr__(self) -> str:
        name = getattr(self.fn, "__name__", repr(self.fn))
        return f"<ChatInterface fn={name} title={self.title!r}>"

    @property
    def app(self) -> Quart:
        """The ASGI app (settings from the environment), to mount in any ASGI server."""
        if self._app is None:
            self._app = hosting.app_factory()(self)
        return self._app

    @property
    def concurrency(self) -> int | None:
        """The most calls of ``fn`` running at once per worker (None: no limit)."""
        limit = self.concurrency_limit
        if limit == "default":
            limit = self.default_concurrency_limit
        return limit if isinstance(limit, int) else None

    def queue(
        self,
        status_update_rate: float | str = "auto",
        api_open: bool | None = None,
        max_size: int | None = None,
        *,
        default_concurrency_limit: int | str | None = "not_set",
    ) -> ChatInterface:
        """Sets up the line that visitors wait in when ``concurrency_limit`` is reached, as
        Gradio's ``demo.queue(...)``; returns the interface (``demo.queue().launch()``).

        Arguments:
            status_update_rate: ``"auto"``: a waiting visitor is told each change of their
                place; a number of seconds: at most that often.
            api_open: accepted and kept (``api_open``), for the Gradio client protocol.
            max_size: the most visitors waiting at once; the next one is told the chat is
                busy (429 ``busy``). ``None``: no limit.
            default_concurrency_limit: what ``concurrency_limit="default"`` means: an int, or
                ``None`` (no limit). Unset, it means no limit (Gradio: 1).
        """
        self.status_update_rate = arguments.update_rate(status_update_rate)
        if api_open is not None and not isinstance(api_open, bool):
            raise TypeError(f"api_open must be True, False or None, not {api_open!r}")
        self.api_open = api_open
        self.max_size = arguments.max_size(max_size)
        if default_concurrency_limit != "not_set":
            default_concurrency_limit = arguments.concurrency_limit(
                default_concurrency_limit, "default_concurrency_limit"
            )
        self.default_concurrency_limit = default_concurrency_limit
        return self

    launch = launching.launch

    def apply_page(
        self,
        theme: Any = None,
        css: str | None = None,
        css_paths: Any = None,
        js: str | None = None,
        head: str | None = None,
        head_paths: Any = None,
    ) -> None:
        """``launch(theme=..., css=..., css_paths=..., js=..., head=..., head_paths=...)``
        (where Gradio 6 takes them): the same effect as the constructor's arguments."""
        if theme is not None:
            self.theme = check_theme(theme)
        if css is not None and not isinstance(css, str):
            raise TypeError(f"css must be a string, not {css!r}")
        self.css += (css or "") + arguments.read_css(css_paths)
        self.full_page.add(js, head, head_paths)


def _output_slots(states: StateSlots, shown: Sequence[Component]) -> tuple[Component | State, ...]:
    if not states.outputs:
        return tuple(shown)
    rest = iter(shown)
    return tuple(next(rest) if slot is None else slot for slot in states.outputs)
