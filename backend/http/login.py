"""The login an app asks for with ``launch(auth=...)`` (or the ``auth`` setting): who the
request is from, and which routes need someone.

A request is logged in when it carries a token from ``/login`` (``login_tokens.py``), either as
``Authorization: Bearer <token>`` (the widget, which works on any website, where a third-party
cookie may be blocked) or in Gradio's cookies ``access-token-<id>`` /
``access-token-unsecure-<id>`` (what ``gradio_client`` and ``@gradio/client`` keep and send).
Every route that runs the chat or returns the app's data needs a login; what a page loads to
show the bubble and its login form does not (:data:`PUBLIC`), nor the capability URLs of files
the chat returned (their ids are unguessable and handed out only to logged-in callers: an
``<img>`` cannot send a token).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass

from quart import g, request

from ..chat.accounts import Accounts
from ..errors import LoginRequiredError
from .login_tokens import LoginTokens

#: Endpoints anyone may reach when the app has a login.
PUBLIC = frozenset(
    {
        "chatbubble_widget.widget_js",
        "chatbubble_widget.widget_chunk",
        "chatbubble_widget.healthz",
        "chatbubble_widget.asset",
        "chatbubble_widget.site_root",
        "chatbubble_widget.site_index",
        "chatbubble_widget.site_file",
        "chatbubble_widget.favicon",
        "chatbubble_widget.katex_font",
        "chatbubble_config.config",
        "chatbubble_page.page",
        "chatbubble_files.file",
        "chatbubble_login.login",
        "chatbubble_login.login_check",
        "chatbubble_login.logout",
    }
)


#: The operator console's endpoints: it has its own login (``admin/``), not the visitors'.
ADMIN_ENDPOINTS = "chatbubble_admin."


def public(endpoint: str | None) -> bool:
    """Whether the visitors' login and identity leave this endpoint alone."""
    return endpoint is None or endpoint in PUBLIC or endpoint.startswith(ADMIN_ENDPOINTS)


@dataclass(frozen=True)
class Login:
    accounts: Accounts
    tokens: LoginTokens
    message: str | None
    #: Gradio's per-app cookie suffix (stable here, so a restart keeps clients logged in).
    cookie_id: str

    @classmethod
    def create(
        cls, accounts: Accounts, secret: bytes, app_id: str, lifetime: float, message: str | None
    ) -> Login:
        digest = hmac.new(secret, b"chatbubble cookie\0" + app_id.encode(), hashlib.sha256)
        cookie_id = base64.urlsafe_b64encode(digest.digest()[:24]).decode()
        return cls(accounts, LoginTokens(secret, app_id, lifetime), message, cookie_id)

    @property
    def cookie_names(self) -> tuple[str, str]:
        """Gradio's two cookies: the ``Secure; SameSite=None`` one and the plain one."""
        return f"access-token-{self.cookie_id}", f"access-token-unsecure-{self.cookie_id}"

    def user(self) -> str | None:
        """Who this request is logged in as: its bearer token, else Gradio's cookies."""
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            found = self.tokens.verify(token.strip())
            if found is not None:
                return found
        for name in self.cookie_names:
            cookie = request.cookies.get(name)
            if cookie:
                found = self.tokens.verify(cookie)
                if found is not None:
                    return found
        return None

    def check(self, *, api_key: str) -> None:
        """Before every request: remember who is logged in (``gr.Request.username``) and refuse
        a protected route without a login. ``/v1`` with its own ``api_key`` set is left to that
        key's check (an OpenAI client sends one bearer key: the API key or a login token)."""
        user = self.user()
        g.chatbubble_user = user
        endpoint = request.endpoint
        if user is not None or endpoint is None or public(endpoint):
            return
        if api_key and endpoint.startswith("chatbubble_openai."):
            return
        raise LoginRequiredError()


def current_user() -> str | None:
    """The logged-in username of the request being answered (None without a login)."""
    user = g.get("chatbubble_user")
    return user if isinstance(user, str) else None
