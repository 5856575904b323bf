"""identity: the host site's visitor token (``X-Chatbubble-User``, a JWT) attacked.

Every forged, stale or foreign token is a 401 ``identity_invalid`` with the envelope, the chat
function is never reached, and no response echoes a token. The algorithm in a token's header
never chooses the key (``none`` refused; an HS256 token "signed" with the RSA public key is
refused); ``kid``, ``jku``, ``jwk`` and ``x5u`` are never used to find a key. A token meant for
another site (its secret, or its ``aud``) is refused here. The widget sends the token only in
its header: never in a URL, so never in a ``Referer``; and our pages say ``no-referrer``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from playwright.sync_api import Browser, Request, expect

from tests.security.browser import SETTLE, Host, Visit, _browser, _host  # noqa: F401
from tests.security.harness import Server, check, request, sse_events
from tests.security.surfaces import (  # noqa: F401 (fixtures)
    AUDIENCE,
    OTHER_SITE_SECRET,
    PUBLIC_PEM,
    SECRET,
    USER_HEADER,
    _surfaces,
    _surfaces_db,
    answered,
    as_user,
    rsa_token,
    say,
    token,
)


def b64(data: Any) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def forge(key: bytes, sub: Any = "admin", alg: str = "HS256", **header: Any) -> str:
    """An HMAC token signed by hand (PyJWT refuses a PEM or an empty key as a secret)."""
    claims = {"sub": sub, "exp": int(time.time()) + 3600, "aud": AUDIENCE}
    digest = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}[alg]
    signed = f"{b64({'alg': alg, 'typ': 'JWT', **header})}.{b64(claims)}"
    return f"{signed}.{b64(hmac.new(key, signed.encode(), digest).digest())}"


def unsigned(alg: str) -> str:
    claims = {"sub": "admin", "exp": int(time.time()) + 3600, "aud": AUDIENCE}
    return f"{b64({'alg': alg, 'typ': 'JWT'})}.{b64(claims)}."


ATTACKER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
ATTACKER_PEM = ATTACKER_KEY.private_bytes(
    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
)
ATTACKER_JWK = json.loads(
    __import__("jwt").algorithms.RSAAlgorithm.to_jwk(ATTACKER_KEY.public_key())
)
NOW = int(time.time())

#: id -> a token that must be refused (401 invalid_identity).
REFUSED: dict[str, str] = {
    "alg-none": unsigned("none"),
    "alg-None": unsigned("None"),
    "alg-NONE": unsigned("NONE"),
    "alg-none-with-signature": unsigned("none") + "c2lnbmF0dXJl",
    "alg-missing": f"{b64({'typ': 'JWT'})}.{b64({'sub': 'x', 'exp': NOW + 99})}.",
    "hs256-signed-with-rsa-public-key": forge(PUBLIC_PEM.encode()),
    "hs512-signed-with-rsa-public-key": forge(PUBLIC_PEM.encode(), alg="HS512"),
    "hs256-signed-with-rsa-public-key-der": forge(
        serialization.load_pem_public_key(PUBLIC_PEM.encode()).public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    ),
    "hs384-with-our-secret": forge(SECRET.encode(), alg="HS384"),
    "hs512-with-our-secret": forge(SECRET.encode(), alg="HS512"),
    "ps256-attacker-key": token("admin", key=ATTACKER_PEM, alg="PS256"),
    "rs256-attacker-key": token("admin", key=ATTACKER_PEM, alg="RS256"),
    "rs256-attacker-key-embedded-jwk": token(
        "admin", key=ATTACKER_PEM, alg="RS256", headers={"jwk": ATTACKER_JWK}
    ),
    "rs256-attacker-key-jku": token(
        "admin",
        key=ATTACKER_PEM,
        alg="RS256",
        headers={"jku": "http://169.254.169.254/keys.json"},
    ),  # fmt: skip
    "rs256-attacker-key-x5u": token(
        "admin", key=ATTACKER_PEM, alg="RS256", headers={"x5u": "http://127.0.0.1:1/cert.pem"}
    ),
    "kid-path-dev-null-empty-key": forge(b"", kid="../../../../../../dev/null"),
    "kid-path-etc-passwd": forge(b"root:x:0:0:root:/root:/bin/bash\n", kid="/etc/passwd"),
    "kid-sql-union-empty-key": forge(b"", kid="x' UNION SELECT '' --"),
    "kid-sql-or-true": forge(b"a", kid="' OR '1'='1"),
    "kid-unknown-other-secret": token("admin", key=OTHER_SITE_SECRET, headers={"kid": "k2"}),
    "another-sites-secret": token("admin", key=OTHER_SITE_SECRET),
    "another-sites-audience": token("user-ann", aud="https://other-chat.example"),
    "audience-list-without-ours": token("user-ann", aud=["https://a.example", "x"]),
    "no-audience": token("user-ann", aud=None),
    "expired": token("user-ann", exp=NOW - 3600),
    "expired-beyond-leeway": token("user-ann", exp=NOW - 120),
    "exp-missing": token("user-ann", exp=None),
    "exp-string": token("user-ann", exp="never"),
    "not-yet-valid": token("user-ann", nbf=NOW + 3600),
    "sub-missing": token(None),  # type: ignore[arg-type]
    "sub-empty": token(""),
    "sub-blank": token("   "),
    "sub-number": token(42),  # type: ignore[arg-type]
    "sub-object": token({"id": "admin"}),  # type: ignore[arg-type]
    "signature-stripped": token("admin").rsplit(".", 1)[0] + ".",
    "signature-of-another-token": token("admin").rsplit(".", 1)[0]
    + "."
    + token("user-ann").rsplit(".", 1)[1],
    "payload-swapped": ".".join(
        [
            token("user-ann").split(".")[0],
            b64({"sub": "admin", "exp": NOW + 99, "aud": AUDIENCE}),
            token("user-ann").split(".")[2],
        ]
    ),  # fmt: skip
    "two-parts": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0",
    "garbage": "not a token at all",
    "bearer-prefix": "Bearer " + token("user-ann"),
    "header-json-array": f"{b64([1, 2])}.{b64({'sub': 'x'})}.sig",
    "header-not-json": f"{b64(b'{')}.{b64({'sub': 'x'})}.sig",
    "oversized-9000": token("user-ann", pad="x" * 9000),
}


@pytest.mark.parametrize("key", list(REFUSED), ids=list(REFUSED))
def test_forged_or_foreign_token_is_refused(key: str, surfaces: Server) -> None:
    before = surfaces.fn_calls()
    forged = REFUSED[key]
    resp = say(surfaces, "hello", forged)
    assert resp.status == 401, (resp.status, resp.text[:200])
    assert resp.code == "identity_invalid", resp.text[:200]
    assert forged not in resp.text and forged not in json.dumps(resp.headers)
    assert surfaces.fn_calls() == before, "the chat function ran for a refused token"


def test_rs256_from_the_configured_key_is_accepted(surfaces: Server) -> None:
    """The control for the confusion cases: the right key's RS256 token is taken."""
    resp = say(surfaces, "hello", rsa_token("user-rsa"))
    assert answered(resp), resp.text[:300]


def test_unknown_kid_on_a_valid_token_chooses_no_key(surfaces: Server) -> None:
    """``kid`` is never read: a rightly signed token with a hostile ``kid`` is checked with our
    key (accepted), and the ``kid`` is nowhere in the answer."""
    kid = "../../etc/passwd' OR 1=1 --"
    resp = say(surfaces, "hello", token("user-ann", headers={"kid": kid}))
    assert answered(resp), resp.text[:300]
    assert kid not in resp.text


@pytest.mark.parametrize("path", ["/api/config", "/api/history", "/gradio_api/info"])
def test_a_valid_token_is_never_echoed(path: str, surfaces: Server) -> None:
    secret_token = token("user-echo")
    resp = check(request(surfaces, "GET", path, headers=as_user(secret_token)), what=path)
    assert resp.status < 500
    assert secret_token not in resp.text and secret_token not in json.dumps(resp.headers)


def test_a_token_in_the_query_string_is_not_taken_nor_echoed(surfaces: Server) -> None:
    """Only the header carries a token: one in a URL (``?token=``, ``?user=``) identifies nobody
    (so no site is tempted to put it there) and is not echoed."""
    value = token("user-url")
    for name in ("token", "user", "user_token", USER_HEADER):
        resp = check(request(surfaces, "GET", f"/api/history?{name}={value}"), what=f"?{name}=")
        assert resp.status == 401, (name, resp.status, resp.text[:200])
        assert value not in resp.text


def test_the_answer_does_not_carry_the_token(surfaces: Server) -> None:
    value = token("user-answer")
    resp = say(surfaces, "!history", value)
    assert answered(resp)
    assert value not in resp.text
    assert all(value not in json.dumps(data) for _, data in sse_events(resp.text))


@pytest.mark.parametrize("path", ["/", "/api/config", "/admin/login"])
def test_our_responses_send_no_referrer(path: str, surfaces: Server) -> None:
    """A URL of ours never goes to a third party in a Referer: ``no-referrer`` (the console
    says ``same-origin``, so its forms keep their Origin)."""
    resp = check(request(surfaces, "GET", path), what=path)
    assert resp.headers.get("referrer-policy") in ("no-referrer", "same-origin"), resp.headers


def test_our_scripts_cannot_become_a_document_that_sends_a_referer(surfaces: Server) -> None:
    """A script is not a document: what it fetches goes with the embedding page's policy, so a
    referrer policy on it would do nothing. What matters is that it can only be run as a
    script, never sniffed into a page with links: a script type and ``nosniff``."""
    resp = check(request(surfaces, "GET", "/widget.js"), what="/widget.js")
    assert resp.status == 200
    assert resp.headers.get("content-type") == "text/javascript", resp.headers
    assert resp.headers.get("x-content-type-options") == "nosniff", resp.headers


@pytest.fixture(name="host_page")
def _host_page(host: Host, surfaces: Server) -> tuple[str, str]:
    value = token("user-browser")
    path = f"/identified{len(host.pages)}.html"
    host.pages[path] = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host</title>'
        f'<script src="{surfaces.url}/widget.js" data-user-token="{value}" async></script>'
        "</head><body><h1>A website</h1></body></html>"
    )
    return f"http://localhost:{host.port}{path}", value


def test_the_widget_never_puts_the_token_in_a_url(
    browser: Browser, host_page: tuple[str, str], surfaces: Server
) -> None:
    """In Chromium: a signed-in visitor chats; the token travels in the header of the chat
    request and in no request's URL nor Referer."""
    url, value = host_page
    visit = Visit(browser, surfaces.url)
    seen: list[Request] = []
    visit.page.on("request", lambda sent: seen.append(sent))
    try:
        visit.page.goto(url)
        visit.page.get_by_role("button", name="Open chat").click()
        box = visit.page.get_by_role("textbox", name="Message")
        box.fill("hello from the browser")
        box.press("Enter")
        bots = visit.page.locator(".msg.bot:not(.part)")
        expect(bots.last).to_have_attribute("aria-busy", "false")
        visit.page.evaluate(SETTLE)
        chats = [r for r in seen if r.url.endswith("/api/chat")]
        assert chats and chats[0].headers.get(USER_HEADER.lower()) == value
        for sent in seen:
            assert value not in sent.url, sent.url
            assert value not in (sent.headers.get("referer") or ""), sent.url
    finally:
        visit.close()
