"""The host site vouches for its visitor: a page on another origin passes a JWT its server
signed (PyJWT here) by ``data-user-token`` or ``chatbubble("identify", token)``; the chat
function answers with the ``sub``. A forged, expired, ``alg: none`` or other-audience token is
refused with a readable error in the bubble, the page hears the ``identify`` event, and the
function never runs (the probe file stays empty); ``identity_required`` refuses anonymous
visitors; ``chatbubble("logout")`` forgets the token and starts a new conversation."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable
from typing import Any

import jwt
import pytest
from playwright.sync_api import Locator, Page, expect

from .conftest import Backend, HostServer
from .helpers import finished_answer, open_chat, send

SECRET = "the host site's shared secret, 32+ bytes long"
AUDIENCE = "https://chat.example"
FLAGS = ("--identity-secret", SECRET, "--identity-audience", AUDIENCE, "--flush-interval", "0")
#: Queues a listener on the stub before the widget loads: the page records `identify` events.
LISTEN = (
    "<script>window.chatbubble=window.chatbubble||function(){(chatbubble.q=chatbubble.q||[])"
    ".push(arguments)};window.heard=[];"
    "chatbubble('on','identify',function(d){window.heard.push(d.code)});</script>"
)


def token(**extra: Any) -> str:
    claims = {"sub": "user-42", "email": "ada@example.com", "exp": int(time.time()) + 86_400}
    return jwt.encode({"aud": AUDIENCE, **claims, **extra}, SECRET, "HS256")


def unsigned() -> str:
    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    claims = {"sub": "admin", "exp": int(time.time()) + 86_400, "aud": AUDIENCE}
    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


def answer_text(page: Page) -> Locator:
    """The newest finished answer's text, without its action buttons."""
    return finished_answer(page).locator("p").first


def visit(page: Page, host: HostServer, bot: Backend, user_token: str | None) -> None:
    attrs = f'data-user-token="{user_token}"' if user_token is not None else ""
    page.goto(host.add(bot.url, head=LISTEN, attrs=attrs))
    open_chat(page)


def test_a_signed_token_names_the_visitor(
    page: Page, host: HostServer, backends: Callable[..., Backend]
) -> None:
    bot = backends("identity_echo", *FLAGS)
    posts = []
    page.on("request", lambda r: posts.append(r) if r.url.endswith("/api/chat") else None)
    signed = token()
    visit(page, host, bot, signed)
    send(page, "hi")
    expect(answer_text(page)).to_have_text("Hello user-42 (ada@example.com)")
    assert posts[-1].headers["x-chatbubble-user"] == signed
    assert "authorization" not in posts[-1].headers  # not the login's bearer token
    assert bot.probe.read_text().splitlines()[-1] == "user-42"


@pytest.mark.parametrize(
    ("bad", "says"),
    [
        (
            lambda: jwt.encode({"sub": "admin", "exp": 2**40, "aud": AUDIENCE}, "x" * 40),
            "could not be verified",
        ),
        (lambda: token(exp=int(time.time()) - 3600), "has expired"),
        (unsigned, "could not be verified"),
        (lambda: token(aud="https://another.example"), "could not be verified"),
    ],
    ids=["forged", "expired", "alg-none", "other-audience"],
)
def test_a_bad_token_is_refused_readably_and_nothing_runs(
    page: Page,
    host: HostServer,
    backends: Callable[..., Backend],
    bad: Callable[[], str],
    says: str,
) -> None:
    bot = backends("identity_echo", *FLAGS)
    before = bot.probe.read_text()
    visit(page, host, bot, bad())
    send(page, "who am I?")
    refusal = page.locator(".msg.bot").last
    expect(refusal).to_contain_text(f"Your sign-in for this chat {says}")
    assert page.evaluate("window.heard") == ["identity_invalid"]
    assert bot.probe.read_text() == before  # the function never ran
    # The page answers the event with a fresh token; Retry then gets the answer.
    page.evaluate("(t) => chatbubble('identify', t)", token(sub="fresh"))
    page.get_by_role("button", name="Retry").click()
    expect(answer_text(page)).to_have_text("Hello fresh (ada@example.com)")


def test_identity_required_refuses_anonymous_visitors(
    page: Page, host: HostServer, backends: Callable[..., Backend]
) -> None:
    bot = backends("identity_echo", *FLAGS, "--identity-required")
    visit(page, host, bot, None)
    send(page, "hello?")
    expect(page.locator(".msg.bot").last).to_contain_text(
        "Please sign in on this website to use the chat."
    )
    assert page.evaluate("window.heard") == ["identity_required"]
    assert bot.probe.read_text() == ""
    page.evaluate("(t) => chatbubble('identify', t)", token())
    send(page, "now?")
    expect(answer_text(page)).to_have_text("Hello user-42 (ada@example.com)")


def test_logout_forgets_the_token_and_starts_over(
    page: Page, host: HostServer, backends: Callable[..., Backend]
) -> None:
    bot = backends("identity_echo", *FLAGS)
    visit(page, host, bot, token())
    send(page, "hi")
    expect(answer_text(page)).to_have_text("Hello user-42 (ada@example.com)")
    page.evaluate("chatbubble('logout')")
    expect(page.locator(".msg.bot")).to_have_count(0)
    send(page, "and now?")
    expect(answer_text(page)).to_have_text("Hello None (None)")
