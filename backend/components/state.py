"""``gr.State``: a value kept on the server for one conversation, never sent to the browser.

Put it in ``additional_inputs`` to receive its value, and the same object in
``additional_outputs`` to set it: what the function returns for it comes back on the next call
of that conversation. Each conversation starts with a deep copy of ``value`` (or what ``value()``
returns, when it is callable). The values themselves are kept by ``chat/states.py``.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable
from typing import Any

from .blocks import Renderable


class State(Renderable):
    """A value per conversation, kept by the server, as Gradio's ``gr.State``.

    Arguments:
        value: the initial value, deep-copied for each conversation; a callable is called
            instead, once per conversation.
        time_to_live: seconds a conversation's value lives after it was last set; after that
            the conversation starts again from ``value``. None: as long as the server keeps
            the conversation (see docs/protocol.md).
        delete_callback: called with a value the server lets go of (expired or dropped).

    Example::

        turns = gr.State(0)

        def count(message, history, n):
            return f"Turn {n + 1}", n + 1

        gr.ChatInterface(count, additional_inputs=[turns], additional_outputs=[turns])
    """

    def __init__(
        self,
        value: Any = None,
        render: bool = True,
        *,
        time_to_live: float | None = None,
        delete_callback: Callable[[Any], None] | None = None,
    ) -> None:
        if time_to_live is not None and (
            isinstance(time_to_live, bool)
            or not isinstance(time_to_live, (int, float))
            or not math.isfinite(time_to_live)
            or time_to_live <= 0
        ):
            raise ValueError(
                f"time_to_live must be a positive number of seconds, not {time_to_live!r}"
            )
        if delete_callback is not None and not callable(delete_callback):
            raise TypeError(f"delete_callback must be a function, not {delete_callback!r}")
        self.value = value
        self.time_to_live = time_to_live
        self.delete_callback = delete_callback
        super().__init__(render=render)

    def initial(self) -> Any:
        """A fresh value for a new conversation."""
        if callable(self.value):
            return self.value()
        return copy.deepcopy(self.value)

    def __repr__(self) -> str:
        return f"gr.State({self.value!r})"
