"""``page`` of ``POST /api/chat`` and ``POST /api/event`` (``http/page_context.py``): the page's
URL, title, language, referrer and its own values reach the function as ``request.page``
(``request.url`` stays the page's); a page sent as a bare URL still works; bad values get a
clear 422 naming the field, never a 500."""

from __future__ import annotations

import json
from typing import Any

import pytest
from quart import Quart

import backend as gr
from backend import ChatInterface, Settings, create_app
from tests.conftest import FAST
from tests.helpers import answer_text, parse_events

PEER = {"client": ("127.0.0.1", 50123)}
KEY = "k" * 22
URL = "https://shop.example/shoes?size=42"
PAGE = {
    "url": URL + "#reviews",
    "title": "Red shoes – Shop",
    "lang": "fr-CA",
    "locale": "fr",
    "referrer": "https://search.example/?q=shoes",
    "context": {"plan": "pro", "cart": {"items": 2}},
}


def seen(message: str, history: list[Any], request: gr.Request) -> str:
    page = request.page
    return json.dumps(
        {
            "url": request.url,
            "query": dict(request.query_params),
            "page": [page.url, page.title, page.lang, page.referrer, dict(page.context)],
            "locale": page.locale,
        }
    )


def app_of(interface: ChatInterface) -> Quart:
    return create_app(interface, Settings.from_mapping(FAST))


async def post(app: Quart, route: str, body: Any) -> tuple[int, Any]:
    async with app.test_app() as test_app:
        response = await test_app.test_client().post(
            route,
            data=json.dumps(body),
            headers={"Content-Type": "application/json", "X-Visitor-Key": KEY},
            scope_base=PEER,
        )
        data = await response.get_data(as_text=False)
    if response.status_code != 200:
        return response.status_code, json.loads(data)
    return 200, parse_events(data)


async def test_the_function_gets_the_page_described() -> None:
    status, events = await post(
        app_of(ChatInterface(seen)), "/api/chat", {"message": "hi", "page": PAGE}
    )
    assert status == 200, events
    got = json.loads(answer_text(events))
    assert got["url"] == URL and got["query"] == {"size": "42"}
    assert got["locale"] == "fr"  # the language the widget speaks
    assert got["page"] == [
        URL, "Red shoes – Shop", "fr-CA", "https://search.example/?q=shoes",
        {"plan": "pro", "cart": {"items": 2}},
    ]  # fmt: skip


async def test_a_bare_url_an_empty_page_and_no_page() -> None:
    app = app_of(ChatInterface(seen))
    _, events = await post(app, "/api/chat", {"message": "hi", "page": URL})
    assert json.loads(answer_text(events))["page"] == [URL, "", "", "", {}]
    # A page that may not send its URL (file://) still sends its title; url is this request's.
    _, events = await post(app, "/api/chat", {"message": "hi", "page": {"url": "", "title": "T"}})
    got = json.loads(answer_text(events))
    assert got["url"].endswith("/api/chat") and got["page"] == ["", "T", "", "", {}]
    _, events = await post(app, "/api/chat", {"message": "hi"})  # data-page-context="off"
    got = json.loads(answer_text(events))
    assert got["url"].endswith("/api/chat") and got["page"] == ["", "", "", "", {}]


async def test_a_title_cut_in_half_a_character_is_mended() -> None:
    app = app_of(ChatInterface(seen))
    _, events = await post(app, "/api/chat", {"message": "hi", "page": {"title": "ok \ud83d"}})
    assert json.loads(answer_text(events))["page"][1] == "ok ?"


@pytest.mark.parametrize(
    ("page", "words"),
    [
        ({"title": "x" * 301}, "'page.title' must be a string of at most 300"),
        ({"title": 7}, "'page.title' must be a string"),
        ({"lang": "en US"}, "'page.lang' must be a language tag"),
        ({"lang": "x" * 36}, "'page.lang'"),
        ({"locale": "de DE"}, "'page.locale' must be a language tag"),
        ({"locale": 7}, "'page.locale'"),
        ({"url": "javascript:alert(1)"}, "'page.url' must be an http(s) URL"),
        ({"referrer": "ftp://a.example/"}, "'page.referrer' must be an http(s) URL"),
        (
            {"referrer": "https://a.example/" + "x" * 2100},
            "'page.referrer' must be a URL, at most 2048",
        ),
        ({"context": ["plan"]}, "'page.context' must be a JSON object"),
        ({"context": "plan=pro"}, "'page.context' must be a JSON object"),
        ({"context": {"blob": "x" * 4100}}, "'page.context' is too large"),
        ({"context": {"é": "é" * 2050}}, "'page.context' is too large"),
        ({"context": {"a": [[[[[[[[{}]]]]]]]]}}, "nested too deeply"),
        ({"context": {"bad": "\ud800"}}, "'page.context' contains invalid characters"),
        ({"cookie": "x"}, "Unknown field 'page.cookie'"),
        ([URL], "'page' must be the page's URL or an object"),
    ],
)
async def test_bad_page_values_are_refused_clearly(page: Any, words: str) -> None:
    status, error = await post(
        app_of(ChatInterface(seen)), "/api/chat", {"message": "hi", "page": page}
    )
    assert status == 422, error
    assert error["code"] == "invalid_request" and words in error["error"], error


async def test_a_context_of_4_kb_is_taken() -> None:
    context = {"blob": "x" * (4096 - len('{"blob":""}'))}
    status, events = await post(
        app_of(ChatInterface(seen)), "/api/chat", {"message": "hi", "page": {"context": context}}
    )
    assert status == 200 and json.loads(answer_text(events))["page"][4] == context


async def test_an_event_handler_gets_the_page_too() -> None:
    def where(request: gr.Request) -> str:
        return f"{request.url} {request.page.title} {request.page.context['plan']}"

    with gr.Blocks() as demo:
        md = gr.Markdown("start")
        button = gr.Button("Where")
        chat = gr.ChatInterface(lambda message, history: message)
        button.click(where, None, md)
    del demo
    config = chat.wiring.config()
    assert config is not None
    status, events = await post(
        app_of(chat), "/api/event", {"handler": 0, "values": [], "page": PAGE}
    )
    assert status == 200, events
    assert events[0].data == {
        "outputs": [[chat.wiring.id(md), {"value": f"{URL} Red shoes – Shop pro"}]]
    }
    status, error = await post(
        app_of(chat), "/api/event", {"handler": 0, "values": [], "page": {"lang": "a b"}}
    )
    assert status == 422 and "'page.lang'" in error["error"]
