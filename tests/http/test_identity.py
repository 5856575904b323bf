"""The host site's visitor token over HTTP (``X-Chatbubble-User``): the chat function's
``request.username``/``request.claims``, the 401s, ``identity_required``, the feedback log's
user column, CORS, and the login of ``launch(auth=...)`` kept apart."""

from __future__ import annotations

import base64
import csv
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import jwt
import pytest
from quart import Quart
from quart.typing import TestClientProtocol as Client

import backend as gr
from backend import Settings, create_app
from backend.chat.launching import apply_login
from tests.helpers import answer_text, parse_events

SECRET = "a-shared-secret-of-the-host-site-0123456789"
AUDIENCE = "https://chat.example"
HEADER = "X-Chatbubble-User"
BASE = {
    "flush_interval": 0.0,
    "message_rate_limit": 0,
    "identity_secret": SECRET,
    "identity_audience": AUDIENCE,
}


def b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


#: ``alg: none``: claims without a signature.
UNSIGNED = (
    f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64({'sub': 'x', 'exp': 2**40, 'aud': AUDIENCE})}."
)


def token(**extra: Any) -> str:
    claims = {"sub": "user-42", "email": "ada@example.com", "exp": int(time.time()) + 86_400}
    return jwt.encode({"aud": AUDIENCE, **claims, **extra}, SECRET, "HS256")


def make(calls: list[Any], tmp_path: Path, auth: Any = None, **settings: Any) -> Quart:
    def answer(message: str, history: list[Any], request: gr.Request) -> str:
        calls.append((request.username, request.claims, dict(request.headers)))
        return f"Hello {request.username}"

    demo = gr.ChatInterface(
        answer, flagging_mode="manual", flagging_dir=tmp_path / "flags", api_name="chat"
    )
    if auth is not None:
        apply_login(demo, auth, None)
    return create_app(demo, Settings.from_mapping({**BASE, "secret": "s", **settings}))


@pytest.fixture(name="calls")
def _calls() -> list[Any]:
    return []


@pytest.fixture(name="client")
async def _client(calls: list[Any], tmp_path: Path) -> AsyncIterator[Client]:
    async with make(calls, tmp_path).test_app() as test_app:
        yield test_app.test_client()


async def chat(client: Client, **headers: str) -> Any:
    return await client.post(
        "/api/chat", json={"message": "hi"}, headers={"Accept-Encoding": "identity", **headers}
    )


async def test_the_chat_function_sees_sub_and_claims(client: Client, calls: list[Any]) -> None:
    response = await chat(client, **{HEADER: token()})
    assert response.status_code == 200
    assert answer_text(parse_events(await response.get_data(as_text=False))) == "Hello user-42"
    username, claims, headers = calls[0]
    assert username == "user-42" and claims["email"] == "ada@example.com"
    assert claims["aud"] == AUDIENCE
    assert "x-chatbubble-user" not in headers  # the raw token stays ours


async def test_anonymous_visitors_get_no_username(client: Client, calls: list[Any]) -> None:
    response = await chat(client)
    assert response.status_code == 200
    assert calls == [(None, None, calls[0][2])]


@pytest.mark.parametrize(
    ("bad", "says"),
    [
        (jwt.encode({"sub": "x", "exp": 2**40, "aud": AUDIENCE}, "f" * 43, "HS256"), "verified"),
        (token(exp=int(time.time()) - 3600), "expired"),
        (token(aud="https://other.example"), "verified"),
        (UNSIGNED, "verified"),
        ("not a token", "verified"),
    ],
    ids=["forged", "expired", "audience", "alg-none", "garbage"],
)
async def test_a_bad_token_is_a_401_and_nothing_runs(
    client: Client, calls: list[Any], bad: str, says: str
) -> None:
    response = await chat(client, **{HEADER: bad})
    body = await response.get_json()
    assert response.status_code == 401
    assert body["ok"] is False and body["code"] == "identity_invalid" and says in body["error"]
    assert calls == []


async def test_required_refuses_anonymous_visitors_but_not_the_page_load(
    calls: list[Any], tmp_path: Path
) -> None:
    async with make(calls, tmp_path, identity_required=True).test_app() as test_app:
        client = test_app.test_client()
        assert (await client.get("/api/config")).status_code == 200
        for method, path in [
            ("POST", "/api/chat"),
            ("POST", "/api/feedback"),
            ("POST", "/gradio_api/call/chat"),
            ("POST", "/v1/chat/completions"),
        ]:
            response = await client.open(path, method=method, json={"message": "hi"})
            body = await response.get_json()
            assert response.status_code == 401, path
            if path.startswith("/v1/"):  # OpenAI's error shape there
                body = body["error"]
                assert body["code"] == "identity_required" and "sign in" in body["message"]
            else:
                assert body["code"] == "identity_required" and "sign in" in body["error"]
        assert calls == []
        assert (await chat(client, **{HEADER: token()})).status_code == 200
        assert calls[0][0] == "user-42"


async def test_feedback_rows_record_the_verified_user(
    client: Client, calls: list[Any], tmp_path: Path
) -> None:
    response = await chat(client, **{HEADER: token(sub="ada")})
    done = parse_events(await response.get_data(as_text=False))[-1].data
    flag = {
        "id": done["id"],
        "conversation": [
            {"role": "user", "content": "hi"},
            {"role": "assistant", "content": "Hello ada"},
        ],
        "flag": "Like",
        "visitor": "v_abcdefgh",
        "conversation_id": "c_abcdefgh",
    }
    refused = await client.post("/api/feedback", json=flag, headers={HEADER: token(exp=1)})
    assert refused.status_code == 401
    assert (
        await client.post("/api/feedback", json=flag, headers={HEADER: token(sub="ada")})
    ).status_code == 200
    flag["flag"] = "Dislike"
    assert (await client.post("/api/feedback", json=flag)).status_code == 200
    with open(tmp_path / "flags" / "log.csv", newline="") as file:
        rows = list(csv.DictReader(file))
    assert [(row["flag"], row["user"]) for row in rows] == [("Like", "ada"), ("Dislike", "")]


async def test_the_widget_may_send_the_header_across_origins(client: Client) -> None:
    response = await client.options(
        "/api/chat",
        headers={
            "Origin": "https://shop.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "x-chatbubble-user",
        },
    )
    assert response.status_code == 204
    assert HEADER in response.headers["Access-Control-Allow-Headers"]


async def test_the_login_and_the_identity_stay_apart(calls: list[Any], tmp_path: Path) -> None:
    async with make(calls, tmp_path, auth=("ann", "pw")).test_app() as test_app:
        client = test_app.test_client()
        # The site's token is no login: without one the chat stays closed.
        assert (await chat(client, **{HEADER: token()})).status_code == 401
        login = await client.post("/login", json={"username": "ann", "password": "pw"})
        bearer = {"Authorization": "Bearer " + (await login.get_json())["token"]}
        assert (await chat(client, **bearer, **{HEADER: token()})).status_code == 200
        assert calls[0][0] == "ann" and calls[0][1]["sub"] == "user-42"
        # A login does not excuse a bad site token.
        response = await chat(client, **bearer, **{HEADER: token(exp=1)})
        assert (await response.get_json())["code"] == "identity_invalid"
        assert len(calls) == 1


async def test_without_identity_settings_the_header_is_ignored(
    calls: list[Any], tmp_path: Path
) -> None:
    app = make(calls, tmp_path, identity_secret="", identity_audience="")
    async with app.test_app() as test_app:
        response = await chat(test_app.test_client(), **{HEADER: "anything"})
        assert response.status_code == 200 and calls[0][:2] == (None, None)


def test_json_of_the_refusal_is_the_envelope() -> None:
    from backend.errors import IdentityRequiredError, InvalidIdentityError, envelope

    for error in (IdentityRequiredError(), InvalidIdentityError()):
        body = envelope(error)
        assert json.loads(json.dumps(body))["status"] == 401
