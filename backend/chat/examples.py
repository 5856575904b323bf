"""Examples shown before the first message, and their cached answers.

Cached answers live in ``.chatbubble/cached_examples/<key>.json`` next to the app's source file.
The key hashes the chat function's source and the examples, so a changed function or a changed
example list starts a fresh cache, while a restart of the same app reuses it.

An example whose text is an ``i18n("key")`` (``components/i18n.py``) reads differently to each
visitor, so it is never cached: it runs the chat function with the text the visitor saw.
"""

from __future__ import annotations

import asyncio
import hashlib
import inspect
import json
import logging
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from ..components.chatbot import image_source
from ..components.i18n import translated
from ..components.inputs import InputComponent
from ..errors import InvalidInputError
from .answers import Part
from .replies import PartMaker, ReplyError, cacheable, is_text
from .run import NOTHING, ChatFn, ChatRun
from .states import StateSlots

#: A cached answer: its text, or its parts (thoughts, options, several messages).
Answer = str | list[Part]

log = logging.getLogger("backend.examples")


@dataclass(frozen=True)
class Example:
    text: str
    label: str | None
    icon: str | Path | None
    #: Files sent with the example (``multimodal=True``), resolved when the app is built.
    files: tuple[Path, ...] = ()
    #: Values of the additional inputs (examples given as lists), else None.
    inputs: tuple[Any, ...] | None = None


class ExampleError(Exception):
    """An example's answer could not be computed; the message names the example."""


def normalize_examples(
    examples: Any,
    labels: Any,
    icons: Any,
    multimodal: bool = False,
    inputs: Sequence[InputComponent] = (),
) -> tuple[Example, ...]:
    """Gradio's ``examples``, ``example_labels`` and ``example_icons``, checked; with
    ``multimodal``, examples may be ``{"text": ..., "files": [paths]}``; with additional
    ``inputs``, lists ``[message, *input values]`` (values left out take the inputs' defaults,
    as in Gradio)."""
    if examples is None:
        if labels is not None or icons is not None:
            raise ValueError("example_labels and example_icons need examples")
        return ()
    if not isinstance(examples, (list, tuple)):
        raise TypeError(f"examples must be a list, not {type(examples).__name__}")
    texts = []
    all_files: list[tuple[Path, ...]] = []
    all_inputs: list[tuple[Any, ...] | None] = []
    for index, example in enumerate(examples):
        where = f"examples[{index}]"
        files: tuple[Path, ...] = ()
        values: tuple[Any, ...] | None = None
        if isinstance(example, (list, tuple)):
            if not 1 <= len(example) <= 1 + len(inputs):
                raise ValueError(
                    f"{where} has {len(example)} items; with {len(inputs)} additional "
                    f"input(s) each example is [message, up to {len(inputs)} value(s)]"
                )
            # As Gradio: the inputs an example leaves out keep their default values.
            given = list(example[1:])
            values = tuple(
                _example_input(component, given[i], f"{where}[{i + 1}]")
                if i < len(given)
                else component.value
                for i, component in enumerate(inputs)
            )
            values = values if inputs else None
            example = example[0]
        if isinstance(example, dict):
            if set(example) - {"text", "files"}:
                raise ValueError(f"{where} may only have the keys 'text' and 'files'")
            if example.get("files"):
                if not multimodal:
                    raise ValueError(
                        f"{where} has files: examples with files need multimodal=True"
                    )
                files = _example_files(where, example["files"])
            example = example.get("text", "")
        if not isinstance(example, str) or not (example.strip() or files):
            raise TypeError(f"{where} must be a non-empty string or a dict with 'text'")
        texts.append(example)
        all_files.append(files)
        all_inputs.append(values)
    label_list = _parallel("example_labels", labels, len(texts))
    icon_list = _parallel("example_icons", icons, len(texts))
    result = []
    for index, text in enumerate(texts):
        label = label_list[index]
        if label is not None and not isinstance(label, str):
            raise TypeError(f"example_labels[{index}] must be a string")
        icon = image_source("ChatInterface()", f"example_icons[{index}]", icon_list[index])
        result.append(Example(text, label, icon, all_files[index], all_inputs[index]))
    return tuple(result)


def _example_input(component: InputComponent, value: Any, where: str) -> Any:
    try:
        return component.check(value, where)
    except InvalidInputError as error:
        raise ValueError(f"examples: {error.message}") from None


def _example_files(where: str, files: Any) -> tuple[Path, ...]:
    if isinstance(files, (str, Path)) or not isinstance(files, (list, tuple)):
        raise TypeError(f"{where}: 'files' must be a list of file paths")
    paths = []
    for file in files:
        if not isinstance(file, (str, Path)) or str(file).startswith(("http://", "https://")):
            raise TypeError(f"{where}: 'files' must be local file paths, not {file!r}")
        path = Path(file)
        if not path.is_file():
            raise ValueError(f"{where}: no such file {str(file)!r}")
        paths.append(path.resolve())
    return tuple(paths)


def example_message(example: Example, multimodal: bool) -> Any:
    """The ``message`` the chat function gets for ``example``."""
    if not multimodal:
        return example.text
    return {"text": example.text, "files": [str(path) for path in example.files]}


def _parallel(name: str, values: Any, count: int) -> Sequence[Any]:
    if values is None:
        return [None] * count
    if not isinstance(values, (list, tuple)):
        raise TypeError(f"{name} must be a list, not {type(values).__name__}")
    if len(values) != count:
        raise ValueError(f"{name} has {len(values)} items but examples has {count}")
    return values


async def final_reply(
    fn: ChatFn, message: Any, executor: Executor, inputs: Sequence[Any] = ()
) -> Answer:
    """Run ``fn(message, [], *inputs)`` to the end and return the answer (text, or parts
    without files: files expire, a cached answer does not)."""
    run = ChatRun(fn, (message, [], *inputs), executor)
    run.start()
    last: Any = None
    try:
        while True:
            await run.wait(3600)
            value, finished, error = run.take()
            if value is not NOTHING:
                last = value
            if error is not None:
                raise error
            if finished:
                parts = await PartMaker(None, "").parts(last)
                if is_text(parts):
                    return str(parts[0]["text"])
                if not cacheable(parts):
                    raise ReplyError("an answer with files cannot be cached")
                return parts
    finally:
        run.cancel()


class ExampleCache:
    """Answers to the examples, on disk next to the app, keyed by function and examples."""

    def __init__(
        self,
        fn: ChatFn,
        examples: Sequence[Example],
        directory: Path | None = None,
        multimodal: bool = False,
        defaults: Sequence[Any] = (),
        states: StateSlots | None = None,
    ):
        self._fn = fn
        self._states = states or StateSlots()
        self._examples = examples
        self._multimodal = multimodal
        self._defaults = tuple(defaults)
        self._answers: dict[int, Answer] = {}
        #: The examples in the visitor's language: never cached.
        self._translated = {i for i, example in enumerate(examples) if translated(example.text)}
        self.path = (
            (directory or _app_dir(fn))
            / ".chatbubble"
            / "cached_examples"
            / (_cache_key(fn, examples) + ".json")
        )
        self._load()

    def get(self, index: int) -> Answer | None:
        return None if index in self._translated else self._answers.get(index)

    @property
    def complete(self) -> bool:
        return len(self._answers) + len(self._translated) >= len(self._examples)

    def store(self, index: int, answer: Answer) -> None:
        if index in self._translated:
            return
        self._answers[index] = answer
        self._save()

    async def fill(self, executor: Executor, progress: TextIO | None = None) -> None:
        """Compute every missing answer (eager mode), drawing a progress bar on ``progress``."""
        total = len(self._examples)
        for index, example in enumerate(self._examples):
            if progress is not None:
                _draw(progress, index, total, example.text)
            if index in self._answers or index in self._translated:
                continue
            try:
                message = example_message(example, self._multimodal)
                values = example.inputs if example.inputs is not None else self._defaults
                values = self._states.arrange(values, self._states.initial())
                answer = await final_reply(self._fn, message, executor, values)
            except asyncio.CancelledError:
                raise
            except BaseException as error:  # noqa: BLE001 - the operator's function
                raise ExampleError(
                    f"caching example {index} ({example.text!r}) failed: "
                    f"{type(error).__name__}: {error}"
                ) from error
            self._answers[index] = answer
            self._save()
        if progress is not None:
            _draw(progress, total, total, "done")
            if progress.isatty():
                progress.write("\n")

    def fill_now(self) -> None:
        """``fill`` from synchronous code, with the progress bar on stderr."""
        with ThreadPoolExecutor(4, thread_name_prefix="chatbubble-cache") as pool:
            asyncio.run(self.fill(pool, sys.stderr))

    def _load(self) -> None:
        try:
            data = json.loads(self.path.read_text("utf-8"))
            answers = data["answers"]
            self._answers = {
                int(k): v for k, v in answers.items() if isinstance(v, (str, list)) and k.isdigit()
            }
        except FileNotFoundError:
            pass
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            log.warning("ignoring the unreadable example cache %s", self.path)

    def _save(self) -> None:
        data = {"version": 1, "examples": [e.text for e in self._examples]}
        data["answers"] = {str(k): v for k, v in sorted(self._answers.items())}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                json.dump(data, file, ensure_ascii=False, indent=1)
            os.replace(temp, self.path)
        except OSError as error:
            log.warning("cannot write the example cache %s: %s", self.path, error.strerror)


def _app_dir(fn: Callable[..., Any]) -> Path:
    try:
        source = inspect.getsourcefile(inspect.unwrap(fn))
    except TypeError:
        source = None
    return Path(source).resolve().parent if source else Path.cwd()


def _cache_key(fn: Callable[..., Any], examples: Sequence[Example]) -> str:
    digest = hashlib.sha256()
    digest.update(getattr(fn, "__qualname__", type(fn).__qualname__).encode())
    try:
        digest.update(inspect.getsource(fn).encode())
    except (OSError, TypeError):
        digest.update(repr(fn).encode())
    digest.update(json.dumps([e.text for e in examples]).encode())
    digest.update(repr([e.inputs for e in examples]).encode())
    return digest.hexdigest()[:24]


def _draw(stream: TextIO, done: int, total: int, text: str) -> None:
    width = 24
    filled = width * done // max(total, 1)
    bar = "#" * filled + "-" * (width - filled)
    shown = text if len(text) <= 40 else text[:39] + "…"
    line = f"Caching examples [{bar}] {done}/{total} {shown}"
    if stream.isatty():
        stream.write("\r\x1b[2K" + line)
    else:
        stream.write(line + "\n")
    stream.flush()


def chatbot_examples(
    examples: Sequence[dict[str, Any]],
) -> tuple[list[Any], Any, list[Any]]:
    """Gradio 6's ``Chatbot(examples=[{"text", "files", "icon", "display_text"}])`` as
    ChatInterface's ``examples``, ``example_labels`` and ``example_icons``."""
    messages: list[Any] = [
        {"text": e.get("text") or "", "files": e["files"]} if e.get("files") else e.get("text")
        for e in examples
    ]
    labels = [e.get("display_text") for e in examples]
    icons = [e.get("icon") for e in examples]
    return messages, labels, icons
