"""Signed login tokens: issued for a user, refused when forged, expired or for another app."""

from __future__ import annotations

from backend.http.login_tokens import LoginTokens


def test_a_token_names_its_user_until_it_expires() -> None:
    tokens = LoginTokens(b"secret", "app", 60)
    token, expires = tokens.issue("ännä", now=1000)
    assert expires == 1060
    assert tokens.verify(token, now=1059) == "ännä"
    assert tokens.verify(token, now=1060) is None


def test_forged_and_foreign_tokens_are_refused() -> None:
    tokens = LoginTokens(b"secret", "app", 60)
    token, _ = tokens.issue("ann", now=1000)
    name, expiry, mac = token.split(".")
    assert tokens.verify(f"{name}.{int(expiry) + 1000}.{mac}", now=1000) is None
    assert tokens.verify(f"Ym9i.{expiry}.{mac}", now=1000) is None  # "bob"
    assert LoginTokens(b"other", "app", 60).verify(token, now=1000) is None
    assert LoginTokens(b"secret", "other app", 60).verify(token, now=1000) is None
    for junk in ("", "a.b", "a.b.c.d", "x" * 2000, f"{name}.-5.{mac}"):
        assert tokens.verify(junk, now=1000) is None


def test_a_token_with_other_than_ascii_is_refused_not_a_crash() -> None:
    tokens = LoginTokens(b"k" * 32, "app", 60)
    token, _ = tokens.issue("ann")
    assert tokens.verify(token[:-1] + "é") is None
    assert tokens.verify("a.1.\u00e9") is None
