"""The file store: uploads and the files answers carry, on disk under random ids.

Layout under ``root`` (shared by every worker process of the app)::

    <id>.json          what the file is: name, size, type, kind, creation time
    <id>/<name>        its bytes, under a cleaned-up copy of the original name
    .partial-<random>  an upload still arriving (removed when it fails or is refused)

Ids are 256-bit random strings (``[A-Za-z0-9_-]{43}``). Nothing a client sends is ever joined
to a path: a string that is not a well-formed id of a live file is simply unknown. Files expire
``retention`` seconds after they were stored (Gradio's ``delete_cache`` idea); expired files
are unknown at once and their bytes are removed by :meth:`FileStore.sweep`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import os
import re
import secrets
import shutil
import tempfile
import time
import unicodedata
from collections.abc import AsyncIterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiofiles
import aiofiles.os

from ..errors import FileTooLargeError, FileTypeNotAllowedError, InvalidRequestError
from .sniff import HEAD_BYTES, INLINE_TYPES, Sniffed, allowed, extension_mismatch, sniff

log = logging.getLogger("backend.files")

FILE_ID = re.compile(r"\A[A-Za-z0-9_-]{43}\Z")
#: The key a browser sends with its uploads and messages (``X-Visitor-Key``), made up by the
#: widget and kept in its storage; its digest binds the files it uploads (``StoredFile.owner``).
VISITOR_KEY = re.compile(r"\A[A-Za-z0-9_-]{22,128}\Z")
VISITOR_KEY_HEADER = "X-Visitor-Key"
OWNER = re.compile(r"\A[0-9a-f]{64}\Z")
ROUTE = "/api/files/"
MAX_NAME_CHARS = 120
# Control characters, bidi overrides and isolates, zero-width characters, and the characters
# that separate paths or are special in shells and headers.
_UNSAFE_NAME = re.compile(
    r'[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff/\\:*?"<>|]'
)


def _stored_owner(owner: Any) -> str | None:
    if owner is None:
        return None
    if not isinstance(owner, str) or not OWNER.match(owner):
        raise ValueError("not an owner digest")
    return owner


def _stored_name(name: Any) -> str:
    """The name in a meta file, which must be one ``clean_name`` made."""
    if not isinstance(name, str) or clean_name(name) != name:
        raise ValueError("not a stored name")
    return name


def new_id() -> str:
    return secrets.token_urlsafe(32)


def clean_name(raw: str, sniffed: Sniffed | None = None) -> str:
    """A display and storage name made from a client's file name: NFC, no control, bidi or
    path characters, no leading dots or spaces, at most 120 characters and 200 bytes, keeping
    the extension. Empty names become ``file`` plus the sniffed type's extension. Cleaning a
    clean name changes nothing."""
    name = _UNSAFE_NAME.sub("_", unicodedata.normalize("NFC", raw))
    stem, dot, extension = name.rpartition(".")
    if not (dot and 0 < len(extension) <= 10 and stem):
        stem, dot, extension = name, "", ""
    stem = _fit(stem, MAX_NAME_CHARS - len(dot + extension), MAX_NAME_BYTES - len(dot + extension))
    name = _trim(stem + dot + extension)
    if not name.strip("._ "):
        name = "file"
    if sniffed is not None and sniffed.extension and "." not in name:
        return clean_name(name + sniffed.extension)
    return name


MAX_NAME_BYTES = 200


def _fit(text: str, chars: int, size: int) -> str:
    text = text[: max(chars, 1)]
    while len(text.encode("utf-8")) > size:
        text = text[:-1]
    return text


def _trim(name: str) -> str:
    while True:
        trimmed = name.strip().lstrip(".").rstrip()
        if trimmed == name:
            return name
        name = trimmed


def owner_of(visitor_key: str | None) -> str | None:
    """What a file's meta keeps of its uploader's visitor key: a digest, never the key."""
    if visitor_key is None:
        return None
    return hashlib.sha256(b"visitor\0" + visitor_key.encode()).hexdigest()


@dataclass(frozen=True)
class StoredFile:
    id: str
    name: str
    size: int
    mime: str
    kind: str
    path: Path
    created: float
    #: Never expires (an operator's example file).
    keep: bool = False
    #: Whose upload it is (:func:`owner_of` the uploader's visitor key); None: anyone who has
    #: the id may send it (uploads without a key, files the chat function returned, examples).
    owner: str | None = None

    def usable_by(self, owner: str | None) -> bool:
        """Whether a message sent with this owner (:func:`owner_of` its key) may name it."""
        return self.owner is None or (owner is not None and hmac.compare_digest(self.owner, owner))

    @property
    def inline(self) -> bool:
        """Shown by the browser itself (raster images, audio, video); all else downloads."""
        return self.mime in INLINE_TYPES

    def part(self, base_url: str, alt: str | None = None) -> dict[str, Any]:
        """The ``file`` part of an answer (see docs/protocol.md)."""
        return {
            "type": "file",
            "kind": self.kind if self.inline or self.kind in ("text", "file") else "file",
            "id": self.id,
            "url": base_url + ROUTE + self.id,
            "name": self.name,
            "size": self.size,
            "mime": self.mime,
            "alt": alt,
        }


class FileStore:
    """Files under ``root``, each known by id until ``retention`` seconds after it was stored."""

    def __init__(self, root: Path, retention: float) -> None:
        self.root = root
        self.retention = retention
        # Files the chat function returned, by source, so a file returned on every turn is
        # stored once (per worker, while it lives).
        self._sources: dict[Any, str] = {}

    def ensure(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)

    # --- lookup -----------------------------------------------------------------------

    def get(self, file_id: str) -> StoredFile | None:
        """The live file with this id; None for anything else (never touches other paths)."""
        if not isinstance(file_id, str) or not FILE_ID.match(file_id):
            return None
        try:
            with open(self.root / f"{file_id}.json", encoding="utf-8") as meta_file:
                meta = json.load(meta_file)
            stored = StoredFile(
                id=file_id,
                name=str(meta["name"]),
                size=int(meta["size"]),
                mime=str(meta["mime"]),
                kind=str(meta["kind"]),
                path=self.root / file_id / _stored_name(meta["name"]),
                created=float(meta["created"]),
                keep=meta.get("keep") is True,
                owner=_stored_owner(meta.get("owner")),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if not stored.keep and self.expired(stored.created):
            self._remove(file_id)
            return None
        if not stored.path.is_file() or stored.path.is_symlink():
            return None
        return stored

    def expired(self, created: float) -> bool:
        return time.time() - created > self.retention

    # --- adding files ---------------------------------------------------------------

    async def receive(
        self,
        body: AsyncIterable[bytes],
        *,
        name: str,
        claimed: str,
        limit: int,
        file_types: tuple[str, ...] | None,
        owner: str | None = None,
    ) -> StoredFile:
        """Streams an upload to disk, refusing it once it passes ``limit`` bytes, then checks
        its content against its name and ``file_types``. Nothing is kept from a refused or
        aborted upload. ``owner`` binds the file to its uploader (see ``StoredFile.owner``)."""
        self.ensure()
        handle, temp_name = tempfile.mkstemp(prefix=".partial-", dir=self.root)
        os.close(handle)
        temp = Path(temp_name)
        try:
            size = 0
            head = b""
            async with aiofiles.open(temp, "wb") as out:
                async for chunk in body:
                    size += len(chunk)
                    if size > limit:
                        raise FileTooLargeError(limit)
                    if len(head) < HEAD_BYTES:
                        head += chunk[: HEAD_BYTES - len(head)]
                    await out.write(chunk)
            if size == 0:
                raise InvalidRequestError("The file is empty.")
            sniffed = sniff(head, claimed, complete=size <= HEAD_BYTES)
            clean = clean_name(name, sniffed)
            mismatch = extension_mismatch(clean, sniffed)
            if mismatch:
                raise FileTypeNotAllowedError(
                    f"The file's content does not match its name ({mismatch})."
                )
            if not allowed(file_types, clean, sniffed):
                accepted = ", ".join(file_types or ())
                raise FileTypeNotAllowedError(
                    f"This kind of file is not accepted here (allowed: {accepted})."
                )
            return self._commit(temp, clean, size, sniffed, owner=owner)
        finally:
            if temp.exists():
                await aiofiles.os.remove(temp)

    def add_path(self, source: Path, name: str | None = None) -> StoredFile:
        """Stores a copy of a file the chat function returned (blocking: call in a thread)."""
        stat = source.stat()
        key = ("path", str(source), stat.st_size, stat.st_mtime_ns, name)
        known = self.known(key)
        if known is not None:
            return known
        self.ensure()
        handle, temp_name = tempfile.mkstemp(prefix=".partial-", dir=self.root)
        os.close(handle)
        temp = Path(temp_name)
        try:
            shutil.copyfile(source, temp)
            with open(temp, "rb") as copied:
                head = copied.read(HEAD_BYTES)
            size = temp.stat().st_size
            sniffed = sniff(head, complete=size <= HEAD_BYTES)
            stored = self._commit(temp, clean_name(name or source.name, sniffed), size, sniffed)
        finally:
            temp.unlink(missing_ok=True)
        self._sources[key] = stored.id
        return stored

    def add_kept(self, source: Path) -> StoredFile:
        """Stores an operator's file (an example's) for as long as the store lives, under an
        id derived from its name and content, so every worker and restart agrees on it."""
        data = source.read_bytes()
        digest = hashlib.sha256(b"kept\0" + source.name.encode() + b"\0" + data).digest()
        file_id = base64.urlsafe_b64encode(digest).decode()[:43]
        existing = self.get(file_id)
        if existing is not None:
            return existing
        return self._store(data, source.name, "", file_id=file_id)

    def add_bytes(self, data: bytes, name: str, claimed: str = "", key: Any = None) -> StoredFile:
        """Stores bytes the chat function produced (an encoded image, a plot, a download)."""
        if key is not None:
            known = self.known(key)
            if known is not None:
                return known
        stored = self._store(data, name, claimed)
        if key is not None:
            self._sources[key] = stored.id
        return stored

    def _store(
        self, data: bytes, name: str, claimed: str, *, file_id: str | None = None
    ) -> StoredFile:
        """Writes ``data`` as a new file (kept for good when ``file_id`` is given)."""
        self.ensure()
        handle, temp_name = tempfile.mkstemp(prefix=".partial-", dir=self.root)
        temp = Path(temp_name)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            sniffed = sniff(data[:HEAD_BYTES], claimed, complete=len(data) <= HEAD_BYTES)
            clean = clean_name(name, sniffed)
            return self._commit(temp, clean, len(data), sniffed, file_id, keep=file_id is not None)
        finally:
            temp.unlink(missing_ok=True)

    def known(self, key: Any) -> StoredFile | None:
        file_id = self._sources.get(key)
        return self.get(file_id) if file_id else None

    def _commit(
        self,
        temp: Path,
        name: str,
        size: int,
        sniffed: Sniffed,
        file_id: str | None = None,
        keep: bool = False,
        owner: str | None = None,
    ) -> StoredFile:
        file_id = file_id or new_id()
        folder = self.root / file_id
        folder.mkdir(mode=0o700, exist_ok=keep)
        target = folder / name
        try:
            os.replace(temp, target)
            os.chmod(target, 0o600)
        except OSError:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        created = time.time()
        meta = {
            "name": name,
            "size": size,
            "mime": sniffed.mime,
            "kind": sniffed.kind,
            "created": created,
            "keep": keep,
            "owner": owner,
        }
        meta_temp = self.root / f".partial-{file_id}.json"
        meta_temp.write_text(json.dumps(meta), encoding="utf-8")
        os.replace(meta_temp, self.root / f"{file_id}.json")
        return StoredFile(
            file_id, name, size, sniffed.mime, sniffed.kind, target, created, keep, owner
        )

    # --- clean-up -------------------------------------------------------------------

    def sweep(self) -> int:
        """Removes expired files (and partial uploads older than the retention); returns how
        many files went."""
        removed = 0
        try:
            entries = list(os.scandir(self.root))
        except FileNotFoundError:
            return 0
        for entry in entries:
            try:
                if entry.name.startswith(".partial-"):
                    if self.expired(entry.stat().st_mtime):
                        os.unlink(entry.path)
                    continue
                if not entry.name.endswith(".json"):
                    continue
                file_id = entry.name[: -len(".json")]
                with open(entry.path, encoding="utf-8") as meta_file:
                    meta = json.load(meta_file)
                expired = meta.get("keep") is not True and self.expired(float(meta["created"]))
                if expired and FILE_ID.match(file_id):
                    self._remove(file_id)
                    removed += 1
            except (OSError, ValueError, KeyError, TypeError):
                continue
        return removed

    def _remove(self, file_id: str) -> None:
        if not FILE_ID.match(file_id):
            return
        shutil.rmtree(self.root / file_id, ignore_errors=True)
        try:
            os.unlink(self.root / f"{file_id}.json")
        except FileNotFoundError:
            pass
