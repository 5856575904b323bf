"""The content of a history message: one value that reads both as the guide shows it and as
Gradio 6.31 passes it in the browser.

The guide (our spec) gives a message's content as a plain string, and a file as the
one-element tuple ``(path,)``, one message per file. Gradio 6.31's browser path gives every
message's content as a list of typed parts: ``[{"type": "text", "text": ...}]``, and for a
file ``[{"type": "file", "file": {"path", "url", "size", "orig_name", "mime_type",
"is_stream", "meta"}, "alt_text": None}]``. Apps written either way run here, with no switch:

:class:`Text` is a ``str`` (every string method, ``json.dumps``, the ``openai`` package,
f-strings, ``isinstance(x, str)`` and ``hash`` work exactly as on the plain string) that also
reads as its one text part:

- iterating it (``for part in content``, ``list(content)``, ``reversed(content)``) yields one
  part ``{"type": "text", "text": <the plain string>}``, so Gradio 6's
  ``"".join(p["text"] for p in m["content"] if p["type"] == "text")`` works. The price: code
  that walks a message's characters one by one (``for ch in content``, ``"".join(content)``,
  ``set(content)``) gets the part instead; ``str(content)`` is the plain string for that.
- ``content[0]`` and ``content[-1]`` are that part (``m["content"][0]["text"]``); any other
  integer index and every slice are the string's (``content[1]``, ``content[:40]``: plain
  ``str``). A guide-style ``content[0] == "/"`` therefore needs ``content[:1]`` or
  ``content.startswith("/")``.
- ``len(content)`` is the string's length (a parts list would say 1): lengths are used for
  limits and truncation far more than for counting parts.
- ``content == "hi"`` and ``content == [{"type": "text", "text": "hi"}]`` both hold;
  ``x in content`` is a substring test, and also true for the part itself.

:class:`FileContent` is the guide's one-element tuple (``isinstance(content, tuple)``,
``content[0]`` the path, ``open(content[0])``, ``json.dumps`` as ``["<path>"]``). Its one item,
a :class:`FilePart`, is the path as a ``str`` that also answers as Gradio 6's file part:
``part["type"] == "file"``, ``part["file"]["path"]`` (with ``url``, ``size``, ``orig_name``,
``mime_type``, ``is_stream``, ``meta``), ``part["alt_text"]``, ``part.get(...)``, ``keys()``,
``items()``; ``"file" in part`` is true and ``"text" in part`` false (a kind check), any other
``x in part`` is a substring test of the path. Integer indexes and slices of a ``FilePart`` are
the path string's.

All three survive ``copy.deepcopy`` and ``pickle`` as themselves, and a JSON round trip as the
plain string and list. Nothing in the backend walks them character by character: it uses
``str(...)`` where it needs the plain value.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, SupportsIndex, overload

TEXT = "text"
FILE = "file"


class Text(str):
    """A message's text, also readable as Gradio 6's ``[{"type": "text", "text": ...}]``."""

    __slots__ = ()

    def part(self) -> dict[str, Any]:
        """The Gradio 6 part: a fresh dict each time (the app may change it)."""
        return {"type": TEXT, "text": str(self)}

    def parts(self) -> list[dict[str, Any]]:
        return [self.part()]

    def __iter__(self) -> Iterator[dict[str, Any]]:  # type: ignore[override]
        yield self.part()

    def __reversed__(self) -> Iterator[dict[str, Any]]:  # type: ignore[override]
        yield self.part()

    @overload
    def __getitem__(self, key: SupportsIndex) -> Any: ...
    @overload
    def __getitem__(self, key: slice) -> str: ...

    def __getitem__(self, key: SupportsIndex | slice) -> Any:
        if not isinstance(key, slice) and key.__index__() in (0, -1):
            return self.part()
        return str.__getitem__(self, key)

    def __contains__(self, item: object) -> bool:
        if isinstance(item, str):
            return str.__contains__(self, item)
        return item == self.part()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, list):
            return other == self.parts()
        return str.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = str.__hash__


class FilePart(str):
    """A file's path, also readable as Gradio 6's ``{"type": "file", "file": {...}}`` part."""

    file: dict[str, Any]

    def __new__(
        cls,
        path: str,
        *,
        name: str | None = None,
        size: int | None = None,
        mime: str | None = None,
        url: str | None = None,
    ) -> FilePart:
        self = super().__new__(cls, path)
        self.file = {
            "path": str(path),
            "url": url,
            "size": size,
            "orig_name": name,
            "mime_type": mime,
            "is_stream": False,
            "meta": {"_type": "gradio.FileData"},
        }
        return self

    def _part(self) -> dict[str, Any]:
        data = {**self.file, "meta": dict(self.file["meta"])}
        return {"type": FILE, "file": data, "alt_text": None}

    @overload
    def __getitem__(self, key: str) -> Any: ...
    @overload
    def __getitem__(self, key: SupportsIndex | slice) -> str: ...

    def __getitem__(self, key: str | SupportsIndex | slice) -> Any:
        if isinstance(key, str):
            return self._part()[key]
        return str.__getitem__(self, key)

    def get(self, key: str, default: Any = None) -> Any:
        return self._part().get(key, default)

    def keys(self) -> Any:
        return self._part().keys()

    def values(self) -> Any:
        return self._part().values()

    def items(self) -> Any:
        return self._part().items()

    def __contains__(self, item: object) -> bool:
        if item in self._part():
            return True
        if item == TEXT or not isinstance(item, str):
            return False
        return str.__contains__(self, item)

    def __reduce__(self) -> tuple[Any, ...]:
        data = self.file
        return (
            _file_part,
            (str(self), data["orig_name"], data["size"], data["mime_type"], data["url"]),
        )


def _file_part(
    path: str, name: str | None, size: int | None, mime: str | None, url: str | None
) -> FilePart:
    return FilePart(path, name=name, size=size, mime=mime, url=url)


class FileContent(tuple[FilePart]):
    """A file message's content: the guide's ``(path,)``, its item a :class:`FilePart`."""

    __slots__ = ()

    def __new__(cls, part: FilePart) -> FileContent:
        return super().__new__(cls, (part,))

    def __getnewargs__(self) -> tuple[FilePart]:
        return (self[0],)


def text_content(text: str) -> Text:
    return Text(text)


def file_content(
    path: str,
    *,
    name: str | None = None,
    size: int | None = None,
    mime: str | None = None,
    url: str | None = None,
) -> FileContent:
    return FileContent(FilePart(path, name=name, size=size, mime=mime, url=url))
