"""Content sniffing: what a file is, decided by its first bytes (backend/files/sniff.py)."""

from __future__ import annotations

import gzip
import io
import subprocess
import sys
import wave
import zipfile
from pathlib import Path

import pytest
from PIL import Image as PILImage

from backend.files.sniff import HEAD_BYTES, Sniffed, allowed, extension_mismatch, sniff

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def pil_bytes(fmt: str) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (4, 3), (200, 10, 10)).save(buffer, format=fmt)
    return buffer.getvalue()


def wav_bytes() -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x01" * 100)
    return buffer.getvalue()


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "hello")
    return buffer.getvalue()


def ftyp(brand: bytes) -> bytes:
    return b"\x00\x00\x00\x18ftyp" + brand + b"\x00\x00\x02\x00isomiso2" + b"\x00" * 32


EBML = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01" + b"\x00" * 20


# -- magic numbers --


@pytest.mark.parametrize(
    ("fmt", "mime", "extension"),
    [
        ("PNG", "image/png", ".png"),
        ("JPEG", "image/jpeg", ".jpg"),
        ("GIF", "image/gif", ".gif"),
        ("WEBP", "image/webp", ".webp"),
        ("BMP", "image/bmp", ".bmp"),
    ],
)
def test_images_encoded_by_pillow(fmt: str, mime: str, extension: str) -> None:
    data = pil_bytes(fmt)
    assert sniff(data[:HEAD_BYTES], complete=True) == Sniffed(mime, "image", extension)


@pytest.mark.parametrize(
    ("head", "claimed", "expected"),
    [
        (b"GIF87a\x04\x00\x03\x00", "", Sniffed("image/gif", "image", ".gif")),
        (b"GIF89a\x04\x00\x03\x00", "", Sniffed("image/gif", "image", ".gif")),
        (wav_bytes(), "", Sniffed("audio/wav", "audio", ".wav")),
        (b"OggS\x00\x02" + b"\x00" * 30, "", Sniffed("audio/ogg", "audio", ".ogg")),
        (b"OggS\x00\x02" + b"\x00" * 30, "audio/ogg", Sniffed("audio/ogg", "audio", ".ogg")),
        (b"OggS\x00\x02" + b"\x00" * 30, "video/ogg", Sniffed("video/ogg", "video", ".ogv")),
        (b"fLaC\x00\x00\x00\x22" + b"\x00" * 34, "", Sniffed("audio/flac", "audio", ".flac")),
        (b"ID3\x04\x00\x00\x00\x00\x00\x00", "", Sniffed("audio/mpeg", "audio", ".mp3")),
        (b"\xff\xfb\x90\x64" + b"\x00" * 40, "", Sniffed("audio/mpeg", "audio", ".mp3")),
        (b"\xff\xf3\x48\xc4" + b"\x00" * 40, "", Sniffed("audio/mpeg", "audio", ".mp3")),
        (ftyp(b"isom"), "", Sniffed("video/mp4", "video", ".mp4")),
        (ftyp(b"mp42"), "video/mp4", Sniffed("video/mp4", "video", ".mp4")),
        (ftyp(b"M4A "), "", Sniffed("audio/mp4", "audio", ".m4a")),
        (ftyp(b"M4B "), "", Sniffed("audio/mp4", "audio", ".m4a")),
        (ftyp(b"isom"), "audio/mp4", Sniffed("audio/mp4", "audio", ".m4a")),
        (ftyp(b"qt  "), "", Sniffed("video/quicktime", "video", ".mov")),
        (EBML, "", Sniffed("video/webm", "video", ".webm")),
        (EBML, "video/webm", Sniffed("video/webm", "video", ".webm")),
        (EBML, "audio/webm", Sniffed("audio/webm", "audio", ".webm")),
        (EBML, "audio/webm;codecs=opus", Sniffed("audio/webm", "audio", ".webm")),
        (EBML, "AUDIO/WEBM", Sniffed("audio/webm", "audio", ".webm")),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "", Sniffed("application/pdf", "file", ".pdf")),
        (zip_bytes(), "", Sniffed("application/zip", "file", ".zip")),
        (gzip.compress(b"hello"), "", Sniffed("application/gzip", "file", ".gz")),
    ],
)
def test_magic_numbers(head: bytes, claimed: str, expected: Sniffed) -> None:
    assert sniff(head, claimed, complete=True) == expected


def test_the_claimed_type_does_not_override_the_content() -> None:
    # The browser's word only tells audio from video in a shared container.
    assert sniff(PNG_SIGNATURE + b"\x00" * 20, "text/html").mime == "image/png"
    assert sniff(b"<svg></svg>", "image/png", complete=True).mime == "image/svg+xml"
    assert sniff(b"just text", "image/jpeg", complete=True).mime == "text/plain"
    assert sniff(b"%PDF-1.4", "audio/webm", complete=True).mime == "application/pdf"


def test_a_text_starting_with_bm_is_not_a_bitmap() -> None:
    assert sniff(b"BMW and Mercedes are car makers.", complete=True).mime == "text/plain"


def test_riff_without_a_known_form_is_not_wav_or_webp() -> None:
    assert sniff(b"RIFF\x10\x00\x00\x00AVI LIST" + b"\x00" * 8).mime != "audio/wav"
    assert sniff(b"RIFF\x10\x00\x00\x00AVI LIST" + b"\x00" * 8).mime != "image/webp"


# -- text or binary --


def test_plain_text() -> None:
    assert sniff(b"Hello, world!\n", complete=True) == Sniffed("text/plain", "text", ".txt")
    assert sniff("Grüße, 日本語 😀".encode(), complete=True).kind == "text"


@pytest.mark.parametrize(
    "data",
    [
        b"text with a \x00 NUL byte",
        b"abc\xffdef",  # an invalid start byte
        b"abc\xc3\x28def",  # an invalid continuation byte
        b"caf\xe9 in latin-1 is not UTF-8",
    ],
)
def test_binary_data_is_not_text(data: bytes) -> None:
    for complete in (False, True):
        assert sniff(data, complete=complete) == Sniffed("application/octet-stream", "file", "")


def test_empty_is_not_text() -> None:
    assert sniff(b"", complete=True) == Sniffed("application/octet-stream", "file", "")


@pytest.mark.parametrize("char", ["é", "€", "😀"])
def test_a_character_cut_by_the_end_of_the_head(char: str) -> None:
    encoded = char.encode()
    for cut in range(1, len(encoded)):
        head = b"a" * (HEAD_BYTES - cut) + encoded[:cut]
        assert len(head) == HEAD_BYTES
        # More follows: the character goes on past the head.
        assert sniff(head, complete=False).mime == "text/plain"
        # The whole file ends there: it is not valid UTF-8.
        assert sniff(head, complete=True).mime == "application/octet-stream"


def test_a_cut_character_in_the_middle_is_binary_even_in_a_head() -> None:
    head = b"abc" + "€".encode()[:2] + b"def"
    assert sniff(head, complete=False).mime == "application/octet-stream"


# -- SVG and HTML --


@pytest.mark.parametrize(
    "data",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>',
        b"<svg/>",
        b"  \n\t<SVG width='4'></SVG>",
        b'<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>',
        b"<!-- made by hand -->\n<svg><script>alert(1)</script></svg>",
        b"<?xml version='1.0'?><!-- a --><!-- b\n multi-line --><svg></svg>",
        b'<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
        b'"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n<svg></svg>',
        b"<!doctype svg><svg onload=alert(1)></svg>",
    ],
)
def test_svg(data: bytes) -> None:
    assert sniff(data, complete=True) == Sniffed("image/svg+xml", "image", ".svg")


@pytest.mark.parametrize(
    "data",
    [
        b"<svgx>not svg</svgx>",
        b"text first <svg></svg>",
        b"<?xml version='1.0'?><root/>",
    ],
)
def test_not_svg(data: bytes) -> None:
    assert sniff(data, complete=True).mime != "image/svg+xml"


@pytest.mark.parametrize(
    "data",
    [
        b"<!DOCTYPE html><html><body>x</body></html>",
        b"<!doctype HTML>\n<title>x</title>",
        b"<html>",
        b"  <HTML lang='en'>",
        b"<head><meta charset=utf-8></head>",
        b"<body onload=alert(1)>",
        b"<script>alert(1)</script>",
        b"<iframe src='https://evil.example'></iframe>",
        b"<div>x</div>",
        b"<p>paragraph</p>",
        b"<a href='javascript:alert(1)'>x</a>",
        b"<img src=x onerror=alert(1)>",
        b"<style>body{}</style>",
        b"<!-- comment -->\n<script>alert(1)</script>",
        b"<p/>",
        b"<!DOCTYPE html><svg></svg>",
    ],
)
def test_html(data: bytes) -> None:
    assert sniff(data, complete=True) == Sniffed("text/html", "text", ".html")


@pytest.mark.parametrize(
    ("data", "mime"),
    [
        (b"\xef\xbb\xbf<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml"),
        (b"\xef\xbb\xbf<!DOCTYPE html><html></html>", "text/html"),
    ],
    ids=["svg", "html"],
)
def test_a_byte_order_mark_before_svg_or_html(data: bytes, mime: str) -> None:
    assert sniff(data, complete=True).mime == mime


@pytest.mark.parametrize(
    "data", [b"a < b and c > d", b"<pending>", b"<path>not a tag we look at", b"<abbr>x</abbr>"]
)
def test_text_with_angle_brackets_is_plain_text(data: bytes) -> None:
    assert sniff(data, complete=True) == Sniffed("text/plain", "text", ".txt")


# -- time: a hostile head must not stall the server (sniff runs on the event loop) --

SNIFF_IN_A_CHILD = """
import importlib.util, sys
spec = importlib.util.spec_from_file_location("sniff", sys.argv[1])
module = sys.modules["sniff"] = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
print(module.sniff(sys.stdin.buffer.read(), complete=True).mime)
"""


def sniff_in_a_child(head: bytes, seconds: float) -> str:
    """sniff() in a child process that is killed after ``seconds``."""
    source = Path(__file__).parent.parent.parent / "backend" / "files" / "sniff.py"
    try:
        result = subprocess.run(
            [sys.executable, "-c", SNIFF_IN_A_CHILD, str(source)],
            input=head,
            capture_output=True,
            timeout=seconds,
            check=True,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"sniff() took more than {seconds} s on {len(head)} bytes")
    return result.stdout.decode().strip()


def test_many_comments_are_sniffed_quickly() -> None:
    assert sniff_in_a_child(b"<!---->" * 3 + b"<svg/>", 20) == "image/svg+xml"


@pytest.mark.parametrize(
    "head",
    [
        b"<!--x-->" * 40 + b"Z",
        b"<!---->" * 40 + b"<pre>",
        b"<?xml version='1.0'?>" + b"<!-- -->" * 40 + b"<root/>",
    ],
    ids=["comments", "empty-comments", "xml-prolog"],
)
def test_comments_cannot_stall_the_sniffer(head: bytes) -> None:
    assert sniff_in_a_child(head, 3) == "text/plain"


# -- polyglots: the leading magic decides --


def test_gif_javascript_polyglot_is_a_gif() -> None:
    polyglot = b"GIF89a/*\x01\x00\x01\x00\x00\xff\x00,*/=1;alert(document.domain);//"
    assert sniff(polyglot, "application/javascript", complete=True).mime == "image/gif"


def test_png_with_html_after_the_header_is_a_png() -> None:
    polyglot = PNG_SIGNATURE + b"<html><script>alert(1)</script></html>"
    assert sniff(polyglot, "text/html", complete=True).mime == "image/png"


def test_html_before_png_bytes_is_not_an_image() -> None:
    data = b"<html><script>alert(1)</script>" + PNG_SIGNATURE
    assert sniff(data, "image/png", complete=True).kind != "image"


# -- names that promise another type --

SVG = sniff(b"<svg></svg>", complete=True)
HTML = sniff(b"<html><body>x</body></html>", complete=True)
PNG = sniff(PNG_SIGNATURE)
JPEG = sniff(b"\xff\xd8\xff\xe0")
TEXT = sniff(b"hello", complete=True)
MP4 = sniff(ftyp(b"isom"))
M4A = sniff(ftyp(b"M4A "))


@pytest.mark.parametrize(
    ("name", "sniffed", "mismatch"),
    [
        ("x.png", SVG, ".png"),
        ("X.PNG", SVG, ".png"),
        ("cat.jpg", HTML, ".jpg"),
        ("cat.jpeg", HTML, ".jpeg"),
        ("page.html", PNG, ".html"),
        ("x.svg", PNG, ".svg"),
        ("notes.txt", PNG, ".txt"),
        ("doc.pdf", TEXT, ".pdf"),
        ("x.tar.png", HTML, ".png"),
        ("x.svg_.png", SVG, ".png"),
        ("song.mp3", MP4, ".mp3"),
        # Matching names
        ("x.png", PNG, None),
        ("photo.JPEG", JPEG, None),
        ("x.svg", SVG, None),
        ("index.htm", HTML, None),
        ("notes.txt", TEXT, None),
        ("notes.txt", HTML, None),
        ("drawing.txt", SVG, None),
        ("clip.mp4", M4A, None),
        ("voice.m4a", MP4, None),
        # Extensions that promise nothing, and names without one
        ("data.xyz", SVG, None),
        ("report.docx", HTML, None),
        ("README", HTML, None),
        (".png", SVG, None),
        ("", PNG, None),
    ],
)
def test_extension_mismatch(name: str, sniffed: Sniffed, mismatch: str | None) -> None:
    assert extension_mismatch(name, sniffed) == mismatch


# -- file_types --

PDF = sniff(b"%PDF-1.7")
WAV = sniff(wav_bytes())


@pytest.mark.parametrize(
    ("file_types", "name", "sniffed", "ok"),
    [
        (None, "x.png", PNG, True),
        (None, "page.html", HTML, True),
        (("image",), "x.png", PNG, True),
        (("image",), "x.svg", SVG, True),
        (("image",), "doc.pdf", PDF, False),
        (("image",), "notes.txt", TEXT, False),
        (("audio",), "tone.wav", WAV, True),
        (("audio",), "x.png", PNG, False),
        (("video",), "clip.mp4", MP4, True),
        (("text",), "notes.txt", TEXT, True),
        (("text",), "page.html", HTML, True),
        (("file",), "doc.pdf", PDF, True),
        (("file",), "x.png", PNG, True),
        (("file",), "page.html", HTML, True),
        ((".pdf",), "doc.pdf", PDF, True),
        ((".pdf",), "DOC.PDF", PDF, True),
        ((".PDF",), "doc.pdf", PDF, True),
        ((".pdf",), "x.png", PNG, False),
        ((".pdf",), "pdf", PDF, False),
        (("image", ".pdf"), "doc.pdf", PDF, True),
        (("image", ".pdf"), "x.png", PNG, True),
        (("image", ".pdf"), "notes.txt", TEXT, False),
        ((), "x.png", PNG, False),
    ],
)
def test_allowed(
    file_types: tuple[str, ...] | None, name: str, sniffed: Sniffed, ok: bool
) -> None:
    assert allowed(file_types, name, sniffed) is ok
