"""The console's session: a signed cookie, and the CSRF tokens of its forms.

The cookie holds a login token (``login_tokens.py``: name, expiry, HMAC) signed with a key
derived from the server's secret, the app's id and every admin key, so a visitor's login token
never opens the console and changing a key ends every session. It is ``HttpOnly``,
``SameSite=Strict``, ``Path=/admin`` and ``Secure`` when the console is reached over https
(directly, through a trusted proxy's ``X-Forwarded-Proto``, or by a ``public_url`` that says so).

Every form that changes something carries a CSRF token: the session's own, an HMAC of its
cookie (nothing stored). The login form, before any session, uses a double-submit token: a
random value in a short-lived cookie and the same in the form.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from quart import Response, request

from ..client_address import Network, trusted
from ..login_tokens import LoginTokens

COOKIE = "chatbubble_admin"
LOGIN_COOKIE = "chatbubble_admin_login"
PATH = "/admin"
#: How long a console session lasts.
LIFETIME = 12 * 3600
LOGIN_FORM_LIFETIME = 3600
OPERATOR = "operator"


class AdminSession:
    def __init__(
        self,
        secret: bytes,
        app_id: str,
        fingerprint: bytes,
        *,
        proxies: tuple[Network, ...] = (),
        https: bool = False,
        prefix: str = "",
    ) -> None:
        key = hmac.new(secret, b"chatbubble admin\0" + fingerprint, hashlib.sha256).digest()
        self._key = key
        self.tokens = LoginTokens(key, "admin\0" + app_id, LIFETIME)
        self._proxies = proxies
        self._https = https
        #: The cookies' path: ``/admin`` under the app's ``root_path``.
        self.path = prefix + PATH

    # -- the session cookie -------------------------------------------------------------------

    def current(self) -> str | None:
        """The session token of this request, when it is a valid one."""
        token = request.cookies.get(COOKIE, "")
        name = self.tokens.verify(token) if token else None
        if name is not None and name.startswith(OPERATOR + " "):
            return token
        return None

    def open(self, response: Response) -> None:
        # A random name per login: two logins never share a session, nor its CSRF token.
        token, _ = self.tokens.issue(f"{OPERATOR} {secrets.token_urlsafe(16)}")
        self._set(response, COOKIE, token, LIFETIME)
        response.delete_cookie(LOGIN_COOKIE, path=self.path)

    def close(self, response: Response) -> None:
        response.delete_cookie(COOKIE, path=self.path, secure=self.secure(), httponly=True)

    # -- CSRF ---------------------------------------------------------------------------------

    def csrf(self, session: str) -> str:
        """The token the session's forms carry."""
        return hmac.new(self._key, b"csrf\0" + session.encode(), hashlib.sha256).hexdigest()

    def csrf_ok(self, session: str, given: object) -> bool:
        return isinstance(given, str) and hmac.compare_digest(
            given.encode(), self.csrf(session).encode()
        )

    def login_form(self, response: Response, value: str) -> None:
        """Sets the login form's double-submit cookie (``value`` goes in the form)."""
        self._set(response, LOGIN_COOKIE, value, LOGIN_FORM_LIFETIME)

    @staticmethod
    def new_login_token() -> str:
        return secrets.token_urlsafe(32)

    def login_form_ok(self, given: object) -> bool:
        cookie = request.cookies.get(LOGIN_COOKIE, "")
        return (
            isinstance(given, str)
            and len(cookie) >= 32
            and hmac.compare_digest(given.encode(), cookie.encode())
        )

    # -- transport ----------------------------------------------------------------------------

    def secure(self) -> bool:
        """Whether this request reached us over https (so the cookie may say ``Secure``)."""
        if request.scheme == "https" or self._https:
            return True
        if not trusted(request.remote_addr or "", self._proxies):
            return False
        forwarded = request.headers.get("X-Forwarded-Proto", "")
        return forwarded.split(",")[0].strip().lower() == "https"

    def _set(self, response: Response, name: str, value: str, max_age: int) -> None:
        response.set_cookie(
            name,
            value,
            max_age=max_age,
            path=self.path,
            httponly=True,
            secure=self.secure(),
            samesite="Strict",
        )
