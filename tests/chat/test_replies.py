from __future__ import annotations

import io
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
import pytest
from PIL import Image as PILImage

import backend as gr
from backend.chat.answers import Part, contents
from backend.chat.outputs import Outputs
from backend.chat.replies import PartMaker, ReplyError, cut, is_text, reply_text
from backend.components.media import Component
from backend.files.store import FileStore, StoredFile

matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402 - after choosing the backend


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("Paris", "Paris"),
        ("  indented\n\tkept exactly  ", "  indented\n\tkept exactly  "),  # no cleandoc rewriting
        (None, ""),
        (42, "42"),
        (1.5, "1.5"),
        ({"role": "assistant", "content": "hi"}, "hi"),
        ({"content": "no role"}, "no role"),
    ],
)
def test_supported_values(value: Any, text: str) -> None:
    assert reply_text(value) == text


@pytest.mark.parametrize(
    "value", [object(), b"bytes", True, ["a", "b"], {"role": "user", "content": "x"}, {"x": 1}]
)
def test_other_values_name_the_problem(value: Any) -> None:
    with pytest.raises(ReplyError):
        reply_text(value)


# -- PartMaker: answers with files --

BASE = "https://bot.example"


@dataclass
class Made:
    maker: PartMaker
    store: FileStore
    media: Path


def write_wav(path: Path) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x00" * 80)


@pytest.fixture(name="made")
def _made(tmp_path: Path) -> Made:
    media = tmp_path / "media"
    media.mkdir()
    PILImage.new("RGB", (3, 2), (0, 255, 0)).save(media / "green.png")
    write_wav(media / "tone.wav")
    (media / "notes.txt").write_text("some notes")
    store = FileStore(tmp_path / "files", retention=3600)
    outputs = Outputs(store, [tmp_path], 10_000_000)
    return Made(PartMaker(outputs, BASE), store, media)


def check_file_part(made: Made, part: Part, kind: str, name: str, alt: str | None) -> StoredFile:
    assert part["type"] == "file"
    assert (part["kind"], part["name"], part["alt"]) == (kind, name, alt)
    assert part["url"] == BASE + "/api/files/" + part["id"]
    stored = made.store.get(part["id"])
    assert stored is not None
    assert (part["size"], part["mime"]) == (stored.size, stored.mime)
    return stored


@pytest.mark.parametrize(
    ("value", "text"),
    [("Hello", "Hello"), (None, ""), (7, "7"), ({"role": "assistant", "content": "hi"}, "hi")],
)
async def test_text_values_give_one_text_part(made: Made, value: Any, text: str) -> None:
    assert await made.maker.parts(value) == [{"type": "text", "text": text}]
    assert is_text(await made.maker.parts(value))


async def test_a_list_of_everything(made: Made) -> None:
    green = made.media / "green.png"
    tone = str(made.media / "tone.wav")
    red = PILImage.new("RGB", (4, 4), (255, 0, 0))
    figure = Figure(figsize=(1, 1), dpi=20)
    figure.add_subplot().plot([0, 1], [1, 0])
    value = [
        "Here you go:",
        gr.File(str(made.media / "notes.txt")),
        gr.Image(red, alt_text="A red square"),
        gr.HTML("<b>x</b>"),
        gr.Gallery([(red, "caption"), str(green)]),
        gr.Plot(figure),
        {"path": str(green), "alt_text": "a"},
        (tone,),
        {"role": "assistant", "content": gr.Audio(tone)},
        None,
    ]
    parts = await made.maker.parts(value)
    assert [part["type"] for part in parts] == [
        "text", "file", "file", "html", "gallery", "file", "file", "file", "file",
    ]  # fmt: skip
    assert parts[0] == {"type": "text", "text": "Here you go:"}
    notes = check_file_part(made, parts[1], "file", "notes.txt", None)
    assert notes.path.read_text() == "some notes"
    square = check_file_part(made, parts[2], "image", "image.png", "A red square")
    with PILImage.open(square.path) as decoded:
        assert decoded.size == (4, 4)
        assert decoded.convert("RGB").getpixel((0, 0)) == (255, 0, 0)
    assert parts[3] == {"type": "html", "html": "<b>x</b>"}
    gallery = parts[4]
    assert gallery["label"] is None
    assert len(gallery["items"]) == 2
    check_file_part(made, gallery["items"][0], "image", "image.png", "caption")
    first_green = check_file_part(made, gallery["items"][1], "image", "green.png", None)
    assert first_green.path.read_bytes() == green.read_bytes()
    plot = check_file_part(made, parts[5], "image", "plot.png", None)
    assert plot.path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    again_green = check_file_part(made, parts[6], "image", "green.png", "a")
    assert again_green.id == first_green.id  # the same unchanged file is stored once
    check_file_part(made, parts[7], "audio", "tone.wav", None)
    check_file_part(made, parts[8], "audio", "tone.wav", None)
    assert parts[7]["id"] == parts[8]["id"]

    assert contents(parts) == [
        "Here you go:",
        (parts[1]["id"],),
        (parts[2]["id"],),
        "<b>x</b>",
        (gallery["items"][0]["id"],),
        (gallery["items"][1]["id"],),
        (parts[5]["id"],),
        (parts[6]["id"],),
        (parts[7]["id"],),
        (parts[8]["id"],),
    ]


async def test_a_single_component_is_a_list_of_parts(made: Made) -> None:
    parts = await made.maker.parts(gr.Image(str(made.media / "green.png"), label="Green"))
    assert len(parts) == 1
    check_file_part(made, parts[0], "image", "green.png", "Green")
    assert not is_text(parts)


async def test_labels_and_alt_texts(made: Made) -> None:
    green = str(made.media / "green.png")
    tone = str(made.media / "tone.wav")
    parts = await made.maker.parts(
        [
            gr.Image(green, alt_text="alt wins", label="label"),
            gr.Audio(tone, label="A tone"),
            gr.File(green, label="Download"),
            (green, "tuple alt"),
            (green, 42),
            {"path": green, "alt_text": 42},
        ]
    )
    assert [part["alt"] for part in parts] == [
        "alt wins", "A tone", "Download", "tuple alt", None, None,
    ]  # fmt: skip


async def test_a_file_component_with_several_files(made: Made) -> None:
    files = [str(made.media / "notes.txt"), str(made.media / "green.png")]
    parts = await made.maker.parts(gr.File(files))
    assert [part["name"] for part in parts] == ["notes.txt", "green.png"]
    assert [part["kind"] for part in parts] == ["file", "file"]  # gr.File: download chips


async def test_video_parts(made: Made) -> None:
    clip = made.media / "clip.mp4"
    clip.write_bytes(b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00" * 64)
    (part,) = await made.maker.parts(gr.Video(str(clip)))
    check_file_part(made, part, "video", "clip.mp4", None)


async def test_array_media(made: Made) -> None:
    image = np.zeros((2, 5, 3), dtype=np.uint8)
    audio = (8000, np.zeros(80, dtype=np.float32))
    parts = await made.maker.parts([gr.Image(image), gr.Audio(audio)])
    picture = check_file_part(made, parts[0], "image", "image.png", None)
    with PILImage.open(picture.path) as decoded:
        assert decoded.size == (5, 2)
    check_file_part(made, parts[1], "audio", "audio.wav", None)


async def test_empty_components_give_no_parts(made: Made) -> None:
    assert (
        await made.maker.parts([gr.Image(None), gr.Audio(), gr.File(None), gr.Gallery([])]) == []
    )
    assert await made.maker.parts([gr.File([]), gr.Plot(None), gr.Video(None)]) == []
    assert await made.maker.parts(gr.HTML(None)) == [{"type": "html", "html": ""}]
    assert made.store.sweep() == 0
    assert not made.store.root.exists() or not list(made.store.root.glob("*.json"))


async def test_a_gallery_label(made: Made) -> None:
    green = str(made.media / "green.png")
    (part,) = await made.maker.parts(gr.Gallery([green, (green, None)], label="Greens"))
    assert part["label"] == "Greens"
    assert [item["alt"] for item in part["items"]] == [None, None]


async def test_a_list_of_texts_gives_text_parts(made: Made) -> None:
    parts = await made.maker.parts(["one", "two", {"content": "three"}])
    assert parts == [
        {"type": "text", "text": "one"},
        {"type": "text", "text": "two"},
        {"type": "text", "text": "three"},
    ]
    assert not is_text(parts)


async def test_errors_name_the_list_item(made: Made) -> None:
    with pytest.raises(ReplyError, match=r"^item 2 of the returned list: .*PosixPath"):
        await made.maker.parts(["fine", gr.HTML("fine"), Path("/etc/passwd")])
    with pytest.raises(ReplyError, match=r"^item 1 of the returned list: .*outside"):
        await made.maker.parts(["fine", {"path": "/etc/passwd"}])
    with pytest.raises(ReplyError, match=r"^item 0 of the returned list: .*matplotlib"):
        await made.maker.parts([gr.Plot(object())])
    with pytest.raises(ReplyError, match=r"^item 1 of the returned list: .*no such file"):
        await made.maker.parts([None, gr.Image(str(made.media / "missing.png"))])


@pytest.mark.parametrize(
    "value",
    [
        Path("/etc/passwd"),
        io.BytesIO(b"a file object named ../../../../tmp/pwn.txt"),
        object(),
        b"\x89PNG",
        True,
        {"x": 1},
        {"role": "user", "content": "x"},
        ("a", "b", "c"),
        (),
        {"path": "/etc/passwd"},
        gr.Image("/etc/passwd"),
        gr.File(str(Path("/etc/passwd"))),
        gr.Gallery(["/etc/passwd"]),
    ],
)
async def test_values_that_cannot_be_shown(made: Made, value: Any) -> None:
    with pytest.raises(ReplyError) as caught:
        await made.maker.parts(value)
    assert not str(caught.value).startswith("item ")
    assert not made.store.root.exists() or not list(made.store.root.glob("*.json"))


async def test_only_assistant_messages(made: Made) -> None:
    green = str(made.media / "green.png")
    with pytest.raises(ReplyError, match="role 'assistant'"):
        await made.maker.parts({"role": "user", "content": gr.Image(green)})
    with pytest.raises(ReplyError, match="item 1 .*role 'assistant'"):
        await made.maker.parts(["x", {"role": "system", "content": "obey"}])


async def test_a_path_string_is_text_not_a_file(made: Made) -> None:
    # ATTACKS E-6: returning "/etc/passwd" shows the text.
    assert await made.maker.parts("/etc/passwd") == [{"type": "text", "text": "/etc/passwd"}]
    assert await made.maker.parts(["/etc/passwd"]) == [{"type": "text", "text": "/etc/passwd"}]


async def test_the_base_component_cannot_be_shown(made: Made) -> None:
    with pytest.raises(ReplyError, match="cannot be shown"):
        await made.maker.parts(Component("x"))


@pytest.mark.parametrize(
    "value",
    [
        gr.Image(np.zeros((0, 0), dtype=np.uint8)),
        gr.Image(PILImage.new("CMYK", (2, 2))),  # PNG cannot hold CMYK: PIL raises OSError
        gr.Plot(Figure),  # the class: savefig is there but cannot be called like this
        gr.Audio((8000, np.zeros((4, 0), dtype=np.float32))),
    ],
)
async def test_every_bad_value_is_a_reply_error(made: Made, value: Any) -> None:
    # Anything else would escape answer_events, which ends the stream without an error event.
    with pytest.raises(ReplyError):
        await made.maker.parts(value)
    with pytest.raises(ReplyError, match="^item 1 of the returned list: "):
        await made.maker.parts(["text", value])


async def test_without_a_store_only_text(tmp_path: Path) -> None:
    maker = PartMaker(None, BASE)
    assert await maker.parts("hi") == [{"type": "text", "text": "hi"}]
    assert await maker.parts(None) == [{"type": "text", "text": ""}]
    image = tmp_path / "a.png"
    PILImage.new("RGB", (1, 1)).save(image)
    for value in (
        gr.Image(str(image)),
        {"path": str(image)},
        (str(image),),
        ["a", gr.File(str(image))],
    ):
        with pytest.raises(ReplyError, match="return text"):
            await maker.parts(value)


def test_contents() -> None:
    file = {"type": "file", "kind": "image", "id": "A" * 43}
    item = {"type": "file", "kind": "image", "id": "B" * 43}
    other = {"type": "file", "kind": "image", "id": "C" * 43}
    parts: list[Part] = [
        {"type": "text", "text": "look"},
        file,
        {"type": "gallery", "items": [item, other], "label": None},
        {"type": "html", "html": "<i>hi</i>"},
        {"type": "gallery", "items": [], "label": None},
        {"type": "text", "text": ""},
    ]
    assert contents(parts) == ["look", ("A" * 43,), ("B" * 43,), ("C" * 43,), "<i>hi</i>", ""]
    assert contents([]) == []


def test_cut_keeps_answers_that_fit() -> None:
    parts: list[Part] = [{"type": "text", "text": "abc"}, {"type": "text", "text": "de"}]
    assert cut(parts, 5) is None
    assert cut([], 5) is None


def test_cut_stops_at_the_limit_across_parts_with_a_note() -> None:
    file_part: Part = {"type": "file", "url": "u", "name": "n"}
    thought: Part = {"type": "text", "text": "abc", "metadata": {"title": "t"}}
    parts: list[Part] = [thought, file_part, {"type": "text", "text": "d" * 200}, file_part]
    shorter = cut(parts, 103)
    assert shorter is not None
    assert shorter[:2] == [thought, file_part]  # whole parts before the limit stay as they are
    assert shorter[2]["text"].startswith("d" * 40)
    assert shorter[2]["text"].endswith("longer than 103 characters.]*")
    assert len(shorter[2]["text"]) == 100  # the note fits: 3 + 100 = the limit
    assert len(shorter) == 3  # nothing after the cut
    assert parts[2]["text"] == "d" * 200  # the input is left alone


def test_cut_counts_html_parts_too() -> None:
    parts: list[Part] = [{"type": "html", "html": "<p>" + "x" * 500 + "</p>"}]
    shorter = cut(parts, 100)
    assert shorter is not None and len(shorter[0]["html"]) == 100
    assert "Answer cut" in shorter[0]["html"]


def test_a_tiny_limit_still_cuts_within_it() -> None:
    shorter = cut([{"type": "text", "text": "x" * 50}], 10)
    assert shorter is not None and len(shorter[0]["text"]) == 10


async def test_a_base_url_given_as_a_callable_is_made_once_when_a_file_needs_it(
    made: Made,
) -> None:
    """The chat route gives the request's URL as what makes it: text answers never need it."""
    calls: list[str] = []

    def base_url() -> str:
        calls.append(BASE)
        return BASE

    maker = PartMaker(made.maker.outputs, base_url)
    assert await maker.parts("Hello") == [{"type": "text", "text": "Hello"}]
    assert calls == []
    green = str(made.media / "green.png")
    for _ in range(2):
        (part,) = await maker.parts(gr.Image(green))
        check_file_part(made, part, "image", "green.png", None)
    assert calls == [BASE]
