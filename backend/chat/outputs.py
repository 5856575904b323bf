"""Files a chat function returns, taken into the file store.

Local paths are served only from allowed directories (the working directory, the app's
directory, the system temp dir, the file store and the ``allowed_paths`` setting), never from a
hidden file or folder nor from anything under ``blocked_paths`` (``launch(blocked_paths=...)``,
which wins over every allowed directory), and symlinks are resolved before the check. URLs are
downloaded by the server (the operator chose them; the visitor's browser only ever loads our
own file route).
Images and audio given as arrays, PIL images or matplotlib figures are encoded here.
"""

from __future__ import annotations

import http.client
import io
import struct
import tempfile
import urllib.request
import wave
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from ..files.store import FileStore, StoredFile


class OutputError(TypeError):
    """A returned value cannot become a file; the message is for the operator's log."""


DOWNLOAD_TIMEOUT = 30.0


class Outputs:
    """Turns returned values into stored files (blocking: call from a worker thread)."""

    def __init__(
        self,
        store: FileStore,
        roots: Sequence[Path],
        max_download: int,
        blocked: Sequence[Path] = (),
    ) -> None:
        self.store = store
        self.roots = tuple(dict.fromkeys(root.resolve() for root in (*roots, store.root)))
        self.blocked = tuple(path.resolve() for path in blocked)
        self.max_download = max_download

    @staticmethod
    def default_roots(app_dir: Path | None, extra: Sequence[str]) -> list[Path]:
        roots = [Path.cwd(), Path(tempfile.gettempdir())]
        if app_dir is not None:
            roots.append(app_dir)
        roots.extend(Path(path) for path in extra)
        return roots

    def source(self, value: Any, name: str | None = None, claimed: str = "") -> StoredFile:
        """A path, an http(s) URL or bytes, stored."""
        if isinstance(value, (bytes, bytearray)):
            return self.store.add_bytes(bytes(value), name or "file", claimed)
        if isinstance(value, dict) and isinstance(value.get("path"), str):
            return self.source(value["path"], value.get("orig_name") or name)
        if isinstance(value, Path):
            return self.local(value, name)
        if isinstance(value, str):
            if value.startswith(("http://", "https://")):
                return self.download(value, name)
            return self.local(Path(value), name)
        raise OutputError(f"expected a file path, a URL or bytes, not a {type(value).__name__}")

    def local(self, path: Path, name: str | None = None) -> StoredFile:
        resolved = path.resolve()
        stored = self._own(resolved)
        if stored is not None:
            return stored
        if not self.allowed(resolved):
            raise OutputError(
                f"{str(path)!r} is outside the directories files may be returned from "
                "(the working directory, the app's directory, the temp dir, or the "
                "allowed_paths setting), or is hidden or blocked (blocked_paths)"
            )
        if not resolved.is_file():
            raise OutputError(f"no such file: {str(path)!r}")
        return self.store.add_path(resolved, name)

    def allowed(self, resolved: Path) -> bool:
        """Inside one of the roots, not hidden below it, and not blocked."""
        if any(resolved.is_relative_to(blocked) for blocked in self.blocked):
            return False
        for root in self.roots:
            if resolved.is_relative_to(root):
                inside = resolved.relative_to(root).parts
                if inside and not any(part.startswith(".") for part in inside):
                    return True
        return False

    def _own(self, resolved: Path) -> StoredFile | None:
        """A file already in the store (an upload returned as is) keeps its id, unless it is
        bound to its uploader (``StoredFile.owner``): the answer may reach someone else (a
        shared gallery), so it gets a copy under a new id anyone with the answer may send."""
        if resolved.parent.parent != self.store.root.resolve():
            return None
        stored = self.store.get(resolved.parent.name)
        if stored is None or stored.owner is not None or stored.path.resolve() != resolved:
            return None
        return stored

    def download(self, url: str, name: str | None = None) -> StoredFile:
        """Fetches an operator-chosen URL once per worker (``max_file_size`` at most)."""
        key = ("url", url)
        known = self.store.known(key)
        if known is not None:
            return known
        request = urllib.request.Request(url, headers={"User-Agent": "chatbubble"})
        try:
            with urllib.request.urlopen(request, timeout=DOWNLOAD_TIMEOUT) as response:  # noqa: S310
                data = response.read(self.max_download + 1)
                claimed = response.headers.get_content_type()
                declared = response.headers.get("Content-Length")
        except (OSError, http.client.HTTPException) as error:
            raise OutputError(f"cannot download {url}: {error!r}") from None
        if declared is not None and declared.isdigit() and int(declared) != len(data):
            if len(data) <= self.max_download:
                raise OutputError(f"cannot download {url}: the body was cut short")
        if len(data) > self.max_download:
            raise OutputError(f"{url} is larger than max_file_size ({self.max_download} bytes)")
        guessed = unquote(urlsplit(url).path.rsplit("/", 1)[-1]) or "download"
        return self.store.add_bytes(data, name or guessed, claimed, key=key)

    # --- encoded values -----------------------------------------------------------------

    def image(self, value: Any, name: str = "image") -> StoredFile:
        """Anything ``gr.Image`` takes."""
        if _is_pil(value):
            buffer = io.BytesIO()
            value.save(buffer, format="PNG")
            return self.store.add_bytes(buffer.getvalue(), name + ".png")
        if _is_array(value):
            return self.store.add_bytes(png_from_array(value), name + ".png")
        return self.source(value, None)

    def audio(self, value: Any) -> StoredFile:
        """Anything ``gr.Audio`` takes."""
        if isinstance(value, tuple) and len(value) == 2 and _is_array(value[1]):
            rate, samples = value
            return self.store.add_bytes(wav_from_array(int(rate), samples), "audio.wav")
        return self.source(value)

    def plot(self, figure: Any) -> StoredFile:
        """A matplotlib figure, as PNG."""
        if not callable(getattr(figure, "savefig", None)):
            kind = f"{type(figure).__module__}.{type(figure).__name__}"
            raise OutputError(
                f"gr.Plot supports matplotlib figures; {kind} is not one (render it to an "
                "image and return gr.Image instead)"
            )
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", bbox_inches="tight")
        return self.store.add_bytes(buffer.getvalue(), "plot.png")


def _is_pil(value: Any) -> bool:
    return callable(getattr(value, "save", None)) and hasattr(value, "mode")


def _is_array(value: Any) -> bool:
    return hasattr(value, "__array_interface__") and hasattr(value, "shape")


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_from_array(array: Any) -> bytes:
    """A PNG of a numpy array: height x width (grey) or height x width x 1/3/4 channels;
    floats are 0-1, integers 0-255."""
    import numpy as np  # an array was given, so numpy is installed

    data = np.asarray(array)
    if data.dtype.kind == "f":
        data = (np.clip(data, 0.0, 1.0) * 255).round()
    elif data.dtype.kind == "b":
        data = data * 255
    if data.size == 0:
        raise OutputError(f"an image array must not be empty (shape {data.shape})")
    data = np.clip(data, 0, 255).astype(np.uint8)
    if data.ndim == 3 and data.shape[2] == 1:
        data = data[:, :, 0]
    if data.ndim == 2:
        color = 0
    elif data.ndim == 3 and data.shape[2] in (3, 4):
        color = 2 if data.shape[2] == 3 else 6
    else:
        raise OutputError(f"an image array must be HxW or HxWx3/4, not {data.shape}")
    height, width = data.shape[:2]
    rows = np.ascontiguousarray(data).reshape(height, -1)
    raw = b"".join(b"\x00" + row.tobytes() for row in rows)
    header = struct.pack(">IIBBBBB", width, height, 8, color, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(raw, 6))
        + _png_chunk(b"IEND", b"")
    )


def wav_from_array(rate: int, samples: Any) -> bytes:
    """A 16-bit PCM WAV of a numpy array (mono, or samples x channels); floats are -1..1."""
    import numpy as np

    data = np.asarray(samples)
    if data.ndim not in (1, 2) or data.size == 0:
        raise OutputError(f"audio samples must be 1-D or N x channels, not shape {data.shape}")
    if data.dtype.kind == "f":
        data = np.clip(data, -1.0, 1.0) * 32767
    elif data.dtype.itemsize > 2:
        data = data / float(1 << (8 * data.dtype.itemsize - 16))
    data = data.astype("<i2")
    channels = 1 if data.ndim == 1 else int(data.shape[1])
    if not 0 < rate <= 384_000:
        raise OutputError(f"the sample rate must be between 1 and 384000, not {rate}")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(data.tobytes())
    return buffer.getvalue()
