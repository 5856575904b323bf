"""What the cases on the newer surfaces share (identity tokens, the store, the console): one
echo server with all of them on, its keys, a signed visitor token, and a console login over
real HTTP with its cookies.

The server checks the host site's tokens with both an HS256 secret and an RSA public key (so
algorithm confusion between the two can be tried), keeps conversations in SQLite with
``store_transcripts``, and opens ``/admin`` with a password.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.security.harness import Resp, Server, chat, check, request, sse_events

SECRET = "the-host-sites-shared-secret-0123456789abcdef"
OTHER_SITE_SECRET = "another-sites-shared-secret-0123456789abcdef"
AUDIENCE = "https://chat.example"
PASSWORD = "console password 8c1f2e"
USER_HEADER = "X-Chatbubble-User"
RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
PUBLIC_PEM = (
    RSA_KEY.public_key()
    .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    .decode()
)
Servers = Callable[..., Server]


def token(sub: str = "user-ann", *, key: str | bytes | None = None, alg: str = "HS256",
          headers: dict[str, Any] | None = None, **claims: Any) -> str:  # fmt: skip
    """A visitor token as the host site signs it (a day long, our audience, HS256)."""
    body = {"sub": sub, "exp": int(time.time()) + 86_400, "aud": AUDIENCE, **claims}
    body = {name: value for name, value in body.items() if value is not None}
    return jwt.encode(body, SECRET if key is None else key, alg, headers=headers)


def rsa_token(sub: str = "user-ann", **claims: Any) -> str:
    pem = RSA_KEY.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return token(sub, key=pem, alg="RS256", **claims)


def as_user(value: str) -> dict[str, str]:
    return {USER_HEADER: value}


def say(server: Server, text: str, user_token: str | None = None, **fields: Any) -> Resp:
    """One chat turn, its whole answer read; checked (G-2, G-5)."""
    headers = as_user(user_token) if user_token else {}
    resp = chat(server, {"message": text, "history": [], **fields}, headers)
    return check(resp, what=f"chat {text[:30]!r}")


def answered(resp: Resp) -> bool:
    return resp.status == 200 and any(name == "done" for name, _ in sse_events(resp.text))


class Console:
    """A browser's cookie jar on ``/admin`` of one server, over raw HTTP."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.cookies: dict[str, str] = {}

    def send(self, method: str, path: str, form: dict[str, str] | None = None,
             headers: dict[str, str] | None = None) -> Resp:  # fmt: skip
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode()
            sent.setdefault("Content-Type", "application/x-www-form-urlencoded")
        resp = request(self.server, method, path, body, sent)
        for line in resp.set_cookies:
            name, _, rest = line.partition("=")
            value = rest.split(";", 1)[0]
            if value and "max-age=0" not in line.lower() and "1970" not in line:
                self.cookies[name] = value
            else:
                self.cookies.pop(name, None)
        return resp

    def csrf(self, path: str) -> str:
        page = self.send("GET", path)
        found = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert found, f"{path} has no CSRF field: {page.status} {page.text[:200]}"
        return found[1]

    def log_in(self, password: str = PASSWORD, headers: dict[str, str] | None = None) -> Resp:
        return self.send(
            "POST", "/admin/login", {"csrf": self.csrf("/admin/login"), "password": password},
            headers,
        )  # fmt: skip


def rows(db: Path, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        return connection.execute(sql, args).fetchall()


@pytest.fixture(scope="session", name="surfaces_db")
def _surfaces_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("surfaces") / "store.sqlite3"


@pytest.fixture(scope="session", name="surfaces")
def _surfaces(servers: Servers, surfaces_db: Path) -> Server:
    return servers(
        "echo",
        "--identity-secret", SECRET,
        "--identity-public-key", PUBLIC_PEM,
        "--identity-audience", AUDIENCE,
        "--admin-password", PASSWORD,
        "--database-url", f"sqlite:///{surfaces_db}",
        "--store-transcripts",
    )  # fmt: skip


@pytest.fixture(name="console")
def _console(surfaces: Server) -> Console:
    """A console logged in on the surfaces server."""
    console = Console(surfaces)
    resp = console.log_in()
    assert resp.status == 303, (resp.status, resp.text[:200])
    return console
