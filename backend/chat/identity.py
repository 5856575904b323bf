"""Who the visitor is, as the host site vouches: a JWT its own server signs for its logged-in
user, checked here with PyJWT (no crypto of our own).

The site signs with the shared secret ``identity_secret`` (HS256) or with the private key whose
public half is ``identity_public_key`` (RS256 for an RSA key, ES256 for a P-256 key). Every
token must carry ``sub`` and ``exp``, and ``aud`` equal to ``identity_audience`` when that is
set (a token with an ``aud`` is refused when it is not). The algorithm in the token's header
only picks which of our keys may check it, from a fixed table: ``none`` and every other
algorithm are refused, an HS256 token is never checked with the public key nor an RS256/ES256
one with the secret (no algorithm confusion), and PyJWT is told that one algorithm only.

What the chat function sees (``request.username``: ``sub``; ``request.claims``: the verified
claims) comes from :class:`Identity`; the HTTP layer reads the token from the
``X-Chatbubble-User`` header (``http/identity.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InvalidIdentityError
from ..settings import Settings, SettingsError

#: Clock skew allowed between the site's server and ours, in seconds.
LEEWAY = 30
#: Longest token accepted, in characters (a header; a JWT with a few claims is far shorter).
MAX_TOKEN_CHARS = 8192
#: The shortest HS256 secret (RFC 7518 3.2: at least the hash's 256 bits).
MIN_SECRET_BYTES = 32


@dataclass(frozen=True)
class Identity:
    """A verified visitor: ``subject`` is the token's ``sub``, ``claims`` all its claims."""

    subject: str
    claims: Mapping[str, Any] = field(default_factory=dict)


def _public_key(setting: str) -> tuple[str, Any]:
    """The algorithm and key of ``identity_public_key`` (PEM text, or the path of a PEM file)."""
    # Imported here, as PyJWT is below: an app without identity keys never loads them
    # (about 20 MB of a server's memory).
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    text = setting
    if not setting.lstrip().startswith("-----BEGIN"):
        try:
            text = Path(setting).read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError) as error:
            raise SettingsError(
                f"identity_public_key: cannot read the PEM file {setting!r} ({error})"
            ) from None
    try:
        key = load_pem_public_key(text.encode("ascii"))
    except (ValueError, UnicodeEncodeError, TypeError):
        raise SettingsError(
            "identity_public_key: not a PEM public key (-----BEGIN PUBLIC KEY-----)"
        ) from None
    if isinstance(key, rsa.RSAPublicKey):
        if key.key_size < 2048:
            raise SettingsError("identity_public_key: an RSA key must have at least 2048 bits")
        return "RS256", key
    if isinstance(key, ec.EllipticCurvePublicKey) and isinstance(key.curve, ec.SECP256R1):
        return "ES256", key
    raise SettingsError("identity_public_key: use an RSA (RS256) or P-256 (ES256) public key")


class IdentityVerifier:
    """Checks a visitor's token against the keys of the settings."""

    def __init__(self, keys: Mapping[str, Any], audience: str) -> None:
        #: Algorithm -> the one key that may check a token of that algorithm.
        self.keys = dict(keys)
        self.audience = audience

    @classmethod
    def from_settings(cls, settings: Settings) -> IdentityVerifier | None:
        """The verifier the settings ask for; None when they set no key."""
        keys: dict[str, Any] = {}
        if settings.identity_secret:
            keys["HS256"] = settings.identity_secret.encode()
        if settings.identity_public_key:
            algorithm, key = _public_key(settings.identity_public_key)
            keys[algorithm] = key
        if not keys:
            return None
        return cls(keys, settings.identity_audience)

    def verify(self, token: str) -> Identity:
        """The identity ``token`` proves; :class:`InvalidIdentityError` (401) saying why not."""
        import jwt  # loaded once a verifier exists (see _public_key)

        if not token or len(token) > MAX_TOKEN_CHARS:
            raise InvalidIdentityError()
        try:
            algorithm = jwt.get_unverified_header(token).get("alg")
        except jwt.PyJWTError:
            raise InvalidIdentityError() from None
        if not isinstance(algorithm, str) or algorithm not in self.keys:
            raise InvalidIdentityError()  # "none", or an algorithm none of our keys is for
        key = self.keys[algorithm]
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[algorithm],
                audience=self.audience or None,
                leeway=LEEWAY,
                options={"require": ["exp", "sub"]},
            )
        except jwt.ExpiredSignatureError:
            raise InvalidIdentityError(InvalidIdentityError.expired_message) from None
        except jwt.PyJWTError:
            raise InvalidIdentityError() from None
        subject = claims.get("sub")
        if not isinstance(subject, str) or not subject.strip():
            raise InvalidIdentityError()
        return Identity(subject, claims)
