"""``Blocks``, ``Row``, ``Column``, ``Group``, ``Accordion``: Gradio's layout, for what a chat
bubble shows.

Components created inside ``with gr.Blocks():`` (unless ``render=False``) or placed later with
``.render()`` are laid out in order: everything before the ``ChatInterface`` goes above the
conversation, everything after it below, stacked vertically (rows become stacks in a narrow
panel). Event listeners (``.click()``, ``.change()``, ``demo.load()``, ...) are recorded by
``components/events.py`` and run on the server when the widget calls them.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from . import events
from .themes.base import Base
from .themes.choice import check_theme

_open: list[Container] = []

# The Chatbot's own listeners (another module's), refused here.
CHATBOT_EVENTS = frozenset({"like", "retry", "undo", "edit"})


class Listener:
    """``component.click`` and the like: call it as Gradio's listener
    (``fn, inputs, outputs, **options``), or pass it to ``gr.on``."""

    def __init__(self, block: Any, name: str) -> None:
        self.block = block
        self.name = name

    def __call__(
        self, fn: Any = "decorator", inputs: Any = None, outputs: Any = None, **options: Any
    ) -> Any:
        return events.listen(owner(), ((self.block, self.name),), fn, inputs, outputs, options)


def owner() -> Blocks | None:
    """The innermost open ``Blocks`` (where a listener made now belongs)."""
    return next((c for c in reversed(_open) if isinstance(c, Blocks)), None)


def on(
    triggers: Any = None, fn: Any = "decorator", inputs: Any = None, outputs: Any = None,
    **options: Any,
) -> Any:  # fmt: skip
    """Gradio's ``gr.on([button.click, textbox.submit], fn, inputs, outputs)``; without
    triggers, ``fn`` runs when any of its inputs changes."""
    if triggers is None:
        found = inputs if isinstance(inputs, (list, tuple, set)) else [inputs]
        pairs = tuple((item, "change") for item in found if item is not None)
    else:
        items = triggers if isinstance(triggers, (list, tuple)) else [triggers]
        if not all(isinstance(item, Listener) for item in items):
            raise TypeError("gr.on(): triggers must be listeners such as [button.click]")
        pairs = tuple((item.block, item.name) for item in items)
    return events.listen(owner(), pairs, fn, inputs, outputs, options)


class Renderable:
    """Anything a Blocks layout can hold."""

    #: The constructor's arguments the app gave (a component returned by an event function
    #: updates only these, as in Gradio).
    given: frozenset[str] = frozenset()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "__init__" in cls.__dict__:
            cls.__init__ = _recording(cls.__init__)  # type: ignore[method-assign]

    def __init__(self, render: bool = True) -> None:
        self.rendered = False
        if render and _open:
            self.render()

    def render(self) -> Any:
        """Places this component in the innermost open ``Blocks``/``Row``/``Column``."""
        if not _open:
            raise RuntimeError(f"{type(self).__name__}.render() needs an open gr.Blocks()")
        _open[-1].children.append(self)
        self.rendered = True
        return self

    def unrender(self) -> Any:
        for container in _open:
            if self in container.children:
                container.children.remove(self)
        self.rendered = False
        return self

    def __getattr__(self, name: str) -> Any:
        if name in events.TRIGGERS:
            return Listener(self, name)
        if name in CHATBOT_EVENTS:
            raise TypeError(f"{type(self).__name__}.{name}(): this listener is not supported here")
        raise AttributeError(name)


def _recording(init: Callable[..., None]) -> Callable[..., None]:
    """Wraps a constructor so the instance knows which arguments the app gave (the outermost
    constructor's, not those a subclass passes on to its base)."""
    signature = inspect.signature(init)

    @functools.wraps(init)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> None:
        outermost = "given" not in self.__dict__
        if outermost:
            try:
                bound = signature.bind_partial(self, *args, **kwargs).arguments
            except TypeError:
                bound = dict(kwargs)
            names = set(bound) - {"self"}
            for name, parameter in signature.parameters.items():
                if parameter.kind is parameter.VAR_KEYWORD and name in bound:
                    names.discard(name)
                    names.update(bound[name])
            self.__dict__["given"] = frozenset(names)
        init(self, *args, **kwargs)

    return wrapper


class Hosted:
    """What a layout holds besides components: the chat it serves. ``ChatInterface`` is one;
    this module finds it by this class, so that the layout does not import the chat."""

    def render(self) -> Any:
        """Places the chat in the innermost open ``Blocks`` (an interface made outside it, or
        with ``render=False``), moving it from where it was."""
        if not _open:
            raise RuntimeError(f"{type(self).__name__}.render() needs an open gr.Blocks()")
        for blocks in _blocks:
            for container in [blocks, *walk(blocks)]:
                if isinstance(container, Container) and container is not _open[-1]:
                    container.children[:] = [c for c in container.children if c is not self]
        if not any(child is self for child in _open[-1].children):
            _open[-1].children.append(self)
        return self


class Container(Renderable):
    def __init__(self, render: bool = True, **layout: Any) -> None:
        self.children: list[Any] = []
        self.layout = layout
        super().__init__(render=render)

    def __enter__(self) -> Any:
        _open.append(self)
        return self

    def __exit__(self, *exc: object) -> None:
        _open.remove(self)


class Row(Container):
    """Children side by side on a Gradio page; stacked in the bubble's narrow panel."""


class Column(Container):
    """Children one under the other."""


class Group(Container):
    """Children kept together."""


class Accordion(Container):
    """A collapsible section; as ``additional_inputs_accordion`` it names the section that
    holds the additional inputs not placed elsewhere."""

    def __init__(self, label: str | None = None, *, open: bool = True, **layout: Any) -> None:  # noqa: A002
        self.label = label
        self.open = open
        super().__init__(**layout)


class Blocks(Container):
    """The layout around one ``ChatInterface``, as Gradio's ``gr.Blocks``.

    Example::

        with gr.Blocks() as demo:
            system_prompt = gr.Textbox("You are helpful AI.", label="System Prompt")
            slider = gr.Slider(10, 100, render=False)
            gr.ChatInterface(echo, additional_inputs=[system_prompt, slider])
        demo.launch()
    """

    def __init__(
        self, title: str | None = None, *, theme: str | Base | None = None,
        css: str | None = None, **layout: Any,
    ) -> None:  # fmt: skip
        self.title = title
        #: the ChatInterface's theme when it has none of its own
        self.theme = check_theme(theme)
        self.css = css
        super().__init__(render=False, **layout)
        _blocks.append(self)

    @property
    def interface(self) -> Any:
        """The one ChatInterface inside (a ``Hosted``: this module does not know the class)."""
        found = [item for item in walk(self) if isinstance(item, Hosted)]
        if len(found) != 1:
            raise ValueError(
                f"a gr.Blocks served by chatbubble must hold exactly one ChatInterface, "
                f"not {len(found)}"
            )
        return found[0]

    @property
    def app(self) -> Any:
        return self.interface.app

    def load(
        self, fn: Any = "decorator", inputs: Any = None, outputs: Any = None, **options: Any
    ) -> Any:
        """Gradio's ``demo.load(fn, inputs, outputs)``: ``fn`` runs when a visitor first opens
        the chat panel, and its results fill ``outputs``."""
        return events.listen(self, ((self, "load"),), fn, inputs, outputs, options)

    def queue(self, *args: Any, **kwargs: Any) -> Blocks:
        """Gradio's ``demo.queue(...)``, for the ChatInterface inside (see its ``queue``)."""
        self.interface.queue(*args, **kwargs)
        return self

    def launch(self, *args: Any, **kwargs: Any) -> None:
        """Serves the ChatInterface inside, with this layout around it."""
        self.interface.launch(*args, **kwargs)


# Every Blocks created (the loader looks for them).
_blocks: list[Blocks] = []


def walk(container: Container) -> list[Any]:
    """Everything inside ``container``, depth first, in order."""
    out: list[Any] = []
    for child in container.children:
        out.append(child)
        if isinstance(child, Container):
            out.extend(walk(child))
    return out


def place(item: Any) -> None:
    """Puts a non-component (a ChatInterface) in the innermost open container."""
    if _open:
        _open[-1].children.append(item)


def enclosing(item: Any) -> Blocks | None:
    """The Blocks that holds ``item``."""
    for blocks in reversed(_blocks):
        if any(child is item for child in walk(blocks)):
            return blocks
    return None
