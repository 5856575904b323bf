"""Components a chat function can return, as in Gradio: ``Image``, ``Audio``, ``Video``,
``File``, ``Gallery``, ``HTML`` and ``Plot``; and, as additional outputs, ``Code``,
``Markdown`` and ``JSON`` too.

They only hold what the function gave them; :mod:`backend.chat.replies` turns them into the parts
of an answer (files stored under random ids, see :mod:`backend.files.store`). Display arguments
that Gradio's components take (``label``, ``height``, ``show_label``, ...) are accepted and kept;
the widget sizes media to the bubble.
"""

from __future__ import annotations

from typing import Any

from .blocks import Renderable


class Component(Renderable):
    """Base of the components an answer can hold."""

    #: The part this component becomes (file kinds, "gallery", "html").
    kind = "file"

    def __init__(
        self, value: Any = None, *, label: str | None = None, render: bool = True, **props: Any
    ) -> None:
        self.value = value
        self.label = label
        self.props = props
        super().__init__(render=render)

    def __repr__(self) -> str:
        return f"gr.{type(self).__name__}({self.value!r})"


class Image(Component):
    """An image: a file path, an http(s) URL, PNG/JPEG/... bytes, a PIL image or a numpy
    array (height x width, or x 3/4 channels; floats are read as 0-1).

    Example::

        def fn(message, history):
            return gr.Image("cat.png", alt_text="A cat")
    """

    kind = "image"

    def __init__(
        self, value: Any = None, *, alt_text: str | None = None, label: str | None = None,
        **props: Any,
    ) -> None:  # fmt: skip
        self.alt_text = alt_text
        super().__init__(value, label=label, **props)


class Audio(Component):
    """Audio: a file path, an http(s) URL, encoded bytes, or ``(sample_rate, samples)`` with
    samples a numpy array (mono, or samples x channels)."""

    kind = "audio"


class Video(Component):
    """A video: a file path, an http(s) URL or encoded bytes."""

    kind = "video"


class File(Component):
    """A file to download: a path, an http(s) URL, or a list of them (several files)."""

    kind = "file"


class Gallery(Component):
    """Images (or videos) shown as a grid with a viewer: a list of anything ``Image`` takes,
    or of ``(image, caption)`` pairs."""

    kind = "gallery"


class HTML(Component):
    """HTML shown in the bubble, sanitized by the widget (no scripts, no styles, no frames)."""

    kind = "html"


class Plot(Component):
    """A plot: a matplotlib figure, rendered to a PNG image on the server."""

    kind = "plot"


class Markdown(Component):
    """Markdown text: on a Blocks page, or as an additional output."""

    kind = "markdown"


class Code(Component):
    """Code with syntax highlighting (an additional output, shown beside the chat).

    Example::

        gr.ChatInterface(fn, additional_outputs=[gr.Code(language="python")])
    """

    kind = "code"

    def __init__(
        self, value: str | None = None, language: str | None = None, **props: Any
    ) -> None:
        self.language = language
        super().__init__(value, **props)


class JSON(Component):
    """Any JSON value, shown as formatted JSON (an additional output)."""

    kind = "json"
