"""The host site vouches for its visitor: a page on another origin passes a JWT its server
signed (PyJWT here) by ``data-user-token`` or ``chatbubble("identify", token)``; the chat
function answers with the ``sub``. A forged, expired, ``alg: none`` or other-audience token is
refused with a readable error in the bubble, the page hears the ``identify`` event, and the
function never runs (the probe file stays empty); the page's new token resends the refused
message by itself, once per refusal; ``identity_required`` refuses anonymous visitors;
``chatbubble("logout")`` forgets the token and starts a new conversation."""

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
#: Records the token each POST /api/chat carries, as the widget calls the page's fetch.
SENT = (
    "<script>window.sent=[];var f=window.fetch;window.fetch=function(u,o){"
    "if(String(u).indexOf('/api/chat')>=0)"
    "window.sent.push(new Headers(o&&o.headers).get('x-chatbubble-user'));"
    "return f.apply(this,arguments)};</script>"
)


def answering(*tokens: str, fetch_first: bool = False) -> str:
    """A page whose ``identify`` listener answers each refusal with the next of ``tokens``
    (with ``fetch_first``, after a round trip to its own server, as a site fetching a fresh
    token does)."""
    give = "chatbubble('identify',window.fresh.shift())"
    answer = f"fetch(location.href).then(function(){{{give}}})" if fetch_first else give
    return (
        f"<script>window.fresh={json.dumps(list(tokens))};"
        f"chatbubble('on','identify',function(){{{answer}}});</script>"
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


def visit(
    page: Page, host: HostServer, bot: Backend, user_token: str | None, head: str = LISTEN
) -> None:
    attrs = f'data-user-token="{user_token}"' if user_token is not None else ""
    page.goto(host.add(bot.url, head=SENT + head, attrs=attrs))
    open_chat(page)


def sent(page: Page) -> list[str | None]:
    """The token of each POST /api/chat so far."""
    return list(page.evaluate("window.sent"))


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
    # The page answers the event with a fresh token: the message goes again by itself, in
    # place of the error, and the visitor's message shows once.
    fresh = token(sub="fresh")
    page.evaluate("(t) => chatbubble('identify', t)", fresh)
    expect(answer_text(page)).to_have_text("Hello fresh (ada@example.com)")
    expect(page.locator(".msg.user")).to_have_count(1)
    expect(page.locator(".msg.bot .error")).to_have_count(0)
    assert sent(page)[1:] == [fresh]


@pytest.mark.parametrize("fetch_first", [False, True], ids=["in-listener", "after-fetch"])
def test_an_expired_token_refreshed_by_the_page_gets_the_answer_without_a_click(
    page: Page, host: HostServer, backends: Callable[..., Backend], fetch_first: bool
) -> None:
    bot = backends("identity_echo", *FLAGS)
    fresh = token(sub="fresh")
    expired = token(exp=int(time.time()) - 3600)
    visit(page, host, bot, expired, LISTEN + answering(fresh, fetch_first=fetch_first))
    send(page, "who am I?")
    expect(answer_text(page)).to_have_text("Hello fresh (ada@example.com)")
    expect(page.locator(".msg.user")).to_have_count(1)
    expect(page.locator(".msg.bot")).to_have_count(1)
    expect(page.locator(".msg.bot .error, .msg.bot .retry")).to_have_count(0)
    assert sent(page) == [expired, fresh]
    assert page.evaluate("window.heard") == ["identity_invalid"]
    assert bot.probe.read_text().splitlines()[-1] == "fresh"


def test_a_new_token_refused_too_is_resent_once_per_refusal(
    page: Page, host: HostServer, backends: Callable[..., Backend]
) -> None:
    bot = backends("identity_echo", *FLAGS)
    before = bot.probe.read_text()
    bad = [token(sub=f"bad-{i}", exp=int(time.time()) - 3600) for i in range(5)]
    visit(page, host, bot, bad[0], LISTEN + answering(*bad[1:]))
    send(page, "who am I?")
    refused = page.locator(".msg.bot .error")
    retry = refused.locator(".retry")  # the error's own (the extras chunk adds another Retry)
    expect(refused).to_contain_text("Your sign-in for this chat has expired")
    # Each refusal got its new token from the page; only the first one went out again.
    expect(retry).to_be_visible()
    assert page.evaluate("window.heard") == ["identity_invalid"] * 2
    assert sent(page) == bad[:2]
    # The visitor's Retry is a refusal of its own: one more resend with the next token, no more.
    retry.click()
    expect(retry).to_be_visible()
    assert page.evaluate("window.heard.length") == 4
    assert sent(page) == bad[:4]
    expect(page.locator(".msg.user")).to_have_count(1)
    expect(refused).to_have_count(1)
    assert bot.probe.read_text() == before


def test_without_a_listener_the_error_and_retry_stay(
    page: Page, host: HostServer, backends: Callable[..., Backend]
) -> None:
    bot = backends("identity_echo", *FLAGS)
    expired = token(exp=int(time.time()) - 3600)
    visit(page, host, bot, expired, head="")
    send(page, "who am I?")
    refused = page.locator(".msg.bot .error")
    retry = refused.locator(".retry")  # the error's own (the extras chunk adds another Retry)
    expect(refused).to_contain_text("Your sign-in for this chat has expired")
    expect(retry).to_be_visible()
    assert sent(page) == [expired]
    # The same token again is no new token: nothing goes out until the visitor asks.
    page.evaluate("(t) => chatbubble('identify', t)", expired)
    expect(retry).to_be_visible()
    assert sent(page) == [expired]
    retry.click()
    expect(retry).to_be_visible()
    expect(refused).to_have_count(1)
    assert sent(page) == [expired, expired]


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
    # The page's first token sends the refused message again, by itself.
    page.evaluate("(t) => chatbubble('identify', t)", token())
    expect(answer_text(page)).to_have_text("Hello user-42 (ada@example.com)")
    expect(page.locator(".msg.user")).to_have_count(1)
    assert bot.probe.read_text() == "user-42\n"
    send(page, "now?")
    expect(page.locator(".msg.bot")).to_have_count(2)
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
