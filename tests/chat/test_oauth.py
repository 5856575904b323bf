"""``gr.OAuthProfile`` and ``gr.OAuthToken``: parameters annotated with them get ``None`` (no
Hugging Face login in a chat bubble), wherever they are, and are not counted as inputs."""

from __future__ import annotations

import json
from typing import Any

import pytest

import backend as gr
from backend import Settings, create_app
from backend.chat.request import Request, inject
from tests.conftest import FAST
from tests.helpers import answer_text, parse_events

REQUEST = Request(url="https://a.example/")


def profile_last(message: str, history: list[Any], profile: gr.OAuthProfile | None) -> str:
    return f"{message}: {profile!r}"


def token_first(token: gr.OAuthToken | None, message: str, history: list[Any]) -> None: ...


def both(
    message: str,
    history: list[Any],
    p: gr.OAuthProfile | None,
    r: gr.Request,
    t: gr.OAuthToken,
) -> None: ...  # noqa: UP037, UP045


def keyword(message: str, history: list[Any], *, token: gr.OAuthToken) -> None: ...


@pytest.mark.parametrize(
    ("fn", "expected"),
    [
        (profile_last, (("m", [], None), {})),
        (token_first, ((None, "m", []), {})),
        (both, (("m", [], None, REQUEST, None), {})),
        (keyword, (("m", []), {"token": None})),
    ],
)
def test_oauth_parameters_get_none(fn: Any, expected: Any) -> None:
    assert inject(fn, ("m", []), REQUEST) == expected


def test_they_are_not_inputs_and_the_chat_gets_none() -> None:
    gr.ChatInterface(profile_last)  # one parameter too many, were it an input


async def test_through_the_chat_route() -> None:
    app = create_app(gr.ChatInterface(profile_last), Settings.from_mapping(FAST))
    async with app.test_app() as test_app:
        response = await test_app.test_client().post(
            "/api/chat", data=json.dumps({"message": "hi"}),
            headers={"Content-Type": "application/json"},
        )  # fmt: skip
        data = await response.get_data(as_text=False)
    assert answer_text(parse_events(data)) == "hi: None"


def test_profile_attributes() -> None:
    profile = gr.OAuthProfile({"name": "Ada", "preferred_username": "ada"})
    assert (profile.name, profile.username) == ("Ada", "ada")
    assert gr.OAuthToken("t").token == "t"
