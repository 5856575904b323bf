"""What a page loads: ``GET /widget.js`` and its chunks (``/widget/<name>.js``, KaTeX's fonts for
the math chunk under ``/widget/katex/``), the operator's
assets (``/api/assets/<id>``: avatars, example icons), ``/healthz``, ``/favicon.ico``, and the
demo site's pages under ``/demo/`` (``backend serve`` without an app; the chat itself is the
full page at ``/``, ``page_routes.py``)."""

from __future__ import annotations

import mimetypes
import re
from typing import TYPE_CHECKING

from quart import (
    Blueprint,
    Response,
    jsonify,
    redirect,
    request,
    send_file,
    send_from_directory,
)

from ..errors import NotFoundError
from .gzip_stream import accepts
from .widget_asset import CHUNKS, WidgetAsset

if TYPE_CHECKING:
    from .state import AppState

WIDGET_CACHE = "public, max-age=300, stale-while-revalidate=86400"
CHUNK_NAME = re.compile(r"\A[a-z0-9-]{1,40}\Z")
FONT_NAME = re.compile(r"\AKaTeX_[A-Za-z0-9-]{1,40}\Z")
FONT_CACHE = "public, max-age=604800, immutable"
SITE_FILE = re.compile(r"\A[A-Za-z0-9_-]+\.(html|css|svg|png|ico)\Z")


def widget_blueprint(state: AppState) -> Blueprint:
    bp = Blueprint("chatbubble_widget", __name__)

    @bp.get("/widget.js")
    async def widget_js() -> Response:
        return _script(state.widget)

    @bp.get("/widget/<name>.js")
    async def widget_chunk(name: str) -> Response:
        """Parts of the widget it loads on first use (not needed before the first answer)."""
        if not CHUNK_NAME.match(name):
            raise NotFoundError()
        chunk = state.chunks.get(name)
        if chunk is None:
            chunk = WidgetAsset(CHUNKS / f"{name}.js")
            if not chunk.built:
                raise NotFoundError()  # never remembered: asking for names costs no memory
            state.chunks[name] = chunk
        return _script(chunk)

    @bp.get("/widget/katex/<name>.woff2")
    async def katex_font(name: str) -> Response:
        """KaTeX's fonts, fetched by the math chunk's FontFaces (CORS requests: the app's origin
        policy answers them as it answers the API)."""
        path = CHUNKS / "katex" / f"{name}.woff2"
        if not FONT_NAME.match(name) or not path.is_file():
            raise NotFoundError()
        response = await send_file(path, mimetype="font/woff2")
        response.headers["Cache-Control"] = FONT_CACHE
        response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
        return response

    @bp.get("/healthz")
    async def healthz() -> Response:
        """For load balancers: 200 while this worker serves."""
        response = jsonify({"ok": True})
        response.headers["Cache-Control"] = "no-store"
        return response

    @bp.get("/api/assets/<asset_id>")
    async def asset(asset_id: str) -> Response:
        found = state.interface.assets.get(asset_id)
        if found is None:
            raise NotFoundError()
        path, mimetype = found
        response = await send_file(path, mimetype=mimetype)
        response.headers["Cache-Control"] = "public, max-age=3600"
        response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; sandbox"
        )
        return response

    @bp.get("/favicon.ico")
    async def favicon() -> Response:
        """``favicon_path`` (``launch(favicon_path=...)``), else the site's own, for the pages
        this server shows."""
        configured = state.settings.favicon_path
        if not configured:
            return await site_file("favicon.ico")
        kind = mimetypes.guess_type(configured)[0] or "image/x-icon"
        response = await send_file(configured, mimetype=kind)
        response.headers["Cache-Control"] = "public, max-age=3600"
        return response

    @bp.get("/demo")
    async def site_root() -> Response:
        """``/demo`` → ``/demo/``, so the site's relative links resolve under it."""
        if state.site_dir is None:
            raise NotFoundError()
        # Relative, so it holds under any path prefix, stripped by a proxy or not.
        return redirect("demo/", 308)  # type: ignore[return-value]

    @bp.get("/demo/")
    async def site_index() -> Response:
        return await site_file("index.html")

    @bp.get("/demo/<name>")
    async def site_file(name: str) -> Response:
        if state.site_dir is None or not SITE_FILE.match(name):
            raise NotFoundError()
        if not (state.site_dir / name).is_file():
            raise NotFoundError()
        return await send_from_directory(state.site_dir, name)

    return bp


def _script(asset: WidgetAsset) -> Response:
    """A built script with its ETag, brotli or gzip when accepted, and caching for many
    embedding sites. Each coding has its own ETag (the script's digest and the coding); any
    of them makes a revalidation fresh, as the digest decides."""
    built = asset.get()
    accepted = request.headers.get("Accept-Encoding", "")
    body, coding = built.body, ""
    if built.brotli is not None and accepts(accepted, "br"):
        body, coding = built.brotli, "br"
    elif accepts(accepted, "gzip"):
        body, coding = built.gzipped, "gzip"
    digest = built.etag.strip('"')
    headers = {
        "ETag": f'"{digest}-{coding}"' if coding else built.etag,
        "Cache-Control": WIDGET_CACHE,
        "Vary": "Accept-Encoding",
        "Cross-Origin-Resource-Policy": "cross-origin",
    }
    if digest in request.headers.get("If-None-Match", ""):
        return Response(b"", status=304, headers=headers)
    if coding:
        headers["Content-Encoding"] = coding
    # JavaScript's registered type (RFC 9239); no charset: the build writes ASCII only.
    return Response(body, content_type="text/javascript", headers=headers)
