"""``POST /login`` (Gradio's: a form with ``username`` and ``password``, or JSON from the widget),
``GET /login_check`` and ``/logout``; only when the app has a login (``login.py``).

A good login answers ``{"success": true, "token": ..., "expires": ...}`` and sets Gradio's two
cookies with the same token (so ``gradio_client`` and ``@gradio/client`` work unchanged); the
widget keeps the token and sends it as ``Authorization: Bearer``. A wrong one is a 401
``invalid_credentials``; attempts count against ``login_rate_limit`` per client.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from quart import Blueprint, Response, jsonify, request

from ..errors import InvalidCredentialsError, InvalidRequestError, LoginRequiredError
from .bodies import json_body
from .chat_request import parse_json
from .login import Login

if TYPE_CHECKING:
    from .state import AppState

#: Largest login body (a username and a password).
MAX_LOGIN_BYTES = 8 * 1024
MAX_FIELD_CHARS = 1024


def login_blueprint(state: AppState, guard: Login) -> Blueprint:
    bp = Blueprint("chatbubble_login", __name__)

    @bp.post("/login")
    @bp.post("/login/")
    async def login() -> Response:
        await state.limit(state.limits.logins)
        username, password = await _credentials()
        if not await guard.accounts.check(username, password):
            raise InvalidCredentialsError()
        token, expires = guard.tokens.issue(username)
        response = jsonify(
            {"success": True, "ok": True, "username": username, "token": token, "expires": expires}
        )
        response.headers["Cache-Control"] = "no-store"
        secure, plain = guard.cookie_names
        max_age = int(guard.tokens.lifetime)
        response.set_cookie(
            secure, token, max_age=max_age, httponly=True, secure=True, samesite="None"
        )
        response.set_cookie(plain, token, max_age=max_age, httponly=True, samesite="Lax")
        return response

    @bp.get("/login_check")
    @bp.get("/login_check/")
    async def login_check() -> Response:
        if guard.user() is None:
            raise LoginRequiredError()
        return jsonify(None)

    @bp.route("/logout", methods=["GET", "POST"])
    async def logout() -> Response:
        """Forgets Gradio's cookies (a bearer token is forgotten by the widget itself)."""
        response = jsonify({"ok": True})
        for name in guard.cookie_names:
            response.delete_cookie(name)
        return response

    return bp


async def _credentials() -> tuple[str, str]:
    fields: Any
    if request.mimetype == "application/json":
        fields = parse_json(await json_body(MAX_LOGIN_BYTES))
        if not isinstance(fields, dict):
            raise InvalidRequestError("Send a JSON object with username and password.")
    else:
        # The form parser checks only a declared length: a form without one (chunked) could
        # be as large as the app's largest upload, on a route anyone may call.
        if request.content_length is None:
            raise InvalidRequestError("Send the login form with a Content-Length.")
        if request.content_length > MAX_LOGIN_BYTES:
            raise InvalidRequestError("The login form is too large.")
        fields = await request.form
    username, password = fields.get("username"), fields.get("password")
    if not isinstance(username, str) or not isinstance(password, str):
        raise InvalidRequestError("Send a username and a password.")
    if len(username) > MAX_FIELD_CHARS or len(password) > MAX_FIELD_CHARS:
        raise InvalidRequestError("The username or password is too long.")
    return username.strip(), password
