"""``Blocks``, ``Row``, ``Column``, ``Group``, ``Accordion``: Gradio's layout, for what a chat
bubble shows.

Components created inside ``with gr.Blocks():`` (unless ``render=False``) or placed later with
``.render()`` are laid out in order: everything before the ``ChatInterface`` goes above the
conversation, everything after it below, stacked vertically (rows become stacks in a narrow
panel). Event listeners (``.click()``, ``.change()``, ...) belong to Gradio pages, not to a
chat bubble, and raise a clear error.
"""

from __future__ import annotations

from typing import Any

from .themes.base import Base
from .themes.choice import check_theme

_open: list[Container] = []

EVENTS = frozenset(
    {
        "click", "change", "submit", "input", "select", "upload", "clear", "blur", "focus",
        "release", "stream", "like", "retry", "undo", "edit", "load", "then", "success",
    }
)  # fmt: skip


class Renderable:
    """Anything a Blocks layout can hold."""

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
        if name in EVENTS:
            raise TypeError(
                f"{type(self).__name__}.{name}(): event listeners are not supported; "
                "chatbubble serves a ChatInterface (use additional_inputs/additional_outputs)"
            )
        raise AttributeError(name)


class Hosted:
    """What a layout holds besides components: the chat it serves. ``ChatInterface`` is one;
    this module finds it by this class, so that the layout does not import the chat."""


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
