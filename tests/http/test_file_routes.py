"""Uploads, the file route, and files in chat requests and answers (docs/protocol.md, "Files")."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from quart import Quart
from quart.typing import TestClientProtocol as Client

import backend as gr
from backend import ChatInterface, Settings, create_app
from tests.helpers import answer_parts, parse_events

PNG = (Path(__file__).parent.parent / "e2e" / "apps" / "media" / "checker.png").read_bytes()
WAV = (Path(__file__).parent.parent / "e2e" / "apps" / "media" / "tone.wav").read_bytes()
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'

Calls = list[tuple[Any, list[dict[str, Any]]]]


def multimodal_app(tmp_path: Path, calls: Calls, **textbox: Any) -> Quart:
    def fn(message: Any, history: list[dict[str, Any]]) -> Any:
        calls.append((message, history))
        files = message["files"]
        return [f"{message['text']}: {len(files)} file(s)", *(gr.File(f) for f in files)]

    interface = ChatInterface(fn, multimodal=True, textbox=gr.MultimodalTextbox(**textbox))
    settings = Settings.from_mapping(
        {"flush_interval": 0.0, "upload_dir": str(tmp_path / "files"), "max_file_size": 32768}
    )
    return create_app(interface, settings)


@pytest.fixture(name="calls")
def _calls() -> Calls:
    return []


@pytest.fixture(name="client")
async def _client(tmp_path: Path, calls: Calls) -> AsyncIterator[Client]:
    app = multimodal_app(tmp_path, calls, file_count="multiple")
    async with app.test_app() as test_app:
        yield test_app.test_client()


async def upload(
    client: Client,
    data: bytes,
    name: str,
    content_type: str = "application/octet-stream",
    **headers: str,
) -> tuple[int, dict[str, Any]]:
    response = await client.post(
        "/api/upload",
        query_string={"name": name},
        data=data,
        headers={"Content-Type": content_type, **headers},
    )
    return response.status_code, json.loads(await response.get_data(as_text=False))


async def chat(client: Client, body: Any, **headers: str) -> tuple[int, bytes]:
    response = await client.post(
        "/api/chat",
        data=json.dumps(body),
        headers={"Content-Type": "application/json", **headers},
    )
    return response.status_code, await response.get_data(as_text=False)


# -- uploads --


async def test_upload_stores_by_random_id(client: Client, tmp_path: Path) -> None:
    status, body = await upload(client, PNG, "../../etc/cat.png", "image/png")
    assert status == 201
    assert body["name"] == "_.._etc_cat.png"
    assert (body["size"], body["mime"], body["kind"]) == (len(PNG), "image/png", "image")
    assert len(body["id"]) == 43 and body["url"].endswith("/api/files/" + body["id"])
    stored = list((tmp_path / "files").glob("*/*"))
    assert [path.read_bytes() for path in stored] == [PNG]
    assert not list((tmp_path / "files").glob(".partial-*"))
    # The bytes come back as they went in, inline (a raster image), never sniffed.
    response = await client.get(f"/api/files/{body['id']}")
    assert response.status_code == 200
    assert await response.get_data(as_text=False) == PNG
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response.headers["Content-Disposition"].startswith("inline;")


async def test_distinct_ids_for_the_same_bytes(client: Client) -> None:
    ids = {(await upload(client, PNG, "a.png"))[1]["id"] for _ in range(20)}
    assert len(ids) == 20


async def test_svg_with_a_script_is_served_as_an_attachment(client: Client) -> None:
    status, body = await upload(client, SVG, "pic.svg", "image/svg+xml")
    assert status == 201 and body["mime"] == "image/svg+xml"
    response = await client.get(f"/api/files/{body['id']}", headers={"Accept": "text/html"})
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (SVG, "x.png", "file_type_not_allowed"),  # content does not match the name
        (b"<html><script>alert(1)</script></html>", "x.jpg", "file_type_not_allowed"),
        (b"", "empty.txt", "invalid_request"),
        (b"x" * 32769, "big.txt", "file_too_large"),
    ],
)
async def test_refused_uploads_leave_nothing(
    data: bytes, name: str, code: str, client: Client, tmp_path: Path
) -> None:
    status, body = await upload(client, data, name)
    assert body["code"] == code and status in (400, 413, 415, 422)
    assert not [p for p in (tmp_path / "files").rglob("*") if p.is_file()]


async def test_file_types_are_checked_by_content(tmp_path: Path) -> None:
    app = multimodal_app(tmp_path, [], file_types=["image", ".pdf"])
    async with app.test_app() as test_app:
        client = test_app.test_client()
        assert (await upload(client, PNG, "cat.png"))[0] == 201
        assert (await upload(client, b"%PDF-1.4 ...", "doc.pdf"))[0] == 201
        status, body = await upload(client, WAV, "song.wav", "audio/wav")
        assert (status, body["code"]) == (415, "file_type_not_allowed")
        # A picture of text named .png is still text.
        status, body = await upload(client, b"hello", "fake.png", "image/png")
        assert (status, body["code"]) == (415, "file_type_not_allowed")


async def test_with_the_microphone_recordings_pass_any_file_types(tmp_path: Path) -> None:
    app = multimodal_app(tmp_path, [], file_types=["image"], sources=["upload", "microphone"])
    async with app.test_app() as test_app:
        client = test_app.test_client()
        status, body = await upload(client, WAV, "recording.wav", "audio/wav")
        assert (status, body["kind"]) == (201, "audio")
        status, body = await upload(client, b"%PDF-1.4 ...", "doc.pdf")
        assert (status, body["code"]) == (415, "file_type_not_allowed")


@pytest.mark.parametrize(
    "content_type",
    ["application/json", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded"],
)
async def test_forms_and_json_are_not_uploads(content_type: str, client: Client) -> None:
    body = b'{"files":{"file":{"filepath":"/etc/passwd","originalFilename":"x.txt"}}}'
    status, envelope = await upload(client, body, "x.txt", content_type)
    assert (status, envelope["code"]) == (415, "unsupported_media_type")


async def test_compressed_uploads_are_refused(client: Client) -> None:
    response = await client.post(
        "/api/upload",
        data=b"\x1f\x8b...",
        headers={"Content-Type": "text/plain", "Content-Encoding": "gzip"},
    )
    assert response.status_code == 415


async def test_declared_length_over_the_limit_is_refused_before_reading(client: Client) -> None:
    response = await client.post(
        "/api/upload",
        data=b"x" * 10,
        headers={"Content-Type": "text/plain", "Content-Length": "99999999"},
    )
    assert response.status_code == 413


async def test_no_uploads_unless_multimodal(tmp_path: Path) -> None:
    app = create_app(
        ChatInterface(lambda m, h: m), Settings.from_mapping({"upload_dir": str(tmp_path)})
    )
    async with app.test_app() as test_app:
        status, body = await upload(test_app.test_client(), PNG, "cat.png")
    assert (status, body["code"]) == (404, "not_found")
    assert not list(tmp_path.iterdir())


# -- serving --


@pytest.mark.parametrize(
    "path",
    [
        "/api/files/" + "A" * 43,  # well formed, never issued
        "/api/files/../../backend/app.py",
        "/api/files/..%2f..%2fbackend%2fapp.py",
        "/api/files/%2e%2e%2fetc%2fpasswd",
        "/api/files/http:%2F%2F127.0.0.1:9%2F",
        "/api/files/" + "A" * 42,
        "/api/files/" + "A" * 10_000,
        "/api/files/%00",
        "/api/files/CON",
    ],
)
async def test_anything_but_a_live_id_is_404(path: str, client: Client) -> None:
    response = await client.get(path)
    assert response.status_code == 404
    assert json.loads(await response.get_data(as_text=False))["code"] == "not_found"


async def test_headers_ignore_the_query(client: Client) -> None:
    _, body = await upload(client, b"<p>hi</p>", "page.html", "text/html")
    response = await client.get(
        f"/api/files/{body['id']}", query_string={"mimeType": "text/html", "inline": "1"}
    )
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Content-Type"].startswith("text/html")
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"


async def test_names_with_quotes_and_newlines_cannot_inject_headers(client: Client) -> None:
    _, body = await upload(client, b"data", 'a"b;\r\nSet-Cookie: x=1.txt')
    response = await client.get(f"/api/files/{body['id']}")
    assert "Set-Cookie" not in response.headers
    assert "\n" not in response.headers["Content-Disposition"]


async def test_single_range_for_players(client: Client) -> None:
    _, body = await upload(client, WAV, "tone.wav", "audio/wav")
    response = await client.get(f"/api/files/{body['id']}", headers={"Range": "bytes=0-9"})
    assert response.status_code == 206
    assert await response.get_data(as_text=False) == WAV[:10]


@pytest.mark.parametrize(
    ("header", "status"),
    [
        ("bytes=" + "0-0," * 1000 + "0-0", 200),  # many ranges: the whole file, once
        ("bytes=0-1,4-5", 200),
        ("bytes=-5", 200),  # suffix ranges are ignored, never a crash
        ("bytes=5-2", 416),
        ("bytes=99999-", 416),
        ("items=0-1", 200),
    ],
)
async def test_odd_ranges_never_fail(header: str, status: int, client: Client) -> None:
    _, body = await upload(client, WAV, "tone.wav", "audio/wav")
    response = await client.get(f"/api/files/{body['id']}", headers={"Range": header})
    assert response.status_code == status
    if status == 200:
        assert await response.get_data(as_text=False) == WAV


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
async def test_files_are_read_only(method: str, client: Client) -> None:
    _, body = await upload(client, PNG, "a.png")
    response = await client.open(f"/api/files/{body['id']}", method=method, json=None)
    assert response.status_code == 405
    assert (await client.get(f"/api/files/{body['id']}")).status_code == 200


async def test_expired_files_are_gone(tmp_path: Path) -> None:
    interface = ChatInterface(lambda m, h: "ok", multimodal=True, delete_cache=(60, 0.01))
    app = create_app(interface, Settings.from_mapping({"upload_dir": str(tmp_path / "f")}))
    async with app.test_app() as test_app:
        client = test_app.test_client()
        _, body = await upload(client, PNG, "cat.png")
        import asyncio

        # Expiry is a matter of time, not of an event: the 0.01 s retention must pass, and a
        # sleep lasts at least its time.
        await asyncio.sleep(0.05)  # the retention passes (above)
        assert (await client.get(f"/api/files/{body['id']}")).status_code == 404
        status, data = await chat(client, {"message": {"text": "hi", "files": [body["id"]]}})
        assert (status, json.loads(data)["code"]) == (400, "unknown_file")
    assert not list((tmp_path / "f").glob("*/*"))


# -- files in chat requests --


async def test_fn_gets_paths_and_history_tuples(client: Client, calls: Calls) -> None:
    _, first = await upload(client, PNG, "cat.png")
    _, second = await upload(client, WAV, "tone.wav", "audio/wav")
    body = {
        "message": {"text": "look", "files": [second["id"]]},
        "history": [
            {"role": "user", "content": {"file": first["id"]}},
            {"role": "user", "content": "what is this?"},
            {"role": "assistant", "content": "a cat"},
        ],
    }
    status, data = await chat(client, body)
    assert status == 200
    message, history = calls[0]
    assert message["text"] == "look" and len(message["files"]) == 1
    assert Path(message["files"][0]).read_bytes() == WAV
    assert Path(message["files"][0]).name == "tone.wav"
    assert isinstance(history[0]["content"], tuple) and len(history[0]["content"]) == 1
    assert Path(history[0]["content"][0]).read_bytes() == PNG
    assert history[1:] == [
        {"role": "user", "content": "what is this?"},
        {"role": "assistant", "content": "a cat"},
    ]
    # The answer: a text message, then the file (the upload itself, by the same id).
    parts = answer_parts(parse_events(data))
    assert parts[0] == {"type": "text", "text": "look: 1 file(s)"}
    assert parts[1]["type"] == "file" and parts[1]["id"] == second["id"]
    # gr.File shows a download chip whatever it holds (as Gradio does).
    assert parts[1]["kind"] == "file" and parts[1]["name"] == "tone.wav"
    assert parts[1]["mime"] == "audio/wav"


@pytest.mark.parametrize(
    "entry",
    [
        ["/etc/passwd"],
        {"file": "/etc/passwd"},
        {"file": "../x"},
        {"file": "http://169.254.169.254/latest/meta-data/"},
        {"file": "https://attacker.example/x.png"},
        {"path": "/etc/passwd"},
        {"file": {"path": "/app/.env"}},
        {"meta": {"_type": "gradio.FileData"}, "path": "/etc/passwd"},
        {"url": "http://127.0.0.1:9/"},
        {"file_id": "../../etc/passwd"},
        {"file": "A" * 43},  # well formed, never issued
    ],
)
async def test_forged_history_files_are_400_and_fn_is_not_called(
    entry: Any, client: Client, calls: Calls
) -> None:
    body = {"message": "hi", "history": [{"role": "user", "content": entry}]}
    status, data = await chat(client, body)
    assert status == 400
    assert json.loads(data)["code"] in ("invalid_file", "unknown_file")
    for message in ({"text": "hi", "files": [entry]}, {"text": "hi", "files": entry}):
        status, data = await chat(client, {"message": message})
        assert status in (400, 422)
    assert calls == []


async def test_file_count_single_allows_one(tmp_path: Path) -> None:
    calls: Calls = []
    app = multimodal_app(tmp_path, calls, file_count="single")
    async with app.test_app() as test_app:
        client = test_app.test_client()
        ids = [(await upload(client, PNG, "a.png"))[1]["id"] for _ in range(2)]
        status, data = await chat(client, {"message": {"text": "", "files": ids}})
        assert status == 422 and "at most 1" in json.loads(data)["error"]
        status, _ = await chat(client, {"message": {"text": "", "files": ids[:1]}})
        assert status == 200
    assert calls[0][0]["text"] == ""


async def test_a_message_needs_text_or_files(client: Client) -> None:
    status, data = await chat(client, {"message": {"text": "  ", "files": []}})
    assert status == 422 and json.loads(data)["error"] == "The message is empty."


# -- examples with files --


async def test_examples_with_files(tmp_path: Path) -> None:
    calls: Calls = []
    picture = Path(__file__).parent.parent / "e2e" / "apps" / "media" / "checker.png"

    def fn(message: Any, history: list[dict[str, Any]]) -> str:
        calls.append((message, history))
        return f"{len(message['files'])} file(s)"

    interface = ChatInterface(
        fn,
        multimodal=True,
        examples=[{"text": "Describe this", "files": [str(picture)]}, {"text": "No files"}],
    )
    settings = Settings.from_mapping({"flush_interval": 0.0, "upload_dir": str(tmp_path)})
    for _ in range(2):  # a restart (or another worker) gives the example file the same id
        app = create_app(interface, settings)
        async with app.test_app() as test_app:
            client = test_app.test_client()
            config = await (await client.get("/api/config")).get_json()
            [file] = config["examples"][0]["files"]
            assert (file["name"], file["kind"], file["size"]) == ("checker.png", "image", len(PNG))
            assert config["examples"][1]["files"] == []
            body = {"message": {"text": "Describe this", "files": [file["id"]]}, "example": 0}
            status, data = await chat(client, body)
            assert status == 200 and answer_parts(parse_events(data))[0]["text"] == "1 file(s)"
            assert Path(calls[-1][0]["files"][0]).read_bytes() == PNG
            # The example's index must come with the example's own files.
            body["message"] = {"text": "Describe this", "files": []}
            status, data = await chat(client, body)
            assert status == 422 and "example" in json.loads(data)["error"]
    assert len(list(tmp_path.glob("*.json"))) == 1


def test_example_files_need_multimodal_and_real_files(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="need multimodal=True"):
        ChatInterface(lambda m, h: m, examples=[{"text": "x", "files": ["cat.png"]}])
    with pytest.raises(ValueError, match="no such file"):
        ChatInterface(
            lambda m, h: m, multimodal=True, examples=[{"text": "x", "files": ["nope.png"]}]
        )


async def test_a_refused_origin_stores_nothing(tmp_path: Path) -> None:
    interface = ChatInterface(lambda m, h: "ok", multimodal=True)
    settings = Settings.from_mapping(
        {"upload_dir": str(tmp_path), "allowed_origins": "https://shop.example"}
    )
    app = create_app(interface, settings)
    async with app.test_app() as test_app:
        response = await test_app.test_client().post(
            "/api/upload",
            query_string={"name": "a.png"},
            data=PNG,
            headers={"Content-Type": "image/png", "Origin": "https://attacker.example"},
        )
    assert response.status_code == 403
    assert not list(tmp_path.iterdir())


# -- files bound to the visitor who uploaded them (ATTACKS.md H-8) --

ALICE = {"X-Visitor-Key": "alice-key-0123456789abcdef"}
MALLORY = {"X-Visitor-Key": "mallory-key-0123456789abcdef"}


async def test_only_the_uploader_may_send_a_file(
    client: Client, calls: Calls, tmp_path: Path
) -> None:
    status, body = await upload(client, PNG, "cat.png", "image/png", **ALICE)
    assert status == 201
    meta = json.loads((tmp_path / "files" / f"{body['id']}.json").read_text())
    assert meta["owner"] and ALICE["X-Visitor-Key"] not in json.dumps(meta)  # a digest only
    message = {"message": {"text": "look", "files": [body["id"]]}}
    history = {
        "message": {"text": "and?", "files": []},
        "history": [{"role": "user", "content": {"file": body["id"]}}],
    }
    for stranger in (MALLORY, {}):  # another visitor, or no key at all
        for sent in (message, history):
            status, data = await chat(client, sent, **stranger)
            assert status == 400 and json.loads(data)["code"] == "unknown_file"
    assert calls == []  # the function never saw Alice's file
    status, _ = await chat(client, message, **ALICE)
    assert status == 200
    status, _ = await chat(client, history, **ALICE)
    assert status == 200
    assert len(calls) == 2


async def test_a_bound_file_is_still_shown_by_its_url(client: Client) -> None:
    """Images load by URL (no headers): the id alone serves the bytes, as before."""
    _, body = await upload(client, PNG, "cat.png", "image/png", **ALICE)
    response = await client.get(f"/api/files/{body['id']}")
    assert response.status_code == 200 and await response.get_data() == PNG


async def test_uploads_without_a_key_are_anyones_who_has_the_id(
    client: Client, calls: Calls
) -> None:
    """API clients that send no key: the id is the capability (as for returned files)."""
    _, body = await upload(client, PNG, "cat.png", "image/png")
    status, _ = await chat(client, {"message": {"text": "x", "files": [body["id"]]}}, **MALLORY)
    assert status == 200 and len(calls) == 1


@pytest.mark.parametrize("key", ["short", "has space in it 0123456789", "é" * 30, "x" * 129])
async def test_a_malformed_visitor_key_is_400(key: str, client: Client) -> None:
    status, body = await upload(client, PNG, "cat.png", "image/png", **{"X-Visitor-Key": key})
    assert status == 400 and body["code"] == "bad_request"
    status, data = await chat(client, {"message": "hi"}, **{"X-Visitor-Key": key})
    assert status == 400 and "X-Visitor-Key" in json.loads(data)["error"]


async def test_a_bound_upload_returned_in_an_answer_is_a_copy_anyone_may_send(
    client: Client, calls: Calls
) -> None:
    """The fn returns the visitor's upload (this app answers with the files it got): the
    answer may be shown to others, so its file is an unbound copy under a new id."""
    _, body = await upload(client, PNG, "cat.png", "image/png", **ALICE)
    status, data = await chat(client, {"message": {"text": "x", "files": [body["id"]]}}, **ALICE)
    assert status == 200
    returned = next(part for part in answer_parts(parse_events(data)) if part["type"] == "file")
    assert returned["id"] != body["id"]
    later = {
        "message": {"text": "y", "files": []},
        "history": [{"role": "assistant", "content": {"file": returned["id"]}}],
    }
    status, _ = await chat(client, later, **MALLORY)
    assert status == 200
