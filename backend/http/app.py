"""``create_app()``: the Quart app around one ChatInterface."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from quart import Blueprint, Quart, Response, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from ..chat.accounts import Accounts
from ..chat.identity import IdentityVerifier
from ..chat.message_ids import MessageSigner, load_secret
from ..chat.outputs import Outputs
from ..errors import (
    BadJSONError,
    BodyTooLargeError,
    ChatbubbleError,
    LoginRequiredError,
    MethodNotAllowedError,
    NotFoundError,
    OriginNotAllowedError,
    RateLimitedError,
    RequestError,
    envelope,
)
from ..files.store import FileStore
from ..settings import Settings
from ..storage.feedback import CsvFeedbackLog
from ..storage.store import ConversationStore, open_store
from .admin import AdminKeys, AdminSession, admin_blueprint
from .chat_routes import chat_blueprint
from .config_routes import config_blueprint
from .cors import OriginPolicy
from .event_routes import event_blueprint
from .feedback_routes import feedback_blueprint
from .file_routes import file_blueprint
from .gradio import gradio_blueprint
from .history_routes import history_blueprint
from .host_header import CheckHost
from .identity import check_identity
from .likes import feedback_options
from .login import ADMIN_ENDPOINTS, Login
from .login_routes import login_blueprint
from .openai_api import PREFIX as OPENAI_PREFIX
from .openai_api import openai_blueprint, openai_error
from .openapi import openapi_blueprint
from .page_routes import page_blueprint
from .root_path import StripPrefix
from .state import AppState
from .store_writes import StoreWrites, app_store, purge_now_and_then
from .widget_asset import WidgetAsset
from .widget_routes import widget_blueprint

if TYPE_CHECKING:
    from ..chat.interface import ChatInterface

log = logging.getLogger("backend.app")

DEMO_PAGE_CSP = (
    "default-src 'self'; img-src 'self' data:; media-src 'self'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'"
)

#: What a page loads as a subresource, never shows as a document (the widget's scripts, the
#: console's stylesheet, the math fonts).
SUBRESOURCE_TYPES = frozenset(
    {"application/javascript", "text/javascript", "text/css", "font/woff2"}
)

MCP_MISSING = (
    "mcp_server needs the MCP SDK, which chatbubble installs as an extra: "
    "pip install 'chatbubble[mcp]'"
)

_HTTP_ERRORS: dict[int, type[RequestError]] = {
    400: BadJSONError,
    404: NotFoundError,
    405: MethodNotAllowedError,
    413: BodyTooLargeError,
}


def create_app(
    interface: ChatInterface,
    settings: Settings | None = None,
    *,
    site_dir: Path | None = None,
    widget_bundle: Path | None = None,
) -> Quart:
    """The ASGI app serving ``interface``: the full page at /, widget, config, chat stream (and
    ``site_dir`` at /demo/).

    Arguments:
        interface: the ChatInterface to serve.
        settings: defaults to ``Settings.load()`` (config file and environment).
        site_dir: a folder of static pages to serve at ``/demo/`` (the demo site).
        widget_bundle: the built ``widget.js`` (defaults to the one in the package).
    """
    settings = settings or Settings.load()
    app = Quart("backend", static_folder=None)  # no /static route: files go by id only
    # Bodies are read by backend.http.bodies, which counts every byte against the route's own
    # limit; Quart's cap only bounds what may sit unread in its buffer.
    app.config["MAX_CONTENT_LENGTH"] = max(settings.max_body_bytes, settings.max_file_size) + 1
    app.config["BODY_TIMEOUT"] = 30
    app.json.sort_keys = False  # type: ignore[attr-defined]
    files = file_store(interface, settings)
    state = AppState(
        interface=interface,
        settings=settings,
        origins=OriginPolicy(settings.allowed_origins, strict=settings.strict_cors),
        files=files,
        outputs=Outputs(
            files,
            Outputs.default_roots(interface.app_dir, settings.allowed_paths),
            settings.max_file_size,
            [Path(path) for path in settings.blocked_paths],
        ),
        site_dir=site_dir,
        widget=WidgetAsset(widget_bundle) if widget_bundle else WidgetAsset(),
    )
    state.example_files = tuple(
        tuple(files.add_kept(path) for path in example.files) for example in interface.examples
    )
    if feedback_options(interface) is not None:
        state.signer = MessageSigner(load_secret(settings.secret, interface.flagging_dir))
    if interface.flagging:
        state.feedback_log = CsvFeedbackLog(interface.flagging_dir)
    store = app_store(
        interface, settings, feedback=state.signer is not None,
        history=interface.save_history and IdentityVerifier.from_settings(settings) is not None,
    )  # fmt: skip
    if store is not None:
        state.store_writes = StoreWrites(store)
    accounts = interface.accounts.merged(Accounts.from_setting(settings.auth))
    if accounts.required:
        state.login = Login.create(
            accounts,
            load_secret(settings.secret, interface.flagging_dir),
            interface.app_id,
            settings.login_lifetime,
            interface.auth_message,
        )
    app.extensions["chatbubble"] = state  # the app's state, for tools and tests
    app.register_blueprint(page_blueprint(state))
    app.register_blueprint(widget_blueprint(state))
    app.register_blueprint(config_blueprint(state))
    app.register_blueprint(chat_blueprint(state))
    app.register_blueprint(feedback_blueprint(state))
    app.register_blueprint(event_blueprint(state))
    app.register_blueprint(file_blueprint(state))
    app.register_blueprint(history_blueprint(state))
    app.register_blueprint(openapi_blueprint(state))
    app.register_blueprint(gradio_blueprint(state))
    if state.login is not None:
        app.register_blueprint(login_blueprint(state, state.login))
    if settings.openai_api:
        app.register_blueprint(openai_blueprint(state))
    if settings.mcp_server:
        app.register_blueprint(_mcp_blueprint(state))
    admin_store = _admin_console(app, state)
    sweeper: list[asyncio.Task[None]] = []

    @app.before_serving
    async def start_pool() -> None:
        state.executor = ThreadPoolExecutor(
            max_workers=settings.worker_threads, thread_name_prefix="chatbubble-fn"
        )
        cache = interface.example_cache
        if cache is not None and interface.cache_mode == "eager" and not cache.complete:
            # `backend serve` fills it before listening; this covers a mounted `demo.app`.
            await cache.fill(state.executor)
        sweeper.append(asyncio.create_task(sweep_files(files, sweep_interval(interface, files))))
        if store is not None and settings.retention_days:
            sweeper.append(asyncio.create_task(purge_now_and_then(store, settings.retention_days)))

    @app.after_serving
    async def stop_pool() -> None:
        await state.hub.close()
        for task in sweeper:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        sweeper.clear()
        if state.store_writes is not None:
            await state.store_writes.drain()
        if admin_store is not None:
            await admin_store.close()
        if state.executor is not None:
            state.executor.shutdown(wait=False, cancel_futures=True)
            state.executor = None

    def is_preflight() -> bool:
        return request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers

    @app.before_request
    async def refuse_ambiguous_framing() -> Response | None:
        if "Content-Length" in request.headers and "Transfer-Encoding" in request.headers:
            # Ambiguous framing (request smuggling): refuse, and close the connection so
            # nothing after this body is read as another request.
            refused = Response(
                json.dumps(envelope(RequestError("Ambiguous request framing."))),
                status=400,
                mimetype="application/json",
            )
            refused.headers["Connection"] = "close"
            return refused
        return None

    @app.before_request
    async def check_origin() -> Response | None:
        if (request.endpoint or "").startswith(ADMIN_ENDPOINTS):
            return None  # the console takes its own pages' requests only (admin/routes.py)
        origin = request.headers.get("Origin")
        if not state.origins.allows(origin, request.host):
            if is_preflight():
                return Response(b"", status=403)
            raise OriginNotAllowedError()
        if is_preflight():
            response = Response(b"", status=204)
            state.origins.preflight(response.headers, origin)
            return response
        return None

    @app.before_request
    async def check_login() -> None:
        if state.login is not None:
            state.login.check(api_key=settings.api_key)

    identity = IdentityVerifier.from_settings(settings)

    @app.before_request
    async def check_visitor_identity() -> None:
        check_identity(identity, required=settings.identity_required)

    @app.after_request
    async def common_headers(response: Response) -> Response:
        headers = response.headers
        if not is_preflight():
            origin = request.headers.get("Origin")
            refused = not state.origins.allows(origin, request.host)
            state.origins.apply(headers, origin, refused=refused)
        # Each header is added unless the route set it; asking the headers for a name they
        # lack costs werkzeug an exception, so their names are read once (every response).
        present = {name.lower() for name, _ in headers.items()}
        defaults = [("X-Content-Type-Options", "nosniff")]
        mimetype = response.mimetype
        if mimetype not in SUBRESOURCE_TYPES:
            # Scripts, stylesheets and fonts are never documents: a frame or referrer policy on
            # them does nothing, and every page with the widget downloads them.
            defaults += [("Referrer-Policy", "no-referrer"), ("X-Frame-Options", "DENY")]
        if mimetype == "text/html":
            # The demo site: its own scripts and the widget only, never framed.
            defaults.append(("Content-Security-Policy", DEMO_PAGE_CSP))
        for name, value in defaults:
            if name.lower() not in present:
                headers.add(name, value)
        return response

    @app.errorhandler(Exception)
    async def handle_error(error: Exception) -> tuple[dict[str, object], int, dict[str, str]]:
        if isinstance(error, RequestEntityTooLarge):
            known: ChatbubbleError = BodyTooLargeError(
                f"The request is too large (the limit is {settings.max_body_bytes} bytes)."
            )
        elif isinstance(error, ChatbubbleError):
            known = error
        elif isinstance(error, HTTPException) and error.code in _HTTP_ERRORS:
            known = _HTTP_ERRORS[error.code]()
        elif isinstance(error, HTTPException) and error.code is not None and error.code < 500:
            known = RequestError(error.description or None)
            known.status = error.code
        else:
            log.error(
                "unexpected error on %s %s",
                request.method,
                request.path,
                exc_info=error,
            )
            known = ChatbubbleError()
        headers = {}
        if isinstance(known, RateLimitedError):
            headers["Retry-After"] = str(max(1, math.ceil(known.retry_after)))
        if request.path.startswith(OPENAI_PREFIX):
            return openai_error(known), known.status, headers
        body = envelope(known)
        if isinstance(known, LoginRequiredError) and state.login is not None:
            # Gradio's shape beside ours: @gradio/client shows detail.auth_message.
            body["detail"] = {"error": "Not authenticated", "auth_message": state.login.message}
        return body, known.status, headers

    if settings.path_prefix:
        app.asgi_app = StripPrefix(app.asgi_app, settings.path_prefix)  # type: ignore[method-assign]
    app.asgi_app = CheckHost(app.asgi_app)  # type: ignore[method-assign]
    return app


def _mcp_blueprint(state: AppState) -> Blueprint:
    """``/gradio_api/mcp/`` (the setting ``mcp_server``), from the optional ``mcp`` extra."""
    try:
        from .mcp import mcp_blueprint
    except ModuleNotFoundError as error:
        if error.name is None or not error.name.startswith("mcp"):
            raise
        raise ModuleNotFoundError(MCP_MISSING, name=error.name) from None
    return mcp_blueprint(state)


def _admin_console(app: Quart, state: AppState) -> ConversationStore | None:
    """``/admin`` when an ``admin_password`` or ``admin_tokens`` is set, reading the app's
    conversation store; returns the store when it opened one of its own (the app records
    nothing: no feedback, no transcripts), for the caller to close."""
    settings, interface = state.settings, state.interface
    keys = AdminKeys.from_settings(settings)
    if not keys.enabled:
        return None
    opened: ConversationStore | None = None
    if state.store_writes is not None:
        store = state.store_writes.store
    else:
        store = opened = open_store(settings.database_url, interface.flagging_dir)
    session = AdminSession(
        load_secret(settings.secret, interface.flagging_dir),
        interface.app_id,
        keys.fingerprint(),
        proxies=state.proxies,
        https=settings.base_url.startswith("https://"),
        prefix=settings.path_prefix,
    )
    app.register_blueprint(admin_blueprint(state, keys, session, store))
    return opened


def file_store(interface: ChatInterface, settings: Settings) -> FileStore:
    """Where uploads and answered files live: ``upload_dir``, else a folder of the system
    temp dir per app (shared by every worker of the app)."""
    root = settings.upload_dir or str(
        Path(tempfile.gettempdir()) / "chatbubble" / interface.app_id
    )
    retention = interface.delete_cache[1] if interface.delete_cache else settings.file_retention
    return FileStore(Path(root).resolve(), retention)


def sweep_interval(interface: ChatInterface, files: FileStore) -> float:
    if interface.delete_cache:
        return interface.delete_cache[0]
    return min(max(files.retention / 4, 1.0), 3600.0)


async def sweep_files(files: FileStore, interval: float) -> None:
    """Deletes expired files now and then, for as long as the app serves."""
    while True:
        try:
            removed = await asyncio.to_thread(files.sweep)
            if removed:
                log.info("deleted %d expired file(s)", removed)
        except Exception:  # noqa: BLE001 - the sweeper must outlive any one failure
            log.exception("could not delete expired files")
        await asyncio.sleep(interval)
