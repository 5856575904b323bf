"""The host site's visitor token (``chat/identity.py``): what verifies, and every refusal."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from backend import Settings
from backend.chat.identity import IdentityVerifier
from backend.errors import InvalidIdentityError
from backend.settings import SettingsError

SECRET = "s" * 64  # long enough for HS512 too (PyJWT warns below)
AUDIENCE = "https://chat.example"
RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
EC_KEY = ec.generate_private_key(ec.SECP256R1())


def pem(key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def claims(**extra: Any) -> dict[str, Any]:
    return {
        "sub": "user-42",
        "name": "Ada",
        "exp": int(time.time()) + 86_400,
        "aud": AUDIENCE,
        **extra,
    }


def verifier(**settings: Any) -> IdentityVerifier:
    found = IdentityVerifier.from_settings(
        Settings.from_mapping({"identity_audience": AUDIENCE, **settings})
    )
    assert found is not None
    return found


def refused(check: IdentityVerifier, token: str) -> str:
    with pytest.raises(InvalidIdentityError) as caught:
        check.verify(token)
    assert caught.value.status == 401 and caught.value.code == "identity_invalid"
    return caught.value.message


def b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_no_key_no_verifier() -> None:
    assert IdentityVerifier.from_settings(Settings()) is None


def test_an_hs256_token_gives_sub_and_claims() -> None:
    found = verifier(identity_secret=SECRET).verify(jwt.encode(claims(), SECRET, "HS256"))
    assert found.subject == "user-42" and found.claims["name"] == "Ada"


def test_rs256_and_es256_tokens_verify_with_their_public_keys(tmp_path: Path) -> None:
    found = verifier(identity_public_key=pem(RSA_KEY)).verify(
        jwt.encode(claims(), RSA_KEY, "RS256")
    )
    assert found.subject == "user-42"
    key_file = tmp_path / "key.pem"
    key_file.write_text(pem(EC_KEY))
    found = verifier(identity_public_key=str(key_file)).verify(
        jwt.encode(claims(sub="bob"), EC_KEY, "ES256")
    )
    assert found.subject == "bob"


def test_a_forged_signature_is_refused() -> None:
    check = verifier(identity_secret=SECRET)
    assert "could not be verified" in refused(check, jwt.encode(claims(), "x" * 40, "HS256"))
    # The claims changed after signing: the signature no longer matches.
    head, _, signature = jwt.encode(claims(), SECRET, "HS256").split(".")
    refused(check, f"{head}.{b64(claims(sub='admin'))}.{signature}")
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    refused(verifier(identity_public_key=pem(RSA_KEY)), jwt.encode(claims(), other, "RS256"))


def test_an_expired_token_is_refused_saying_so() -> None:
    token = jwt.encode(claims(exp=int(time.time()) - 3600), SECRET, "HS256")
    assert "expired" in refused(verifier(identity_secret=SECRET), token)


def test_alg_none_is_refused() -> None:
    token = f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(claims())}."
    refused(verifier(identity_secret=SECRET), token)
    refused(verifier(identity_public_key=pem(RSA_KEY)), token)
    refused(verifier(identity_secret=SECRET), f"{b64({'alg': 'None'})}.{b64(claims())}.")


def test_a_token_for_another_audience_or_without_one_is_refused() -> None:
    check = verifier(identity_secret=SECRET)
    refused(check, jwt.encode(claims(aud="https://other.example"), SECRET, "HS256"))
    without = claims()
    del without["aud"]
    refused(check, jwt.encode(without, SECRET, "HS256"))
    # No audience set: a token that names one is for someone else.
    open_check = IdentityVerifier.from_settings(Settings(identity_secret=SECRET))
    assert open_check is not None
    refused(open_check, jwt.encode(claims(), SECRET, "HS256"))
    assert open_check.verify(jwt.encode(without, SECRET, "HS256")).subject == "user-42"


def test_tokens_without_sub_or_exp_are_refused() -> None:
    check = verifier(identity_secret=SECRET)
    for missing in ("sub", "exp"):
        partial = claims()
        del partial[missing]
        refused(check, jwt.encode(partial, SECRET, "HS256"))
    refused(check, jwt.encode(claims(sub=""), SECRET, "HS256"))


def test_no_algorithm_confusion() -> None:
    public = pem(RSA_KEY)
    both = verifier(identity_secret=SECRET, identity_public_key=public)
    assert both.verify(jwt.encode(claims(), SECRET, "HS256")).subject == "user-42"
    assert both.verify(jwt.encode(claims(), RSA_KEY, "RS256")).subject == "user-42"
    # The classic attack: an HS256 token "signed" with the public key's PEM text.
    head = b64({"alg": "HS256", "typ": "JWT"})
    body = b64(claims(sub="admin"))
    mac = hmac.new(public.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
    forged = f"{head}.{body}.{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}"
    refused(verifier(identity_public_key=public), forged)
    refused(both, forged)
    # An RS256 token is never checked with the secret, nor ES256 with an RSA key.
    refused(verifier(identity_secret=SECRET), jwt.encode(claims(), RSA_KEY, "RS256"))
    refused(verifier(identity_public_key=public), jwt.encode(claims(), EC_KEY, "ES256"))
    refused(verifier(identity_public_key=pem(EC_KEY)), jwt.encode(claims(), RSA_KEY, "RS256"))
    # Algorithms no key is for: HS512 with the right secret, RS512 with the right key.
    refused(verifier(identity_secret=SECRET), jwt.encode(claims(), SECRET, "HS512"))
    refused(verifier(identity_public_key=public), jwt.encode(claims(), RSA_KEY, "RS512"))


def test_garbage_is_refused() -> None:
    check = verifier(identity_secret=SECRET)
    for token in ("", "abc", "a.b.c", "x" * 9000, f"{b64({'alg': 5})}.{b64(claims())}.x"):
        refused(check, token)


def test_unusable_settings_are_refused(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="32 bytes"):
        Settings(identity_secret="short")
    with pytest.raises(SettingsError, match="identity_required needs"):
        Settings(identity_required=True)
    with pytest.raises(SettingsError, match="cannot read"):
        IdentityVerifier.from_settings(Settings(identity_public_key=str(tmp_path / "none.pem")))
    with pytest.raises(SettingsError, match="not a PEM public key"):
        IdentityVerifier.from_settings(Settings(identity_public_key="-----BEGIN nonsense"))
    small = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    with pytest.raises(SettingsError, match="2048"):
        IdentityVerifier.from_settings(Settings(identity_public_key=pem(small)))
    p384 = ec.generate_private_key(ec.SECP384R1())
    with pytest.raises(SettingsError, match="P-256"):
        IdentityVerifier.from_settings(Settings(identity_public_key=pem(p384)))
