"""``gr.Request`` and ``gr.State`` through ``POST /api/chat`` and ``/v1``: each attribute of the
request the chat function (and the validator) gets, the widget's ``page`` and ``session``
fields checked, and State values kept per conversation, on the server only."""

from __future__ import annotations

import json
from typing import Any

from quart import Quart

import backend as gr
from backend import ChatInterface, Settings, create_app
from tests.conftest import FAST
from tests.helpers import answer_text, parse_events

PAGE = "https://shop.example/products/42?ref=news&tag=a&tag=b"
SESSION = "c0nversation-one"
KEY = "k" * 22
#: The test client's peer, as a socket would give it.
PEER = {"client": ("127.0.0.1", 50123)}


def seen(message: str, history: list[Any], request: gr.Request) -> str:
    return json.dumps(
        {
            "url": request.url,
            "path": request.url.path,
            "query": dict(request.query_params),
            "tags": request.query_params.getlist("tag"),
            "host": request.client.host,
            "port": request.client.port,
            "agent": request.headers["user-agent"],
            "visitor_key": request.headers.get("x-visitor-key"),
            "cookies": request.cookies,
            "session": request.session_hash,
            "username": request.username,
        }
    )


def app_of(interface: ChatInterface, **settings: Any) -> Quart:
    return create_app(interface, Settings.from_mapping({**FAST, **settings}))


async def ask(app: Quart, body: dict[str, Any], **headers: str) -> tuple[int, Any]:
    async with app.test_app() as test_app:
        response = await test_app.test_client().post(
            "/api/chat",
            data=json.dumps(body),
            headers={"Content-Type": "application/json", "Accept-Encoding": "identity", **headers},
            scope_base=PEER,
        )
        data = await response.get_data(as_text=False)
    if response.status_code != 200:
        return response.status_code, json.loads(data)
    return 200, parse_events(data)


async def test_the_function_gets_the_page_and_the_visitor() -> None:
    app = app_of(ChatInterface(seen), trusted_proxies=["127.0.0.1"])
    status, events = await ask(
        app,
        {"message": "hi", "page": PAGE + "#reviews", "session": SESSION},
        **{"User-Agent": "TestAgent/1", "X-Forwarded-For": "203.0.113.7",
           "X-Visitor-Key": KEY, "Cookie": "theme=dark"},
    )  # fmt: skip
    assert status == 200
    got = json.loads(answer_text(events))
    assert got["url"] == PAGE  # without its fragment
    assert got["path"] == "/products/42"
    assert got["query"] == {"ref": "news", "tag": "b"}
    assert got["tags"] == ["a", "b"]
    assert got["host"] == "203.0.113.7"  # through the trusted proxy
    assert got["port"] is None
    assert got["agent"] == "TestAgent/1"
    assert got["visitor_key"] is None  # our own credential stays ours
    assert got["cookies"] == {"theme": "dark"}
    assert got["session"] == SESSION
    assert got["username"] is None


async def test_an_untrusted_forwarded_for_is_ignored() -> None:
    status, events = await ask(
        app_of(ChatInterface(seen)), {"message": "hi"}, **{"X-Forwarded-For": "203.0.113.7"}
    )
    assert status == 200
    got = json.loads(answer_text(events))
    assert got["host"] == "127.0.0.1" and got["port"] == 50123
    # Without a page, url and query are this request's own; without a session, no hash.
    assert got["url"].endswith("/api/chat") and got["query"] == {}
    assert got["session"] is None


async def test_request_by_name_keyword_and_optional_annotation() -> None:
    def by_name(message: str, history: list[Any], request):  # type: ignore[no-untyped-def]  # noqa: ANN001
        return request.session_hash

    def keyword(message: str, history: list[Any], *, request: gr.Request | None = None) -> str:
        assert request is not None
        return str(request.session_hash)

    def middle(message: str, request: gr.Request, history: list[Any], tone: str) -> str:
        return f"{request.session_hash} {len(history)} {tone}"

    for fn, inputs, want in (
        (by_name, None, SESSION),
        (keyword, None, SESSION),
        (middle, [gr.Textbox("calm")], f"{SESSION} 0 calm"),
    ):
        interface = ChatInterface(fn, additional_inputs=inputs)
        status, events = await ask(app_of(interface), {"message": "hi", "session": SESSION})
        assert status == 200, events
        assert answer_text(events) == want


async def test_the_validator_gets_the_request() -> None:
    def check(message: str, request: gr.Request) -> Any:
        return gr.validate("ref=news" not in request.url, "Not from the newsletter, please.")

    interface = ChatInterface(lambda message, history: "ok", validator=check)
    status, body = await ask(app_of(interface), {"message": "hi", "page": PAGE})
    assert status == 422 and body["error"] == "Not from the newsletter, please."
    status, events = await ask(app_of(interface), {"message": "hi", "page": "https://a.example/"})
    assert status == 200 and answer_text(events) == "ok"


async def test_bad_page_and_session_are_refused_clearly() -> None:
    app = app_of(ChatInterface(seen))
    for body, words in (
        ({"page": "javascript:alert(1)"}, "http(s) URL"),
        ({"page": "/relative"}, "http(s) URL"),
        ({"page": "https://a.example/" + "x" * 2100}, "2048"),
        ({"page": 42}, "page's URL"),
        ({"page": "http://[::1"}, "not a valid URL"),
        ({"session": "short"}, "8 to 64"),
        ({"session": "x" * 65}, "8 to 64"),
        ({"session": "../../etc"}, "8 to 64"),
        ({"session": ["a" * 10]}, "8 to 64"),
    ):
        status, error = await ask(app, {"message": "hi", **body})
        assert status == 422, body
        assert error["code"] == "invalid_request" and words in error["error"], error


async def test_v1_gets_the_request() -> None:
    app = app_of(ChatInterface(seen))
    async with app.test_app() as test_app:
        response = await test_app.test_client().post(
            "/v1/chat/completions?team=blue",
            json={"model": "x", "messages": [{"role": "user", "content": "hi"}]},
            headers={"User-Agent": "openai-python/1"},
            scope_base=PEER,
        )
        body = await response.get_json()
    got = json.loads(body["choices"][0]["message"]["content"])
    assert got["url"].endswith("/v1/chat/completions?team=blue")
    assert got["query"] == {"team": "blue"}
    assert got["agent"] == "openai-python/1"
    assert got["host"] == "127.0.0.1"
    assert got["session"] is None


# -- gr.State --


def counter() -> ChatInterface:
    turns = gr.State(0)
    log = gr.State(value=list)  # a callable: called once per conversation

    def count(
        message: str, history: list[Any], n: int, words: list[str], tone: str
    ) -> tuple[str, int, list[str]]:
        words.append(message)
        return f"turn {n + 1} ({tone}): {' '.join(words)}", n + 1, words

    return ChatInterface(
        count,
        additional_inputs=[turns, log, gr.Textbox("calm", label="Tone")],
        additional_outputs=[turns, log],
    )


async def test_state_counts_turns_per_conversation() -> None:
    app = app_of(counter())
    one = {"session": "conversation-1"}
    two = {"session": "conversation-2"}
    said = []
    for message, conversation in (("a", one), ("b", one), ("x", two), ("c", one), ("y", two)):
        status, events = await ask(app, {"message": message, **conversation})
        assert status == 200, events
        said.append(answer_text(events))
    assert said == [
        "turn 1 (calm): a",
        "turn 2 (calm): a b",
        "turn 1 (calm): x",
        "turn 3 (calm): a b c",
        "turn 2 (calm): x y",
    ]
    # The visible input is sent as usual (the States are not the client's to send), and the
    # same conversation id from another visitor (another visitor key) starts afresh.
    status, events = await ask(
        app, {"message": "d", "inputs": ["bold"], **one}, **{"X-Visitor-Key": KEY}
    )
    assert answer_text(events) == "turn 1 (bold): d"
    # Without a conversation id, each call starts from the initial values.
    for _ in range(2):
        status, events = await ask(app, {"message": "z"})
        assert answer_text(events) == "turn 1 (calm): z"


async def test_state_is_never_sent_to_the_browser() -> None:
    secret = gr.State({"api_token": "s3cr3t-value"})

    def fn(message: str, history: list[Any], kept: dict[str, str]) -> tuple[str, Any, str]:
        return "fine", {"api_token": "s3cr3t-value", "seen": message}, "shown"

    interface = ChatInterface(
        fn, additional_inputs=[secret], additional_outputs=[secret, gr.Markdown()]
    )
    app = app_of(interface)
    async with app.test_app() as test_app:
        config = await (await test_app.test_client().get("/api/config")).get_data()
    assert b"s3cr3t" not in config
    assert not json.loads(config)["additional_inputs"]
    status, events = await ask(app, {"message": "hi", "session": SESSION})
    assert status == 200
    assert "s3cr3t" not in json.dumps([event.data for event in events])
    outputs = [event.data for event in events if event.event == "outputs"]
    assert outputs and outputs[-1]["outputs"] == [{"type": "markdown", "value": "shown"}]


async def test_state_initial_value_is_deep_copied() -> None:
    shared: dict[str, list[str]] = {"items": []}
    box = gr.State(shared)

    def fn(message: str, history: list[Any], kept: dict[str, list[str]]) -> str:
        kept["items"].append(message)
        return ",".join(kept["items"])

    app = app_of(ChatInterface(fn, additional_inputs=[box]))
    # Not an additional output: the change stays in this call's copy.
    for session in ("conversation-a", "conversation-b"):
        status, events = await ask(app, {"message": "m", "session": session})
        assert answer_text(events) == "m"
    assert shared == {"items": []}
