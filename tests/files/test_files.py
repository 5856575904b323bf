"""The file store (backend/files/store.py): names, ids, lookups, uploads, returned files,
clean-up."""

from __future__ import annotations

import asyncio
import json
import os
import stat
import time
import unicodedata
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from backend.errors import FileTooLargeError, FileTypeNotAllowedError, InvalidRequestError
from backend.files.sniff import sniff
from backend.files.store import (
    FILE_ID,
    MAX_NAME_CHARS,
    FileStore,
    StoredFile,
    clean_name,
    new_id,
    owner_of,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
PDF = b"%PDF-1.7\n" + b"x" * 100


async def chunks(*parts: bytes) -> AsyncIterator[bytes]:
    for part in parts:
        yield part


@pytest.fixture(name="store")
def _store(tmp_path: Path) -> FileStore:
    return FileStore(tmp_path / "files", retention=3600)


def entries(store: FileStore) -> list[str]:
    """Everything in the store's folder (hidden partial files included)."""
    return sorted(os.listdir(store.root)) if store.root.exists() else []


def age(store: FileStore, file_id: str, seconds: float) -> None:
    """Makes a stored file ``seconds`` older, as time passing would."""
    meta_path = store.root / f"{file_id}.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["created"] -= seconds
    meta_path.write_text(json.dumps(meta), encoding="utf-8")


async def receive(
    store: FileStore,
    *parts: bytes,
    name: str = "notes.txt",
    claimed: str = "",
    limit: int = 1_000_000,
    file_types: tuple[str, ...] | None = None,
) -> StoredFile:
    return await store.receive(
        chunks(*parts), name=name, claimed=claimed, limit=limit, file_types=file_types
    )


# -- names --


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("cat photo.png", "cat photo.png"),
        ("../../etc/passwd", "_.._etc_passwd"),
        ("..\\..\\win.ini", "_.._win.ini"),
        ("/etc/passwd", "_etc_passwd"),
        ("a\x00.png", "a_.png"),
        ("x.svg\x00.png", "x.svg_.png"),
        ("日本語.txt", "日本語.txt"),
        ("....", "file"),
        ("", "file"),
        ("   ", "file"),
        ("/", "file"),
        ("CON", "CON"),
        ("aux.txt", "aux.txt"),
        ("evil\u202egnp.exe", "evil_gnp.exe"),
        ('"><img src=x onerror=alert(1)>.png', "___img src=x onerror=alert(1)_.png"),
        ("%2e%2e%2fetc", "%2e%2e%2fetc"),
        (".env", "env"),
        ("..hidden.txt", "hidden.txt"),
        ("C:\\Users\\me\\report.pdf", "C__Users_me_report.pdf"),
        ("a\r\nSet-Cookie: x=1.txt", "a__Set-Cookie_ x=1.txt"),
        ("zero\u200bwidth\u2066isolate\u2069.txt", "zero_width_isolate_.txt"),
        ("tab\tand\x7fdel.txt", "tab_and_del.txt"),
        ("what?*|.txt", "what___.txt"),
    ],
)
def test_clean_name(raw: str, clean: str) -> None:
    assert clean_name(raw) == clean


@pytest.mark.parametrize(
    "raw",
    [
        "../../etc/passwd",
        "..\\..\\win.ini",
        "/etc/passwd",
        "a\x00.png",
        "x.svg\x00.png",
        "evil\u202egnp.exe",
        '"><img src=x onerror=alert(1)>.png',
        "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f.txt",
        "".join(chr(code) for code in range(32)) + "\x7f.txt",
    ],
)
def test_clean_names_hold_no_path_control_bidi_or_markup_characters(raw: str) -> None:
    name = clean_name(raw)
    assert name
    assert not name.startswith(".")
    assert not any(char in name for char in '/\\<>"\x00\u202e\u2066')
    assert all(ord(char) >= 32 and char != "\x7f" for char in name)
    assert not any(0x202A <= ord(char) <= 0x202E or 0x2066 <= ord(char) <= 0x2069 for char in name)


@pytest.mark.parametrize(
    "char",
    ["\x80", "\x85", "\x9b", "\x9f", "\u061c", "\u2028", "\u2029"],
    ids=lambda char: f"U+{ord(char):04X}",
)
def test_clean_names_hold_no_c1_controls_or_other_bidi_marks(char: str) -> None:
    assert char not in clean_name(f"a{char}b.txt")


def test_clean_names_are_nfc() -> None:
    decomposed = "Cafe\u0301 re\u0301sume\u0301.txt"
    assert clean_name(decomposed) == unicodedata.normalize("NFC", decomposed)
    assert clean_name(decomposed) == "Café résumé.txt"
    assert clean_name("\u212b.txt") == "\u00c5.txt"  # ANGSTROM SIGN -> A WITH RING ABOVE


def test_long_names_are_capped_keeping_the_extension() -> None:
    name = clean_name("a" * 300 + ".png")
    assert len(name) == MAX_NAME_CHARS == 120
    assert name == "a" * 116 + ".png"
    assert clean_name("b" * 300) == "b" * 120
    # A "extension" longer than 10 characters is not kept as one.
    assert clean_name("c" * 300 + ".abcdefghijkl") == "c" * 120


def test_empty_names_get_the_sniffed_extension() -> None:
    assert clean_name("....", sniff(PNG)) == "file.png"
    assert clean_name("", sniff(b"%PDF-1.4")) == "file.pdf"
    assert clean_name("photo", sniff(PNG)) == "photo.png"
    # A name with an extension keeps it (a mismatch is refused elsewhere).
    assert clean_name("photo.jpg", sniff(PNG)) == "photo.jpg"
    # Types without a usual extension add nothing.
    assert clean_name("blob", sniff(b"\x00\x01\x02", complete=True)) == "blob"


TRICKY_NAMES = [
    ". .x",
    " . .txt",
    ". . . ",
    "a" * 119 + " " + "b" * 50,
    "a" * 114 + " " * 5 + ".png",
    " " * 130 + "x.txt",
    "." * 130 + "x.txt",
    "x" * 118 + " .txt",
    "日" * 200 + ".txt",
    "😀" * 200 + ".png",
    "日" * 300,
    "e\u0301" * 100 + ".txt",
    "../../etc/passwd",
    "x.svg\x00.png",
    "evil\u202egnp.exe",
    "a.verylongextension",
    ".tar.gz",
    "name.",
    "name. ",
]


@pytest.mark.parametrize("raw", TRICKY_NAMES)
def test_clean_name_is_idempotent_and_never_leaves_a_leading_dot(raw: str) -> None:
    name = clean_name(raw)
    assert name
    assert name == name.strip()
    assert not name.startswith(".")
    assert clean_name(name) == name


@pytest.mark.parametrize("raw", TRICKY_NAMES)
def test_clean_names_fit_in_a_file_name(raw: str) -> None:
    name = clean_name(raw)
    assert len(name) <= MAX_NAME_CHARS
    assert len(name.encode()) <= 200  # well under NAME_MAX (255 bytes)


def test_long_multibyte_names_keep_their_extension() -> None:
    assert clean_name("日" * 200 + ".txt").endswith("日.txt")
    assert clean_name("😀" * 200 + ".png").endswith("😀.png")


# -- ids --


def test_ids_are_43_url_safe_characters_and_distinct() -> None:
    ids = {new_id() for _ in range(2000)}
    assert len(ids) == 2000
    for file_id in ids:
        assert len(file_id) == 43
        assert FILE_ID.match(file_id)
        assert set(file_id) <= set(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        )


async def test_stored_files_get_distinct_ids(store: FileStore) -> None:
    stored = [await receive(store, b"same bytes") for _ in range(20)]
    assert len({file.id for file in stored}) == 20
    for file in stored:
        assert file.path == store.root / file.id / "notes.txt"
        assert file.path.read_bytes() == b"same bytes"


# -- lookup --


async def test_get_returns_what_was_stored(store: FileStore) -> None:
    stored = await receive(store, PNG, name="cat.png", claimed="image/png")
    found = store.get(stored.id)
    assert found == stored
    assert found is not None
    assert (found.name, found.size, found.mime, found.kind) == (
        "cat.png",
        len(PNG),
        "image/png",
        "image",
    )
    assert found.inline


@pytest.mark.parametrize(
    "file_id",
    [
        "",
        "abc",
        "A" * 42,
        "A" * 44,
        "A" * 42 + ".",
        "A" * 42 + "/",
        "A" * 42 + "=",
        "../../../../../../../../../../../etc/passwd",
        "..%2f..%2f..%2f..%2f..%2f..%2f..%2f..%2fetc",
        "/etc/passwd",
        "A" * 40 + "%00",
        "A" * 43 + "\n",
        "A" * 43 + "\x00",
        "x" * 10_000,
        "CON",
    ],
)
def test_get_refuses_malformed_ids(store: FileStore, file_id: str) -> None:
    store.ensure()
    assert store.get(file_id) is None


@pytest.mark.parametrize(
    "name",
    [
        "abc",
        "A" * 42,
        "A" * 44,
        "A" * 42 + ".",
        "..",
        "x" * 200,
        pytest.param("A" * 43 + "\n", id="id-and-newline"),
    ],
)
async def test_entries_under_names_that_are_not_ids_are_unknown(
    store: FileStore, name: str
) -> None:
    # A complete entry (meta and data) laid out under a name the id pattern refuses.
    stored = await receive(store, b"hello")
    folder = store.root / name
    folder.mkdir(exist_ok=True)
    (folder / stored.name).write_bytes(b"planted")
    (store.root / f"{name}.json").write_text((store.root / f"{stored.id}.json").read_text())
    assert store.get(name) is None
    assert store.get(stored.id) == stored
    # Variants of a live id are unknown too.
    for variant in (stored.id + "\n", stored.id[:-1], stored.id + "A", f"./{stored.id}"[:43]):
        assert store.get(variant) is None


def test_get_refuses_non_strings(store: FileStore) -> None:
    assert store.get(None) is None  # type: ignore[arg-type]
    assert store.get(42) is None  # type: ignore[arg-type]
    assert store.get(["A" * 43]) is None  # type: ignore[arg-type]


def test_get_refuses_well_formed_unknown_ids(store: FileStore) -> None:
    store.ensure()
    assert store.get(new_id()) is None


async def test_get_never_reads_outside_the_store(store: FileStore, tmp_path: Path) -> None:
    # A meta file with the same stem as a traversal would be, outside the store.
    secret = tmp_path / "secret.json"
    secret.write_text(json.dumps({"name": "x", "size": 1, "mime": "text/plain", "kind": "text"}))
    await receive(store, b"x")
    assert store.get("../secret") is None
    assert store.get("..%2fsecret") is None


async def test_a_file_without_its_meta_is_unknown(store: FileStore) -> None:
    stored = await receive(store, b"hello")
    (store.root / f"{stored.id}.json").unlink()
    assert stored.path.exists()
    assert store.get(stored.id) is None


@pytest.mark.parametrize(
    "meta",
    [
        "",
        "{not json",
        "[]",
        '"a string"',
        "null",
        '{"name": "notes.txt"}',
        '{"name": "notes.txt", "size": "big", "mime": "text/plain", "kind": "text", "created": 1}',
        '{"name": "notes.txt", "size": 5, "mime": "text/plain", "kind": "text", "created": "x"}',
    ],
)
async def test_a_file_with_corrupt_meta_is_unknown(store: FileStore, meta: str) -> None:
    stored = await receive(store, b"hello")
    (store.root / f"{stored.id}.json").write_text(meta, encoding="utf-8")
    assert store.get(stored.id) is None


async def test_the_meta_name_cannot_steer_the_path(store: FileStore, tmp_path: Path) -> None:
    stored = await receive(store, b"hello")
    (tmp_path / "outside.txt").write_text("secret")
    for name in ("../../outside.txt", "../outside.txt", str(tmp_path / "outside.txt")):
        meta_path = store.root / f"{stored.id}.json"
        meta = json.loads(meta_path.read_text())
        meta["name"] = name
        meta_path.write_text(json.dumps(meta))
        found = store.get(stored.id)
        assert found is None or found.path.parent == store.root / stored.id


async def test_a_symlinked_data_file_is_unknown(store: FileStore) -> None:
    stored = await receive(store, b"hello")
    stored.path.unlink()
    stored.path.symlink_to("/etc/passwd")
    assert store.get(stored.id) is None


async def test_a_symlink_to_a_file_inside_the_store_is_unknown_too(store: FileStore) -> None:
    first = await receive(store, b"first", name="a.txt")
    second = await receive(store, b"second", name="a.txt")
    second.path.unlink()
    second.path.symlink_to(first.path)
    assert store.get(second.id) is None
    assert store.get(first.id) is not None


async def test_a_data_file_replaced_by_a_folder_is_unknown(store: FileStore) -> None:
    stored = await receive(store, b"hello")
    stored.path.unlink()
    stored.path.mkdir()
    assert store.get(stored.id) is None


async def test_expired_files_are_unknown_and_removed(store: FileStore) -> None:
    stored = await receive(store, b"old")
    live = await receive(store, b"new")
    age(store, stored.id, 3601)
    assert store.get(stored.id) is None
    assert not (store.root / stored.id).exists()
    assert not (store.root / f"{stored.id}.json").exists()
    assert store.get(live.id) == live


async def test_files_just_inside_the_retention_are_live(store: FileStore) -> None:
    stored = await receive(store, b"still here")
    age(store, stored.id, 3500)
    assert store.get(stored.id) is not None


# -- uploads --


async def test_receive_stores_a_streamed_upload(store: FileStore) -> None:
    stored = await receive(store, b"hello ", b"", b"world\n", name="greeting.txt")
    assert stored.path.read_bytes() == b"hello world\n"
    assert (stored.name, stored.size, stored.mime, stored.kind) == (
        "greeting.txt",
        12,
        "text/plain",
        "text",
    )
    assert stored.path.parent == store.root / stored.id
    assert store.get(stored.id) == stored
    # Nothing but the file's folder and its meta.
    assert entries(store) == sorted([stored.id, f"{stored.id}.json"])


async def test_receive_sniffs_a_head_split_across_chunks(store: FileStore) -> None:
    data = PNG + b"\x00" * 10_000
    stored = await receive(store, data[:2], data[2:5], data[5:], name="cat.png")
    assert stored.mime == "image/png"
    assert stored.path.read_bytes() == data


async def test_receive_keeps_text_whose_head_cuts_a_character(store: FileStore) -> None:
    data = b"a" * 4095 + "é".encode() * 100
    stored = await receive(store, data, name="notes.txt")
    assert stored.mime == "text/plain"


async def test_receive_cleans_the_name(store: FileStore) -> None:
    stored = await receive(store, b"x", name="../../evil.txt")
    assert stored.name == "_.._evil.txt"
    assert stored.path.parent == store.root / stored.id
    assert not (store.root.parent / "evil.txt").exists()


async def test_receive_names_an_unnamed_file_by_its_type(store: FileStore) -> None:
    stored = await receive(store, PNG, name="....")
    assert stored.name == "file.png"
    assert store.get(stored.id) == stored


async def test_receive_stores_names_windows_reserves(store: FileStore) -> None:
    stored = await receive(store, b"x", name="CON")
    assert stored.name == "CON.txt"
    assert store.get(stored.id) == stored


async def test_receive_creates_the_store(tmp_path: Path) -> None:
    store = FileStore(tmp_path / "a" / "b" / "files", retention=60)
    stored = await receive(store, b"hello")
    assert store.get(stored.id) == stored


async def test_an_upload_exactly_at_the_limit_is_stored(store: FileStore) -> None:
    stored = await receive(store, b"x" * 60, b"y" * 40, limit=100)
    assert stored.size == 100


async def test_over_the_limit_is_refused_mid_stream(store: FileStore) -> None:
    read = 0

    async def endless() -> AsyncIterator[bytes]:
        nonlocal read
        while True:
            read += 1
            yield b"z" * 100

    with pytest.raises(FileTooLargeError):
        await store.receive(endless(), name="big.txt", claimed="", limit=1000, file_types=None)
    assert read == 11  # stopped at the chunk that passed the limit
    assert entries(store) == []


async def test_one_byte_over_the_limit_is_refused(store: FileStore) -> None:
    with pytest.raises(FileTooLargeError):
        await receive(store, b"x" * 60, b"y" * 41, limit=100)
    assert entries(store) == []


@pytest.mark.parametrize("parts", [(), (b"",), (b"", b"", b"")])
async def test_an_empty_upload_is_refused(store: FileStore, parts: tuple[bytes, ...]) -> None:
    with pytest.raises(InvalidRequestError):
        await receive(store, *parts)
    assert entries(store) == []


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (SVG, "x.png"),
        (b"<html><script>alert(1)</script></html>", "x.jpg"),
        (PNG, "x.svg"),
        (b"plain text", "doc.pdf"),
        (SVG, "x.svg\x00.png"),
    ],
)
async def test_content_that_does_not_match_the_name_is_refused(
    store: FileStore, data: bytes, name: str
) -> None:
    with pytest.raises(FileTypeNotAllowedError):
        await receive(store, data, name=name, claimed="image/png")
    assert entries(store) == []


@pytest.mark.parametrize(
    ("data", "name", "file_types"),
    [
        (PDF, "doc.pdf", ("image",)),
        (SVG, "x.txt", ("text",)),
        (b"hello", "notes.txt", (".pdf", "image")),
    ],
)
async def test_types_outside_file_types_are_refused(
    store: FileStore, data: bytes, name: str, file_types: tuple[str, ...]
) -> None:
    with pytest.raises(FileTypeNotAllowedError):
        await receive(store, data, name=name, file_types=file_types)
    assert entries(store) == []


async def test_types_inside_file_types_are_stored(store: FileStore) -> None:
    assert (await receive(store, PDF, name="doc.pdf", file_types=(".pdf",))).kind == "file"
    assert (await receive(store, PNG, name="a.png", file_types=("image",))).kind == "image"
    assert (await receive(store, SVG, name="a.svg", file_types=("image",))).mime == (
        "image/svg+xml"
    )


@pytest.mark.parametrize("error", [ConnectionError("client went away"), asyncio.CancelledError()])
async def test_an_aborted_upload_leaves_nothing(store: FileStore, error: BaseException) -> None:
    async def aborted() -> AsyncIterator[bytes]:
        yield b"x" * 5000
        yield b"y" * 5000
        raise error

    with pytest.raises(type(error)):
        await store.receive(aborted(), name="a.txt", claimed="", limit=10**6, file_types=None)
    assert entries(store) == []


async def test_a_cancelled_upload_task_leaves_nothing(store: FileStore) -> None:
    arrived = asyncio.Event()
    never = asyncio.Event()

    async def stalled() -> AsyncIterator[bytes]:
        yield b"x" * 5000
        arrived.set()
        await never.wait()
        yield b"never"

    task = asyncio.create_task(
        store.receive(stalled(), name="a.txt", claimed="", limit=10**6, file_types=None)
    )
    await arrived.wait()
    assert any(name.startswith(".partial-") for name in entries(store))
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert entries(store) == []


async def test_long_multibyte_names_can_be_stored(store: FileStore) -> None:
    stored = await receive(store, b"hello", name="日" * 200 + ".txt")
    assert stored.name.endswith(".txt")
    assert len(stored.name.encode()) <= 255
    assert store.get(stored.id) == stored


@pytest.mark.parametrize("name", [" . .txt", "a" * 119 + " " + "b" * 50, "x" * 118 + " .txt"])
async def test_every_stored_upload_can_be_found(store: FileStore, name: str) -> None:
    stored = await receive(store, b"hello", name=name)
    assert store.get(stored.id) == stored


@pytest.mark.parametrize("name", TRICKY_NAMES)
def test_every_stored_file_can_be_found(store: FileStore, name: str) -> None:
    stored = store.add_bytes(b"hello", name)
    assert store.get(stored.id) == stored
    assert stored.path.read_bytes() == b"hello"
    assert stored.path.parent == store.root / stored.id


# -- files the chat function returns --


def test_add_path_copies(store: FileStore, tmp_path: Path) -> None:
    source = tmp_path / "report.txt"
    source.write_bytes(b"version 1")
    stored = store.add_path(source)
    assert stored.path != source
    assert stored.path.parent == store.root / stored.id
    assert stored.path.read_bytes() == b"version 1"
    assert (stored.name, stored.mime, stored.size) == ("report.txt", "text/plain", 9)
    source.write_bytes(b"changed afterwards")
    assert stored.path.read_bytes() == b"version 1"
    assert source.read_bytes() == b"changed afterwards"


def test_add_path_takes_a_display_name(store: FileStore, tmp_path: Path) -> None:
    named = tmp_path / "tmpab12cd"
    named.write_bytes(PNG)
    assert store.add_path(named, "chart").name == "chart.png"
    unnamed = tmp_path / "tmpef34gh"
    unnamed.write_bytes(PNG)
    assert store.add_path(unnamed).name == "tmpef34gh.png"


def test_add_path_of_the_same_file_under_another_name(store: FileStore, tmp_path: Path) -> None:
    source = tmp_path / "tmp123"
    source.write_bytes(b"data")
    assert store.add_path(source, "first.txt").name == "first.txt"
    assert store.add_path(source, "second.txt").name == "second.txt"
    assert store.add_path(source, "first.txt").name == "first.txt"


def test_add_path_dedupes_an_unchanged_file(store: FileStore, tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_bytes(b"same")
    first = store.add_path(source)
    assert store.add_path(source) == first
    assert store.add_path(source) == first
    assert len([name for name in entries(store) if name.endswith(".json")]) == 1


def test_add_path_stores_a_changed_file_again(store: FileStore, tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_bytes(b"one")
    first = store.add_path(source)
    source.write_bytes(b"three")
    second = store.add_path(source)
    assert second.id != first.id
    assert second.path.read_bytes() == b"three"
    # Same size, new modification time.
    source.write_bytes(b"FOUR!")
    before = source.stat()
    os.utime(source, ns=(before.st_atime_ns, before.st_mtime_ns + 5_000_000_000))
    third = store.add_path(source)
    assert third.id not in (first.id, second.id)
    assert third.path.read_bytes() == b"FOUR!"
    assert first.path.read_bytes() == b"one"


def test_add_path_stores_again_once_the_copy_expired(store: FileStore, tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_bytes(b"hello")
    first = store.add_path(source)
    age(store, first.id, 7200)
    second = store.add_path(source)
    assert second.id != first.id
    assert store.get(second.id) == second


def test_add_path_of_a_missing_file_raises_and_leaves_nothing(
    store: FileStore, tmp_path: Path
) -> None:
    with pytest.raises(FileNotFoundError):
        store.add_path(tmp_path / "missing.txt")
    assert entries(store) == []


def test_add_bytes(store: FileStore) -> None:
    stored = store.add_bytes(PNG, "image")
    assert (stored.name, stored.mime, stored.kind, stored.size) == (
        "image.png",
        "image/png",
        "image",
        len(PNG),
    )
    assert stored.path.read_bytes() == PNG
    assert store.get(stored.id) == stored


def test_add_bytes_claimed_audio_webm(store: FileStore) -> None:
    webm = b"\x1a\x45\xdf\xa3" + b"\x00" * 40
    assert store.add_bytes(webm, "clip", "audio/webm").kind == "audio"
    assert store.add_bytes(webm, "clip", "video/webm").kind == "video"


def test_add_bytes_dedupes_by_key(store: FileStore) -> None:
    first = store.add_bytes(b"data", "a.txt", key=("url", "https://example.org/a.txt"))
    again = store.add_bytes(b"other", "b.txt", key=("url", "https://example.org/a.txt"))
    assert again == first
    assert again.path.read_bytes() == b"data"
    other = store.add_bytes(b"data", "a.txt", key=("url", "https://example.org/b.txt"))
    assert other.id != first.id


def test_add_bytes_without_a_key_always_stores(store: FileStore) -> None:
    assert store.add_bytes(b"x", "a.txt").id != store.add_bytes(b"x", "a.txt").id


def test_add_bytes_leaves_no_partial_files(store: FileStore) -> None:
    stored = store.add_bytes(b"x", "a.txt")
    assert entries(store) == sorted([stored.id, f"{stored.id}.json"])


def test_kept_files_have_content_derived_ids_and_never_expire(tmp_path: Path) -> None:
    source = tmp_path / "example.png"
    source.write_bytes(PNG)
    first_worker = FileStore(tmp_path / "files", retention=60)
    kept = first_worker.add_kept(source)
    assert FILE_ID.match(kept.id)
    assert kept.keep
    # Another worker (or a restart) agrees on the id and reuses the stored file.
    second_worker = FileStore(tmp_path / "files", retention=60)
    assert second_worker.add_kept(source) == kept
    # Elsewhere, the same file gets the same id too.
    assert FileStore(tmp_path / "other", retention=60).add_kept(source).id == kept.id
    age(first_worker, kept.id, 10**6)
    assert first_worker.get(kept.id) is not None
    assert first_worker.sweep() == 0
    assert first_worker.get(kept.id) is not None
    # Other content, another id.
    source.write_bytes(PNG + b"more")
    assert FileStore(tmp_path / "third", retention=60).add_kept(source).id != kept.id


# -- clean-up --


async def test_sweep_removes_expired_files_and_old_partials(store: FileStore) -> None:
    expired = await receive(store, b"old", name="old.txt")
    live = await receive(store, b"new", name="new.txt")
    kept_source = store.root.parent / "kept.txt"
    kept_source.write_bytes(b"example")
    kept = store.add_kept(kept_source)
    age(store, expired.id, 7200)
    age(store, kept.id, 7200)
    old_partial = store.root / ".partial-abandoned"
    old_partial.write_bytes(b"half an upload")
    two_hours_ago = time.time() - 7200
    os.utime(old_partial, (two_hours_ago, two_hours_ago))
    fresh_partial = store.root / ".partial-arriving"
    fresh_partial.write_bytes(b"arriving now")

    assert store.sweep() == 1

    assert not (store.root / expired.id).exists()
    assert not (store.root / f"{expired.id}.json").exists()
    assert not old_partial.exists()
    assert fresh_partial.exists()
    assert store.get(live.id) == live
    assert live.path.read_bytes() == b"new"
    assert store.get(kept.id) is not None
    assert store.sweep() == 0


async def test_sweep_goes_on_past_corrupt_meta(store: FileStore) -> None:
    expired = await receive(store, b"old")
    age(store, expired.id, 7200)
    (store.root / "garbage.json").write_text("{not json")
    (store.root / f"{new_id()}.json").write_text('{"created": "yesterday"}')
    (store.root / "notes.txt").write_text("an unrelated file")
    assert store.sweep() == 1
    assert not (store.root / expired.id).exists()
    assert (store.root / "notes.txt").exists()


async def test_sweep_removes_only_folders_named_by_ids(store: FileStore) -> None:
    store.ensure()
    victim = store.root / "victim"
    victim.mkdir()
    (victim / "important.txt").write_text("keep me")
    (store.root / "victim.json").write_text(json.dumps({"created": 0}))
    (store.root / "..json").write_text(json.dumps({"created": 0}))
    store.sweep()
    assert (victim / "important.txt").read_text() == "keep me"
    assert (store.root / "victim.json").exists()


def test_sweep_counts_only_what_it_removed(store: FileStore) -> None:
    store.ensure()
    (store.root / "victim.json").write_text(json.dumps({"created": 0}))
    assert store.sweep() == 0


def test_sweep_of_a_missing_store(tmp_path: Path) -> None:
    assert FileStore(tmp_path / "never-created", retention=1).sweep() == 0


# -- permissions --


async def test_files_are_private_to_the_server(tmp_path: Path) -> None:
    store = FileStore(tmp_path / "files", retention=60)
    stored = await receive(store, b"secret")
    returned = store.add_bytes(PNG, "image")
    assert stat.S_IMODE(store.root.stat().st_mode) == 0o700
    for file in (stored, returned):
        assert stat.S_IMODE(file.path.stat().st_mode) == 0o600
        assert stat.S_IMODE(file.path.parent.stat().st_mode) == 0o700


def test_copied_files_are_private_even_from_a_public_source(
    store: FileStore, tmp_path: Path
) -> None:
    source = tmp_path / "public.txt"
    source.write_bytes(b"x")
    source.chmod(0o644)
    stored = store.add_path(source)
    assert stat.S_IMODE(stored.path.stat().st_mode) == 0o600


# -- parts --


async def test_part_of_a_stored_file(store: FileStore) -> None:
    png = await receive(store, PNG, name="cat.png")
    assert png.part("https://bot.example", "A cat") == {
        "type": "file",
        "kind": "image",
        "id": png.id,
        "url": f"https://bot.example/api/files/{png.id}",
        "name": "cat.png",
        "size": len(PNG),
        "mime": "image/png",
        "alt": "A cat",
    }
    svg = await receive(store, SVG, name="drawing.svg")
    # SVG is an image, but not one shown inline: it is a download.
    assert svg.kind == "image"
    assert not svg.inline
    assert svg.part("")["kind"] == "file"
    text = await receive(store, b"hi", name="a.txt")
    assert text.part("")["kind"] == "text"


async def test_an_upload_keeps_a_digest_of_its_owners_key(store: FileStore) -> None:
    owner = owner_of("alice-0123456789abcdefghij")
    stored = await store.receive(
        chunks(b"notes"), name="a.txt", claimed="", limit=100, file_types=None, owner=owner
    )
    assert store.get(stored.id) == stored and stored.owner == owner
    assert "alice" not in (store.root / f"{stored.id}.json").read_text()
    assert stored.usable_by(owner)
    assert not stored.usable_by(owner_of("mallory-0123456789abcdefghij"))
    assert not stored.usable_by(None)
    unbound = await receive(store, b"notes")
    assert unbound.owner is None and unbound.usable_by(None) and unbound.usable_by(owner)


async def test_a_meta_with_a_forged_owner_is_no_file(store: FileStore) -> None:
    stored = await receive(store, b"notes")
    meta_path = store.root / f"{stored.id}.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["owner"] = ["not", "a", "digest"]
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    assert store.get(stored.id) is None
