"""Files in Gradio's protocol: ``POST /gradio_api/upload`` (what ``handle_file`` sends, a
multipart form of ``files``) stores each file in our file store under every limit of
``/api/upload``, and hands back a reference that only looks like a path: ``chatbubble/<file
id>/<name>``. A message names files by these references; one this server did not issue is
refused. ``GET /gradio_api/file=<reference>`` serves a file by its id, nothing else."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import IO, Any

from ...errors import InvalidFileError, UnknownFileError
from ...files.store import FileStore, StoredFile

PREFIX = "chatbubble/"
REFERENCE = re.compile(r"\Achatbubble/(?P<id>[A-Za-z0-9_-]{43})(?:/[^/\\\x00]{0,255})?\Z")
CHUNK = 64 * 1024
#: The JSON schema of a file in a message or an output (what ``view_api()`` shows as ``filepath``).
FILE_DATA = {
    "properties": {
        "path": {"title": "Path", "type": "string"},
        "url": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None},
        "size": {"anyOf": [{"type": "integer"}, {"type": "null"}], "default": None},
        "orig_name": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None},
        "mime_type": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None},
        "is_stream": {"default": False, "type": "boolean"},
        "meta": {
            "properties": {"_type": {"const": "gradio.FileData", "type": "string"}},
            "required": ["_type"],
            "type": "object",
        },
    },
    "required": ["path"],
    "title": "FileData",
    "type": "object",
}


def reference(stored: StoredFile) -> str:
    """What the client gets for an upload (and sends back in a message)."""
    return f"{PREFIX}{stored.id}/{stored.name.replace('/', '_')}"


def file_of(ref: str, files: FileStore) -> StoredFile:
    """The live file a reference names; anything else is refused before it nears the disk."""
    match = REFERENCE.match(ref)
    if match is None:
        raise InvalidFileError(
            "Files can only be named by the references this server gave them on upload "
            "(POST /gradio_api/upload)."
        )
    stored = files.get(match["id"])
    if stored is None or not stored.usable_by(None):
        raise UnknownFileError()
    return stored


def file_path(value: Any, where: str) -> str:
    """The reference in one entry of a message's ``files``: a FileData object (``{"path":
    ..., "meta": {"_type": "gradio.FileData"}}``) or the bare reference."""
    if isinstance(value, dict) and isinstance(value.get("path"), str):
        return str(value["path"])
    if isinstance(value, str):
        return value
    raise InvalidFileError(f'{where} must be a file as {{"path": "<reference>", "meta": ...}}.')


async def read_chunks(stream: IO[bytes]) -> AsyncIterator[bytes]:
    """A parsed form file's bytes, in chunks (the form parser spooled it already)."""
    while chunk := stream.read(CHUNK):
        yield chunk
