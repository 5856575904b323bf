"""The HTTP contract of docs/protocol.md, through Quart's test client."""

from __future__ import annotations

import asyncio
import gc
import gzip
import json
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from quart import Quart
from quart.typing import TestClientProtocol as Client
from werkzeug.datastructures import Headers

import backend
from tests.conftest import make_app
from tests.helpers import (
    Event,
    answer_text,
    complete_events,
    parse_events,
    slow_counter,
    streamed_events,
    until,
)
from tests.waiting import LIVENESS

History = list[dict[str, Any]]


async def chat(client: Client, body: Any, **headers: str) -> tuple[int, Headers, bytes]:
    raw = body if isinstance(body, (bytes, str)) else json.dumps(body)
    response = await client.post(
        "/api/chat",
        data=raw,
        headers={
            "Content-Type": "application/json",
            "Accept-Encoding": "identity",
            **headers,
        },
    )
    return (
        response.status_code,
        response.headers,
        await response.get_data(as_text=False),
    )


async def events_of(fn: Any, body: Any = None, **settings: Any) -> list[Event]:
    app = make_app(fn, **settings)
    async with app.test_app() as test_app:
        status, _, data = await chat(test_app.test_client(), body or {"message": "hello"})
    assert status == 200
    return parse_events(data)


def assert_envelope(data: bytes, status: int, code: str) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(data)
    assert body == {"ok": False, "status": status, "code": code, "error": body["error"]}
    assert isinstance(body["error"], str) and body["error"]
    return body


# -- the stream --


async def test_chat_streams_start_deltas_and_done(client: Client) -> None:
    status, headers, data = await chat(
        client, {"message": "hi", "history": [{"role": "user", "content": "a"}]}
    )
    assert status == 200
    assert headers["Content-Type"].startswith("text/event-stream")
    assert headers["Cache-Control"].startswith("no-cache")
    assert headers["X-Accel-Buffering"] == "no"
    events = parse_events(data)
    assert events[0].event == "start" and events[0].data["protocol"] == 1
    assert events[0].data["stream"] == headers["X-Stream-Id"]
    assert [e.id for e in events] == [str(i) for i in range(len(events))]
    assert events[-1].event == "done"
    assert answer_text(events) == "echo: hi (1 earlier)"


async def test_growing_yields_become_appends_and_rewrites_replace() -> None:
    # Each yield waits until the client has the one before: none is merged into the next.
    got = [asyncio.Event() for _ in range(2)]

    async def fn(message: str, history: History) -> AsyncIterator[str]:
        for index, text in enumerate(("Hel", "Hello", "Bye")):
            yield text
            if index < len(got):
                await got[index].wait()

    def received(events: list[Event]) -> None:
        for step in got[: len([e for e in events if e.event == "message"])]:
            step.set()

    events = await streamed_events(make_app(fn), {"message": "hello"}, received)
    deltas = [e.data for e in events if e.event == "message"]
    assert deltas[-1] == {"replace": "Bye"}
    assert deltas[:2] == [{"append": "Hel"}, {"append": "lo"}]
    assert answer_text(events) == "Bye"


async def test_fast_yields_are_merged_into_few_deltas() -> None:
    def fn(message: str, history: History) -> Iterator[str]:
        text = ""
        for i in range(2000):
            text += f"tok{i} "
            yield text

    # An hour between deltas: whatever the machine's speed, the yields after the first delta
    # come during the pause, which ends when the function finishes.
    events = await asyncio.wait_for(events_of(fn, flush_interval=3600.0), LIVENESS)
    assert answer_text(events).endswith("tok1999 ")
    assert len(events) <= 4  # start, the first delta, the rest, done


async def test_backend_error_message_reaches_the_visitor() -> None:
    def fn(message: str, history: History) -> str:
        raise backend.Error("Please ask about tea.")

    events = await events_of(fn)
    assert events[-1].event == "error"
    assert events[-1].data == {
        "ok": False,
        "status": 500,
        "code": "chat_error",
        "error": "Please ask about tea.",
    }


async def test_other_exceptions_are_masked_and_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def fn(message: str, history: History) -> Iterator[str]:
        yield "partial"
        raise RuntimeError("SECRET-API-KEY=abc /srv/app/secret.py")

    events = await events_of(fn)
    assert answer_text(events) == "partial"
    assert events[-1].event == "error" and events[-1].data["code"] == "internal_error"
    dumped = json.dumps([e.data for e in events])
    assert "SECRET" not in dumped and "/srv" not in dumped and "Traceback" not in dumped
    assert "SECRET-API-KEY" in caplog.text  # the operator's log has it


async def test_unsupported_return_value_is_an_internal_error(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def fn(message: str, history: History) -> object:
        return object()

    events = await events_of(fn)
    assert events[-1].event == "error" and events[-1].data["code"] == "internal_error"
    assert "returned a object" in caplog.text


async def silent(message: str, history: History) -> AsyncIterator[str]:
    yield "thinking"
    await asyncio.Event().wait()  # a model that never says more
    yield "never"


async def test_keep_alive_while_silent() -> None:
    app = make_app(silent, heartbeat_interval=0.05, stream_idle_timeout=3600)
    async with app.test_app() as test_app:
        async with test_app.test_client().request(
            "/api/chat", method="POST", headers={"Content-Type": "application/json"}
        ) as connection:
            await connection.send(json.dumps({"message": "x"}).encode())
            await connection.send_complete()
            data = b""
            while b": keep-alive\n\n" not in data.partition(b'"thinking"')[2]:
                data += await asyncio.wait_for(connection.receive(), LIVENESS)
            await connection.disconnect()
    assert answer_text(complete_events(data)) == "thinking"


async def test_idle_timeout_ends_a_silent_stream_its_keep_alives_notwithstanding() -> None:
    app = make_app(silent, heartbeat_interval=0.05, stream_idle_timeout=0.3)
    async with app.test_app() as test_app:
        _, _, data = await asyncio.wait_for(
            chat(test_app.test_client(), {"message": "x"}), LIVENESS
        )
    events = parse_events(data)
    assert answer_text(events) == "thinking"
    assert events[-1].event == "error" and events[-1].data["code"] == "timeout"


async def test_max_duration_ends_a_chatty_stream() -> None:
    async def forever(message: str, history: History) -> AsyncIterator[str]:
        text = ""
        while True:
            text += "."
            await asyncio.sleep(0.01)  # plays a model that never stops talking
            yield text

    for flush_interval in (0.0, 0.04):  # merging on: news after every pause, still cut
        loop = asyncio.get_running_loop()
        started = loop.time()
        events = await asyncio.wait_for(
            events_of(forever, stream_max_duration=0.3, flush_interval=flush_interval), LIVENESS
        )
        assert events[-1].event == "error" and events[-1].data["code"] == "timeout"
        assert loop.time() - started >= 0.3  # cut at the limit, not before


async def test_quarts_response_timeout_does_not_cut_streams() -> None:
    async def slow(message: str, history: History) -> AsyncIterator[str]:
        for text in ("one", "one two", "one two three"):
            await asyncio.sleep(0.15)  # plays a slow model: at least 0.45 s, past Quart's limit
            yield text

    app = make_app(slow)
    app.config["RESPONSE_TIMEOUT"] = 0.1  # Quart's default (60 s) would cut long answers
    async with app.test_app() as test_app:
        _, _, data = await chat(test_app.test_client(), {"message": "x"})
    events = parse_events(data)
    assert events[-1].event == "done" and answer_text(events) == "one two three"


async def test_stream_is_gzipped_when_accepted(client: Client) -> None:
    status, headers, data = await chat(client, {"message": "zip"}, **{"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert answer_text(parse_events(data, gzipped=True)) == "echo: zip (0 earlier)"


async def test_disconnect_closes_the_generator() -> None:
    closed = asyncio.Event()
    app = make_app(slow_counter(closed))
    async with app.test_app() as test_app:
        client = test_app.test_client()
        async with client.request(
            "/api/chat", method="POST", headers={"Content-Type": "application/json"}
        ) as connection:
            await connection.send(json.dumps({"message": "x"}).encode())
            await connection.send_complete()
            await connection.receive()
            await connection.disconnect()
        await asyncio.wait_for(closed.wait(), LIVENESS)  # set when closed before its end


# -- refusals --


@pytest.mark.parametrize(
    ("body", "status", "code", "fragment"),
    [
        (b"{\"message\":", 400, "bad_json", "not valid JSON"),
        (b"[" * 50_000 + b"]" * 50_000, 400, "bad_json", "nested"),
        (b"\xff\xfe", 400, "bad_json", "UTF-8"),
        (b'{"message": NaN}', 400, "bad_json", "JSON"),
        (b"null", 422, "invalid_request", "object"),
        (b'["hi"]', 422, "invalid_request", "object"),
        (b"{}", 422, "invalid_request", "missing"),
        (b'{"message": ""}', 422, "invalid_request", "empty"),
        (b'{"message": "   "}', 422, "invalid_request", "empty"),
        (b'{"message": {"path": "/etc/passwd"}}', 422, "invalid_request", "string"),
        (b'{"message": "\\ud800"}', 422, "invalid_request", "invalid characters"),
        (b'{"message": "hi", "system_prompt": "x"}', 422, "invalid_request", "Unknown field"),
        (b'{"message": "hi", "history": "x"}', 422, "invalid_request", "list"),
        (b'{"message": "hi", "history": [{"role": "system", "content": "x"}]}',
         422, "invalid_request", "role"),
        (b'{"message": "hi", "history": [{"role": "user", "content": ["/etc/passwd"]}]}',
         400, "invalid_file", "id this server gave it"),
        (b'{"message": "hi", "history": [{"role": "user", "content": "x", "path": "/"}]}',
         422, "invalid_request", "exactly"),
        (b'{"message": "hi", "history": [1]}', 422, "invalid_request", "exactly"),
    ],
)  # fmt: skip
async def test_bad_bodies_get_clear_errors_and_never_reach_fn(
    body: bytes, status: int, code: str, fragment: str
) -> None:
    calls: list[str] = []

    def fn(message: str, history: History) -> str:
        calls.append(message)
        return "no"

    app = make_app(fn)
    async with app.test_app() as test_app:
        got, headers, data = await chat(test_app.test_client(), body)
    assert got == status
    assert headers["Content-Type"] == "application/json"
    assert fragment in assert_envelope(data, status, code)["error"]
    assert calls == []


async def test_limits_on_message_and_history() -> None:
    app = make_app(
        lambda m, h: "ok",
        max_message_chars=10,
        max_history_messages=2,
        max_history_entry_chars=5,
    )
    async with app.test_app() as test_app:
        client = test_app.test_client()
        status, _, data = await chat(client, {"message": "x" * 11})
        assert status == 422 and "limit is 10" in json.loads(data)["error"]
        many = [{"role": "user", "content": "a"}] * 3
        status, _, data = await chat(client, {"message": "hi", "history": many})
        assert status == 422 and "limit is 2" in json.loads(data)["error"]
        big = [{"role": "assistant", "content": "123456"}]
        status, _, data = await chat(client, {"message": "hi", "history": big})
        assert status == 422 and "history[0].content" in json.loads(data)["error"]
        status, _, _ = await chat(client, {"message": "x" * 10, "history": many[:2]})
        assert status == 200


async def test_body_over_the_limit_is_413() -> None:
    app = make_app(lambda m, h: "ok", max_body_bytes=1000)
    async with app.test_app() as test_app:
        client = test_app.test_client()
        status, _, data = await chat(client, {"message": "x" * 2000})
        assert status == 413
        assert "1000 bytes" in assert_envelope(data, 413, "body_too_large")["error"]
    # (a chunked body without Content-Length is tested against real Hypercorn in test_server)


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "",
    ],
)
async def test_only_json_bodies_reach_fn(content_type: str, client: Client) -> None:
    response = await client.post(
        "/api/chat", data='{"message": "hi"}', headers={"Content-Type": content_type}
    )
    assert response.status_code == 415
    assert_envelope(await response.get_data(as_text=False), 415, "unsupported_media_type")


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("GET", "/nope", 404, "not_found"),
        ("GET", "/api/chat", 405, "method_not_allowed"),
        ("GET", "/../../etc/passwd", 404, "not_found"),
        ("GET", "/index.html", 404, "not_found"),  # no site without the demo
        ("DELETE", "/api/config", 405, "method_not_allowed"),
    ],
)
async def test_every_error_has_the_envelope(
    method: str, path: str, status: int, code: str, client: Client
) -> None:
    response = await client.open(path, method=method, json=None)
    assert response.status_code == status
    assert_envelope(await response.get_data(as_text=False), status, code)


# -- config and widget --


async def test_config(client: Client) -> None:
    response = await client.get("/api/config")
    assert response.status_code == 200
    config = await response.get_json()
    assert len(config["app"]) == 12
    assert config == {
        "protocol": 1,
        "title": "Test bot",
        "description": None,
        "placeholder": None,
        "label": None,
        "examples": [],
        "examples_label": "Examples",
        "run_examples_on_click": True,
        "chatbot": {
            "height": None,
            "min_height": None,
            "max_height": None,
            "rtl": False,
            "render_markdown": True,
            "buttons": ["share", "copy", "copy_all"],
            "show_copy_button": True,
            "watermark": None,
            "like_user_message": False,
            "group_consecutive_messages": True,
            "allow_tags": True,
            "line_breaks": True,
            "layout": "bubble",
            "resizable": False,
            "allow_file_downloads": True,
            "feedback_value": None,
            "editable": None,
            "autoscroll": True,
            "show_progress": "minimal",
            "avatar_images": [None, None],
            "value": [],
            "latex_delimiters": [{"left": "$$", "right": "$$", "display": True}],
        },
        "textbox": {
            "placeholder": None,
            "max_length": None,
            "lines": 1,
            "max_lines": 20,
            "autofocus": False,
            "focus_on_open": True,
            "submit_btn": True,
            "stop_btn": True,
        },
        "theme": None,
        "app": config["app"],
        "save_history": False,
        "editable": False,
        "flagging": None,
        "css": "",
        "multimodal": None,
        "additional_inputs": None,
        "additional_outputs": [],
        "layout": {"above": [], "below": [], "accordion": []},
        "events": None,
        "greeting": None,
        "locale": None,
        "notice": None,
        "consent": None,
        "privacy_url": None,
        "limits": {
            "max_message_chars": 16000,
            "max_history_messages": 200,
            "max_history_entry_chars": 100000,
            "max_body_bytes": 1048576,
        },
        "login": None,
        "server_history": False,
        "server_copy": False,
    }
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


async def test_config_gzipped_when_accepted(client: Client) -> None:
    plain = await client.get("/api/config")
    assert "Content-Encoding" not in plain.headers
    zipped = await client.get("/api/config", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers.get_all("Vary")
    body = await zipped.get_data(as_text=False)
    assert json.loads(gzip.decompress(body)) == await plain.get_json()
    assert len(body) < len(await plain.get_data(as_text=False)) * 0.7


async def test_widget_js_with_etag_gzip_and_cache(tmp_path: Path) -> None:
    bundle = tmp_path / "widget.js"
    bundle.write_text("(()=>{console.log('hello widget')})();" * 50)
    app = make_app(lambda m, h: "", widget=bundle)
    async with app.test_app() as test_app:
        client = test_app.test_client()
        plain = await client.get("/widget.js", headers={"Accept-Encoding": "identity"})
        assert plain.status_code == 200
        assert plain.headers["Content-Type"] == "text/javascript"
        assert await plain.get_data(as_text=False) == bundle.read_bytes()
        assert "max-age=" in plain.headers["Cache-Control"]
        etag = plain.headers["ETag"]
        zipped = await client.get("/widget.js", headers={"Accept-Encoding": "gzip, br"})
        assert zipped.headers["Content-Encoding"] == "gzip"
        assert zipped.headers["Vary"] == "Accept-Encoding"
        body = await zipped.get_data(as_text=False)
        assert gzip.decompress(body) == bundle.read_bytes() and len(body) < bundle.stat().st_size
        again = await client.get("/widget.js", headers={"If-None-Match": etag})
        assert again.status_code == 304
        bundle.write_text("(()=>{})();")  # a rebuild is picked up, with a new ETag
        fresh = await client.get("/widget.js", headers={"If-None-Match": etag})
        assert fresh.status_code == 200 and fresh.headers["ETag"] != etag


async def test_widget_js_in_brotli_from_the_build(tmp_path: Path) -> None:
    """The build writes widget.js.br beside the script: sent to clients that accept br, never
    when it is older than the script (an earlier build's)."""
    bundle = tmp_path / "widget.js"
    bundle.write_text("(()=>{console.log('hello widget')})();" * 50)
    compressed = tmp_path / "widget.js.br"
    compressed.write_bytes(b"brotli bytes of the build")
    script = bundle.stat().st_mtime_ns
    os.utime(compressed, ns=(script, script))
    app = make_app(lambda m, h: "", widget=bundle)
    async with app.test_app() as test_app:
        client = test_app.test_client()
        br = await client.get("/widget.js", headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
        assert br.headers["Content-Encoding"] == "br" and br.headers["Vary"] == "Accept-Encoding"
        assert await br.get_data(as_text=False) == b"brotli bytes of the build"
        zipped = await client.get("/widget.js", headers={"Accept-Encoding": "gzip, br;q=0"})
        assert zipped.headers["Content-Encoding"] == "gzip"
        assert len({br.headers["ETag"], zipped.headers["ETag"]}) == 2  # one per coding
        for etag in (br.headers["ETag"], zipped.headers["ETag"]):
            again = await client.get("/widget.js", headers={"If-None-Match": etag})
            assert again.status_code == 304
        bundle.write_text("(()=>{})();")  # rebuilt, and the .br left from before
        os.utime(bundle, ns=(script + 10**9, script + 10**9))
        fresh = await client.get("/widget.js", headers={"Accept-Encoding": "br, gzip"})
        assert fresh.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(await fresh.get_data(as_text=False)) == b"(()=>{})();"


async def test_widget_not_built_is_a_clear_503(tmp_path: Path) -> None:
    app = make_app(lambda m, h: "", widget=tmp_path / "missing.js")
    async with app.test_app() as test_app:
        response = await test_app.test_client().get("/widget.js")
    assert response.status_code == 503
    assert (
        "make build"
        in assert_envelope(await response.get_data(as_text=False), 503, "widget_not_built")[
            "error"
        ]
    )


# -- CORS --


async def test_any_origin_by_default(client: Client) -> None:
    preflight = await client.options(
        "/api/chat",
        headers={
            "Origin": "https://shop.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert (
        preflight.headers["Access-Control-Allow-Headers"]
        == "Content-Type, Authorization, X-Visitor-Key, X-Chatbubble-User"
    )
    assert int(preflight.headers["Access-Control-Max-Age"]) <= 600
    status, headers, _ = await chat(client, {"message": "hi"}, Origin="https://shop.example")
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    "origin",
    [
        "https://evil.example",
        "https://allowed.example.evil.example",
        "http://allowed.example",
        "https://allowed.example:444",
        "null",
    ],
)
async def test_allowed_origins_refuse_others_before_fn(origin: str) -> None:
    calls: list[str] = []

    def fn(message: str, history: History) -> str:
        calls.append(message)
        return "ok"

    app = make_app(fn, allowed_origins="https://allowed.example,https://other.example")
    async with app.test_app() as test_app:
        client = test_app.test_client()
        status, headers, data = await chat(client, {"message": "hi"}, Origin=origin)
        assert status == 403
        assert "not allowed" in assert_envelope(data, 403, "origin_not_allowed")["error"]
        # readable by the refused page, so the bubble can say why
        assert headers["Access-Control-Allow-Origin"] == origin
        preflight = await client.options(
            "/api/chat",
            headers={"Origin": origin, "Access-Control-Request-Method": "POST"},
        )
        assert preflight.status_code == 403
        assert "Access-Control-Allow-Origin" not in preflight.headers
        config = await client.get("/api/config", headers={"Origin": origin})
        assert config.status_code == 403
        ok_status, ok_headers, _ = await chat(
            client, {"message": "hi"}, Origin="https://ALLOWED.example:443"
        )
        assert ok_status == 200
        assert ok_headers["Access-Control-Allow-Origin"] == "https://ALLOWED.example:443"
        assert "Origin" in ok_headers["Vary"]
    assert calls == ["hi"]


async def test_widget_chunks_are_served_by_name_only(app: Quart, client: Client) -> None:
    from backend.http.widget_asset import CHUNKS

    CHUNKS.mkdir(parents=True, exist_ok=True)
    chunk = CHUNKS / "test-chunk.js"
    chunk.write_text("(()=>{})();")
    try:
        response = await client.get("/widget/test-chunk.js", headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200 and response.headers["Content-Encoding"] == "gzip"
        assert response.headers["ETag"] and "max-age=" in response.headers["Cache-Control"]
        for bad in ("/widget/missing.js", "/widget/..%2Fwidget.js", "/widget/Test-Chunk.js"):
            assert (await client.get(bad)).status_code == 404
        for index in range(50):  # guessing names does not grow the server's memory
            assert (await client.get(f"/widget/guess-{index}.js")).status_code == 404
        assert list(app.extensions["chatbubble"].chunks) == ["test-chunk"]
    finally:
        chunk.unlink()


async def test_katex_fonts_are_served_by_name_only(client: Client) -> None:
    from backend.http.widget_asset import CHUNKS

    fonts = CHUNKS / "katex"
    fonts.mkdir(parents=True, exist_ok=True)
    font = fonts / "KaTeX_Test-Regular.woff2"
    font.write_bytes(b"wOF2" + bytes(60))
    try:
        response = await client.get(
            "/widget/katex/KaTeX_Test-Regular.woff2", headers={"Origin": "https://site.example"}
        )
        assert response.status_code == 200 and response.mimetype == "font/woff2"
        assert await response.get_data(as_text=False) == font.read_bytes()
        assert "immutable" in response.headers["Cache-Control"]
        assert response.headers["Access-Control-Allow-Origin"] == "*"  # fonts load with CORS
        for bad in (
            "/widget/katex/KaTeX_Missing.woff2",
            "/widget/katex/..%2F..%2Fwidget.woff2",
            "/widget/katex/other.woff2",
        ):
            assert (await client.get(bad)).status_code == 404
    finally:
        font.unlink()


async def test_the_last_delta_and_done_do_not_wait_for_the_flush_interval() -> None:
    async def fn(message: str, history: History) -> AsyncIterator[str]:
        yield "Hel"
        await asyncio.sleep(0.05)  # plays a slow model
        yield "Hello"

    # An hour's pause between deltas: only the function's end can end it within the bound.
    events = await asyncio.wait_for(events_of(fn, flush_interval=3600.0), LIVENESS)
    assert answer_text(events) == "Hello"
    assert events[-1].event == "done"


async def test_a_finished_answer_keeps_only_its_events() -> None:
    """Finished answers are kept a while for late reattaches; they must not keep their
    request (its context, app context, body...) alive with them."""

    async def fn(message: str, history: History) -> AsyncIterator[str]:
        for word in ("a ", "b ", "c"):
            await asyncio.sleep(0)  # an await point, as a model call has: waits for no time
            yield word

    app = make_app(fn, flush_interval=0.0, message_rate_limit=0)
    async with app.test_app() as test_app:
        client = test_app.test_client()
        await chat(client, {"message": "warm up"})
        tasks = asyncio.all_tasks()
        gc.collect()
        before = len(gc.get_objects())
        for _ in range(100):
            status, _, _ = await chat(client, {"message": "hello"})
            assert status == 200
        await until(lambda: asyncio.all_tasks() <= tasks, "the answers' tasks ended")
        gc.collect()
        kept = (len(gc.get_objects()) - before) / 100
    assert kept < 15, f"{kept:.1f} objects kept per finished answer"


async def test_an_answer_longer_than_the_limit_is_cut_and_its_function_closed() -> None:
    closed = asyncio.Event()

    async def endless(message: str, history: History) -> AsyncIterator[str]:
        text = ""
        try:
            while True:
                text += "y" * 1000
                await asyncio.sleep(0)  # an await point, as a model call has: waits for no time
                yield text
        finally:
            closed.set()

    events = await events_of(endless, max_answer_chars=5000, flush_interval=0.01)
    text = answer_text(events)
    assert len(text) == 5000 and text.startswith("y" * 4900)  # the note fits in the limit
    assert text.endswith("longer than 5,000 characters.]*")
    assert events[-1].event == "done" and events[-1].data.get("truncated") is True
    await asyncio.wait_for(closed.wait(), LIVENESS)


async def test_the_answer_limit_can_be_lifted() -> None:
    def long(message: str, history: History) -> str:
        return "z" * 150_000

    events = await events_of(long, max_answer_chars=0)
    assert answer_text(events) == "z" * 150_000
    assert "truncated" not in events[-1].data
    capped = answer_text(await events_of(long))  # 100,000 by default
    assert len(capped) == 100_000 and capped.startswith("z" * 99_900)
