"""The checks and normalizers behind ``ChatInterface``'s arguments (``interface.py``): each
takes an argument as the operator passed it and returns what the interface keeps, or raises
the ``TypeError``/``ValueError`` that says what is wrong with it."""

from __future__ import annotations

import inspect
import re
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..components import blocks
from ..components.chatbot import Textbox
from ..components.media import Component
from .examples import ExampleCache
from .request import inject
from .run import ChatFn
from .states import StateSlots

#: ChatInterface arguments Gradio 4 and 5 had and Gradio 6 removed (it refuses them): accepted
#: here with one warning each, so older apps run unchanged; what the bubble does instead.
REMOVED_IN_GRADIO_6 = {
    "retry_btn": "the bubble offers Retry on the last answer",
    "undo_btn": "the bubble offers Undo on the last answer",
    "clear_btn": "the bubble's menu starts a new chat",
    "show_api": "use api_visibility (show_api=False is taken as api_visibility='undocumented')",
}

#: ``show_progress``: what an answer shows before its first words.
PROGRESS = ("full", "minimal", "hidden")

#: The components ``additional_outputs`` may hold (the widget shows them beside the chat).
OUTPUT_KINDS = ("code", "markdown", "json", "image", "html")


def unexpected(where: str, name: str) -> TypeError:
    return TypeError(f"{where} got an unexpected keyword argument {name!r}")


def removed(given: dict[str, Any], visibility: str) -> str:
    """Warns once for each argument of ``REMOVED_IN_GRADIO_6`` in ``given`` (called by
    ``ChatInterface.__init__``: the warning points at the operator's line) and returns the
    endpoint's visibility, ``show_api=False`` mapped onto it."""
    for name, value in given.items():
        warnings.warn(
            f"ChatInterface({name}=...) was removed in Gradio 6; {REMOVED_IN_GRADIO_6[name]}",
            UserWarning,
            stacklevel=3,
        )
        if name == "show_api" and value is False and visibility == "public":
            visibility = "undocumented"
    return visibility


def history_type(where: str, value: Any) -> None:
    """``type``: ``"messages"``, or Gradio 4's ``"tuples"`` (removed in Gradio 6: accepted with
    a warning pointing at the operator's line, called by ``ChatInterface.__init__``)."""
    if value == "tuples":
        warnings.warn(
            f"{where}: type='tuples' was removed in Gradio 6; the chat function receives "
            "history as [user, bot] pairs, as in Gradio 4",
            UserWarning,
            stacklevel=3,
        )
    elif value != "messages":
        raise ValueError(f"type must be 'messages', not {value!r}")


def flag(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, not {value!r}")
    return value


def optional_text(name: str, value: Any) -> str | None:
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{name} must be a string, not {value!r}")
    return value


def buttons(submit_btn: Any, stop_btn: Any) -> dict[str, Any]:
    """The composer's buttons (``Textbox``'s arguments) from ChatInterface's; ``None`` is no
    button, as ``False``."""
    return {
        "submit_btn": False if submit_btn is None else submit_btn,
        "stop_btn": False if stop_btn is None else stop_btn,
    }


def textbox_conflicts(textbox: Textbox, chosen: dict[str, Any]) -> None:
    """Warns, as Gradio does, when ChatInterface's button arguments differ from those of the
    ``textbox`` the operator passed: the textbox's own win."""
    conflicts = [
        name
        for name, value in chosen.items()
        if value is not True and value != getattr(textbox, name)
    ]
    if conflicts:
        names = ", ".join(f"`{name}`" for name in conflicts)
        warnings.warn(
            f"ChatInterface({names}) is ignored: a custom textbox was passed; set them on it "
            "instead, e.g. textbox=gr.Textbox(..., submit_btn='Send')",
            UserWarning,
            stacklevel=3,
        )


def show_progress(value: Any) -> str:
    if value not in PROGRESS:
        raise ValueError(f"show_progress must be 'full', 'minimal' or 'hidden', not {value!r}")
    return str(value)


def concurrency_limit(value: Any, name: str = "concurrency_limit") -> int | str | None:
    """An int of at least 1, ``None`` (no limit), or for ``concurrency_limit`` ``"default"``."""
    if value is None or (value == "default" and name == "concurrency_limit"):
        return None if value is None else "default"
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        also = ", None or 'default'" if name == "concurrency_limit" else " or None"
        raise ValueError(f"{name} must be an int of at least 1{also}, not {value!r}")
    return int(value)


def max_size(value: Any) -> int | None:
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
        raise ValueError(f"max_size must be an int of at least 0 or None, not {value!r}")
    return None if value is None else int(value)


def update_rate(value: Any) -> float | str:
    if value == "auto":
        return "auto"
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value <= 3600:
        return float(value)
    raise ValueError(f"status_update_rate must be 'auto' or seconds (0 to 3600), not {value!r}")


def example_cache(
    fn: ChatFn,
    examples: Sequence[Any],
    cache_examples: Any,
    cache_mode: Any,
    multimodal: bool,
    defaults: Sequence[Any] = (),
    states: StateSlots | None = None,
) -> ExampleCache | None:
    if cache_examples not in (None, True, False):
        raise TypeError(f"cache_examples must be True or False, not {cache_examples!r}")
    if cache_mode not in (None, "eager", "lazy"):
        raise ValueError(f"cache_mode must be 'eager' or 'lazy', not {cache_mode!r}")
    if not cache_examples:
        return None
    if not examples:
        raise ValueError("cache_examples=True needs examples")
    return ExampleCache(fn, examples, multimodal=multimodal, defaults=defaults, states=states)


def outputs(value: Any) -> tuple[Component, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, (list, tuple)) else [value]
    for index, item in enumerate(items):
        if not isinstance(item, Component) or item.kind not in OUTPUT_KINDS:
            raise TypeError(
                f"additional_outputs[{index}] must be a gr.Code, gr.Markdown, gr.JSON, "
                f"gr.Image or gr.HTML, not {item!r}"
            )
    return tuple(items)


def accordion(value: Any) -> blocks.Accordion:
    if value is None:
        return blocks.Accordion("Additional Inputs", open=False, render=False)
    if isinstance(value, str):
        return blocks.Accordion(value, open=False, render=False)
    if isinstance(value, blocks.Accordion):
        value.unrender()
        return value
    raise TypeError("additional_inputs_accordion must be a string or a gr.Accordion")


def delete_cache(value: Any) -> tuple[float, float] | None:
    if value is None:
        return None
    if (
        not isinstance(value, (tuple, list))
        or len(value) != 2
        or not all(
            isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0 for v in value
        )
    ):
        raise ValueError("delete_cache must be (frequency, age): two positive numbers of seconds")
    return float(value[0]), float(value[1])


def flagging_options(options: Any) -> tuple[str, ...]:
    if options is None:
        return ("Like", "Dislike")
    if isinstance(options, str) or not isinstance(options, (list, tuple)):
        raise TypeError("flagging_options must be a list of strings")
    if not options or len(options) > 20:
        raise ValueError("flagging_options must have 1 to 20 options")
    for option in options:
        if not isinstance(option, str) or not option.strip() or len(option) > 100:
            raise ValueError(
                f"flagging_options: {option!r} must be a string of 1 to 100 characters"
            )
    if len(set(options)) != len(options):
        raise ValueError("flagging_options must not repeat an option")
    return tuple(options)


def read_css(css_paths: Any) -> str:
    if css_paths is None:
        return ""
    paths = [css_paths] if isinstance(css_paths, (str, Path)) else list(css_paths)
    parts = []
    for path in paths:
        try:
            parts.append("\n" + Path(path).read_text("utf-8"))
        except OSError as error:
            raise ValueError(f"css_paths: cannot read {str(path)!r}: {error.strerror}") from None
    return "".join(parts)


def check_arity(fn: Callable[..., Any], inputs: int = 0) -> None:
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):
        return  # builtins and some callables have no signature: trust them
    args, kwargs = inject(fn, ("message", [], *([None] * inputs)), None)
    try:
        signature.bind(*args, **kwargs)
    except TypeError:
        extra = f" and {inputs} additional input(s)" if inputs else ""
        raise TypeError(
            f"fn must accept (message, history){extra}; {signature} does not"
        ) from None


#: ``api_visibility``'s values, as in Gradio 6.
API_VISIBILITIES = ("public", "private", "undocumented")


def api_name(value: Any, fn: Callable[..., Any]) -> str:
    """The endpoint's name in Gradio's protocol: ``api_name``, else the chat function's
    ``__name__`` (as Gradio 6), reduced to letters, digits, ``_`` and ``-``."""
    if value is not None and not isinstance(value, str):
        raise TypeError(f"api_name must be a string, not {value!r}")
    raw = value if value is not None else getattr(fn, "__name__", "") or ""
    name = re.sub(r"[^A-Za-z0-9_-]+", "_", raw.strip().lstrip("/")).strip("_")
    if value is not None and not name:
        raise ValueError(f"api_name must contain a letter or digit, not {value!r}")
    return name or "chat"


def api_description(value: Any, fn: Callable[..., Any]) -> str:
    """The endpoint's description: ``api_description``, else the summary of the chat
    function's docstring (up to its first blank line); ``False`` for none."""
    if value is False:
        return ""
    if value is not None and not isinstance(value, str):
        raise TypeError(f"api_description must be a string or False, not {value!r}")
    if value is not None:
        return value
    doc = inspect.getdoc(fn) or ""
    return doc.split("\n\n", 1)[0].strip()


def api_visibility(value: Any) -> str:
    if value not in API_VISIBILITIES:
        raise ValueError(
            f"api_visibility must be 'public', 'private' or 'undocumented', not {value!r}"
        )
    return str(value)
