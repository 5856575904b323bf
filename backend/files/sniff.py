"""What a file is, decided by its first bytes (and its name only where content cannot tell).

The browser's claimed type and the file name are never trusted on their own: SVG bytes named
``cat.png`` are SVG, and a name whose extension promises something else is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: How many leading bytes :func:`sniff` needs.
HEAD_BYTES = 4096

KINDS = ("image", "audio", "video", "text", "file")


@dataclass(frozen=True)
class Sniffed:
    mime: str
    kind: str
    #: The usual extension for this type (with the dot), used when a name has none.
    extension: str


# Types shown in the widget as they are (<img>, <audio>, <video>): served inline. Everything
# else, SVG and HTML included, is served as an attachment.
INLINE_TYPES = frozenset(
    {
        "image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp",
        "audio/wav", "audio/mpeg", "audio/ogg", "audio/flac", "audio/mp4", "audio/webm",
        "video/mp4", "video/webm", "video/ogg", "video/quicktime",
    }
)  # fmt: skip

# What an extension promises: the types its content may sniff as. Extensions not listed here
# promise nothing (a .csv or .docx is checked by content only).
EXTENSION_TYPES: dict[str, frozenset[str]] = {
    ext: frozenset(types)
    for ext, types in {
        ".png": {"image/png"},
        ".jpg": {"image/jpeg"},
        ".jpeg": {"image/jpeg"},
        ".gif": {"image/gif"},
        ".webp": {"image/webp"},
        ".bmp": {"image/bmp"},
        ".svg": {"image/svg+xml"},
        ".wav": {"audio/wav"},
        ".mp3": {"audio/mpeg"},
        ".ogg": {"audio/ogg", "video/ogg"},
        ".oga": {"audio/ogg"},
        ".opus": {"audio/ogg"},
        ".flac": {"audio/flac"},
        ".m4a": {"audio/mp4", "video/mp4"},
        ".mp4": {"video/mp4", "audio/mp4"},
        ".mov": {"video/quicktime", "video/mp4"},
        ".webm": {"video/webm", "audio/webm"},
        ".weba": {"audio/webm"},
        ".pdf": {"application/pdf"},
        ".html": {"text/html"},
        ".htm": {"text/html"},
        ".txt": {"text/plain", "text/html", "image/svg+xml"},
        ".md": {"text/plain", "text/html"},
        ".csv": {"text/plain"},
        ".json": {"text/plain"},
    }.items()
}

# A comment cannot contain "-->", so each one matches in exactly one way (no backtracking
# blow-up on many comments followed by something else).
_COMMENTS = rb"(?:<!--(?:(?!-->).)*-->\s*)*"
_HTML = re.compile(
    rb"^\s*" + _COMMENTS + rb"<(?:!doctype\s+html|html|head|body|script|iframe|div|p|a|img|style)"
    rb"[\s/>]",
    re.IGNORECASE | re.DOTALL,
)
_SVG = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?" + _COMMENTS + rb"(?:<!doctype\s+svg[^>]*>\s*)?<svg[\s/>]",
    re.IGNORECASE | re.DOTALL,
)
_BOM = b"\xef\xbb\xbf"


def _binary(head: bytes, claimed: str) -> Sniffed | None:
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Sniffed("image/png", "image", ".png")
    if head.startswith(b"\xff\xd8\xff"):
        return Sniffed("image/jpeg", "image", ".jpg")
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return Sniffed("image/gif", "image", ".gif")
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Sniffed("image/webp", "image", ".webp")
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return Sniffed("audio/wav", "audio", ".wav")
    if head[:2] == b"BM" and len(head) >= 26 and head[6:10] == b"\0\0\0\0":
        return Sniffed("image/bmp", "image", ".bmp")
    if head.startswith(b"OggS"):
        if claimed.startswith("video/"):
            return Sniffed("video/ogg", "video", ".ogv")
        return Sniffed("audio/ogg", "audio", ".ogg")
    if head.startswith(b"fLaC"):
        return Sniffed("audio/flac", "audio", ".flac")
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return Sniffed("audio/mpeg", "audio", ".mp3")
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"M4A ", b"M4B ") or claimed.startswith("audio/"):
            return Sniffed("audio/mp4", "audio", ".m4a")
        if brand == b"qt  ":
            return Sniffed("video/quicktime", "video", ".mov")
        return Sniffed("video/mp4", "video", ".mp4")
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        # WebM and Matroska: the header alone does not say whether there is a video track.
        if claimed.startswith("audio/"):
            return Sniffed("audio/webm", "audio", ".webm")
        return Sniffed("video/webm", "video", ".webm")
    if head.startswith(b"%PDF-"):
        return Sniffed("application/pdf", "file", ".pdf")
    if head.startswith(b"PK\x03\x04"):
        return Sniffed("application/zip", "file", ".zip")
    if head.startswith(b"\x1f\x8b"):
        return Sniffed("application/gzip", "file", ".gz")
    return None


def _is_text(head: bytes, complete: bool) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut by the end of the head is fine.
        return not complete and error.start >= len(head) - 3 and error.reason.startswith("unexp")
    return True


def sniff(head: bytes, claimed: str = "", *, complete: bool = False) -> Sniffed:
    """The type of a file starting with ``head`` (``complete``: ``head`` is the whole file).
    ``claimed`` (the uploader's Content-Type) only tells audio from video where the
    container is the same."""
    claimed = claimed.lower()
    found = _binary(head, claimed)
    if found is not None:
        return found
    if head and _is_text(head, complete):
        markup = head.removeprefix(_BOM)
        if _SVG.match(markup):
            return Sniffed("image/svg+xml", "image", ".svg")
        if _HTML.match(markup):
            return Sniffed("text/html", "text", ".html")
        return Sniffed("text/plain", "text", ".txt")
    return Sniffed("application/octet-stream", "file", "")


def extension_mismatch(name: str, sniffed: Sniffed) -> str | None:
    """The extension of ``name`` when it promises a type the content is not, else None."""
    dot = name.rfind(".")
    if dot <= 0:
        return None
    extension = name[dot:].lower()
    promised = EXTENSION_TYPES.get(extension)
    if promised is None or sniffed.mime in promised:
        return None
    return extension


def allowed(file_types: tuple[str, ...] | None, name: str, sniffed: Sniffed) -> bool:
    """Whether a file passes Gradio's ``file_types``: kinds (``"image"``, ``"audio"``,
    ``"video"``, ``"text"``, ``"file"``) and extensions (``".pdf"``)."""
    if file_types is None:
        return True
    lower = name.lower()
    for entry in file_types:
        if entry == "file" or entry == sniffed.kind:
            return True
        if entry.startswith(".") and lower.endswith(entry.lower()):
            return True
    return False
