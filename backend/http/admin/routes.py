"""``/admin``: the operator console's routes (only when ``admin_password`` or ``admin_tokens``
is set). Pages need the session cookie (else they redirect to the login page); every POST needs
its form's CSRF token (else a 403 ``csrf_failed``); login attempts count against
``login_rate_limit`` per client."""

from __future__ import annotations

import secrets
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

from quart import Blueprint, Response, request

from ...errors import (
    BodyTooLargeError,
    CsrfError,
    InvalidRequestError,
    LoginRequiredError,
    NotFoundError,
    OriginNotAllowedError,
    RateLimitedError,
    UnsupportedMediaTypeError,
)
from ...storage.store import ConversationStore, Transcript
from ..bodies import chunks, refuse_encoded
from .export import FORMATS, MEDIA_TYPES, Format, export_lines
from .filters import PAGE_SIZE, Query
from .html import Shell, csp
from .keys import AdminKeys
from .overview import DEFAULT_PERIOD, PERIODS, overview_page, period_bounds, series
from .pages import delete_page, login_page, message_page, transcripts_page
from .session import AdminSession
from .transcript_page import transcript_page

if TYPE_CHECKING:
    from ..state import AppState

#: The admin script and stylesheet ``widget/build.mjs`` builds (never part of the widget).
STATIC_DIR = Path(__file__).resolve().parents[2] / "static" / "admin"
STATIC_FILES = {
    "overview.js": "text/javascript; charset=utf-8",
    "uPlot.min.css": "text/css; charset=utf-8",
}
MAX_FORM_BYTES = 8 * 1024
MAX_ID_CHARS = 200


def admin_blueprint(
    state: AppState, keys: AdminKeys, session: AdminSession, store: ConversationStore
) -> Blueprint:
    bp = Blueprint("chatbubble_admin", __name__, url_prefix="/admin")
    prefix = state.settings.path_prefix

    own_origins = {urlsplit(state.settings.base_url).netloc.lower()}

    @bp.before_request
    async def from_its_own_pages() -> None:
        """A change comes from the console's own pages (whatever ``allowed_origins`` says
        about the chat): a request whose ``Origin`` is another site's is refused."""
        origin = request.headers.get("Origin")
        if request.method in ("GET", "HEAD") or origin is None:
            return
        host = urlsplit(origin).netloc.lower() if "://" in origin else ""
        if host not in own_origins | {request.host.lower()}:
            raise OriginNotAllowedError("The console takes forms from its own pages only.")

    def html(body: str, nonce: str, status: int = 200) -> Response:
        response = Response(body, status=status, mimetype="text/html")
        response.headers["Content-Security-Policy"] = csp(nonce)
        response.headers["Cache-Control"] = "no-store"
        # The app's no-referrer would make the browser send ``Origin: null`` with the forms.
        response.headers["Referrer-Policy"] = "same-origin"
        return response

    def signed_in() -> str | None:
        return session.current()

    def to_login() -> Response:
        return see_other(f"{prefix}/admin/login")

    async def form() -> dict[str, str]:
        """The posted form (url-encoded, at most 8 KB), one value per field."""
        if request.mimetype != "application/x-www-form-urlencoded":
            raise UnsupportedMediaTypeError("Send the console's form as a form.")
        refuse_encoded()
        data = bytearray()
        too_large = BodyTooLargeError("The form is too large.")
        async for chunk in chunks(MAX_FORM_BYTES, too_large):
            data += chunk
        try:
            fields = parse_qs(data.decode(), keep_blank_values=True, max_num_fields=20)
        except (UnicodeDecodeError, ValueError):
            raise InvalidRequestError("The form could not be read.") from None
        return {name: values[0] for name, values in fields.items()}

    async def checked_form() -> tuple[str, dict[str, str]]:
        """The session and the form of a change, its CSRF token checked."""
        token = signed_in()
        if token is None:
            raise LoginRequiredError("Log in to the console first.")
        fields = await form()
        if not session.csrf_ok(token, fields.get("csrf")):
            raise CsrfError()
        return token, fields

    def login_response(message: str = "", status: int = 200) -> Response:
        nonce = secrets.token_urlsafe(18)
        value = session.new_login_token()
        response = html(login_page(Shell(prefix), nonce, value, message), nonce, status)
        session.login_form(response, value)
        return response

    @bp.get("/login")
    async def login_form() -> Response:
        if signed_in():
            return see_other(f"{prefix}/admin")
        return login_response()

    @bp.post("/login")
    async def login() -> Response:
        try:
            await state.limit(state.limits.logins)
        except RateLimitedError as error:
            response = login_response(
                f"Too many attempts. Try again in {max(1, round(error.retry_after))} s.", 429
            )
            response.headers["Retry-After"] = str(max(1, round(error.retry_after)))
            return response
        fields = await form()
        if not session.login_form_ok(fields.get("csrf")):
            raise CsrfError()
        if not keys.check(fields.get("password", "")):
            return login_response("Wrong password or token.", 401)
        response = see_other(f"{prefix}/admin")
        session.open(response)
        return response

    @bp.post("/logout")
    async def logout() -> Response:
        await checked_form()
        response = see_other(f"{prefix}/admin/login")
        session.close(response)
        return response

    @bp.get("")
    @bp.get("/")
    async def overview() -> Response:
        token = signed_in()
        if token is None:
            return to_login()
        raw = request.args.get("days", str(DEFAULT_PERIOD))
        days = int(raw) if raw.isdigit() and int(raw) in PERIODS else DEFAULT_PERIOD
        since, until = period_bounds(days, time.time())
        stats = await store.stats(since, until)
        nonce = secrets.token_urlsafe(18)
        shell = Shell(prefix, session.csrf(token))
        return html(overview_page(shell, nonce, stats, days, series(stats, since, until)), nonce)

    @bp.get("/transcripts")
    async def transcripts() -> Response:
        token = signed_in()
        if token is None:
            return to_login()
        query = Query.read(request.args)
        filters = query.filters()
        total = await store.count(filters)
        rows = await store.conversations(filters, limit=PAGE_SIZE, offset=query.offset)
        nonce = secrets.token_urlsafe(18)
        shell = Shell(prefix, session.csrf(token))
        return html(transcripts_page(shell, nonce, query, rows, total), nonce)

    def conversation_id() -> str:
        found = request.args.get("id", "")
        if not found or len(found) > MAX_ID_CHARS:
            raise NotFoundError("No such conversation.")
        return found

    async def named_transcript() -> Transcript:
        """The conversation the query's ``id`` names (404 when there is none)."""
        found = await store.transcript(conversation_id())
        if found is None:
            raise NotFoundError("No such conversation.")
        return found

    @bp.get("/transcript")
    async def transcript() -> Response:
        token = signed_in()
        if token is None:
            return to_login()
        found = await named_transcript()
        nonce = secrets.token_urlsafe(18)
        shell = Shell(prefix, session.csrf(token))
        back = f"{prefix}/admin/transcripts"
        return html(transcript_page(shell, nonce, found, back), nonce)

    @bp.get("/delete")
    async def confirm_delete() -> Response:
        token = signed_in()
        if token is None:
            return to_login()
        found = await named_transcript()
        nonce = secrets.token_urlsafe(18)
        return html(delete_page(Shell(prefix, session.csrf(token)), nonce, found.summary), nonce)

    @bp.post("/delete")
    async def delete() -> Response:
        token, fields = await checked_form()
        target = fields.get("id", "")
        if not target or len(target) > MAX_ID_CHARS:
            raise InvalidRequestError("Name the conversation to delete.")
        deleted = await store.delete_conversation(target)
        nonce = secrets.token_urlsafe(18)
        shell = Shell(prefix, session.csrf(token))
        text = "The conversation was deleted." if deleted else "There was no such conversation."
        return html(
            message_page(shell, nonce, "Deleted" if deleted else "Not found", text),
            nonce,
            200 if deleted else 404,
        )

    @bp.get("/export.<fmt>")
    async def export(fmt: str) -> Response:
        if signed_in() is None:
            raise LoginRequiredError("Log in to the console first.")
        if fmt not in FORMATS:
            raise NotFoundError()
        chosen: Format = "csv" if fmt == "csv" else "jsonl"
        filters = Query.read(request.args).filters()
        lines = export_lines(store, filters, chosen)

        async def body() -> AsyncIterator[bytes]:
            async for line in lines:
                yield line.encode()

        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        response = Response(body(), mimetype=MEDIA_TYPES[chosen].split(";")[0])
        response.headers["Content-Type"] = MEDIA_TYPES[chosen]
        response.headers["Content-Disposition"] = (
            f'attachment; filename="chatbubble-{stamp}.{chosen}"'
        )
        response.headers["Cache-Control"] = "no-store"
        return response

    @bp.get("/static/<name>")
    async def static(name: str) -> Response:
        if name not in STATIC_FILES or not (STATIC_DIR / name).is_file():
            raise NotFoundError()
        response = Response(
            (STATIC_DIR / name).read_bytes(), mimetype=STATIC_FILES[name].split(";")[0]
        )
        response.headers["Content-Type"] = STATIC_FILES[name]
        response.headers["Cache-Control"] = "no-cache"
        return response

    return bp


def see_other(location: str) -> Response:
    """A 303 to ``location`` (after a form, or to the login page)."""
    response = Response("", status=303)
    response.headers["Location"] = location
    return response
