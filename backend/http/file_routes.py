"""The file routes: ``POST /api/upload`` (multimodal chats) and ``GET /api/files/<id>``;
``accepted_types`` and ``serve_file`` serve Gradio's upload and file routes too."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import quote

from quart import Blueprint, Response, request, send_file

from ..errors import InvalidRequestError, NotFoundError, UnsupportedMediaTypeError
from ..files.store import StoredFile
from .bodies import upload_chunks

if TYPE_CHECKING:
    from ..components.chatbot import MultimodalTextbox
    from .state import AppState

# Bodies that are forms or JSON are not a file's bytes (and a JSON body naming a server path
# must never be mistaken for an upload).
NOT_A_FILE = ("application/json", "multipart/form-data", "application/x-www-form-urlencoded")
MAX_NAME_CHARS = 1000
SIMPLE_RANGE = re.compile(r"\Abytes=\d{1,15}-\d{0,15}\Z")


def file_blueprint(state: AppState) -> Blueprint:
    bp = Blueprint("chatbubble_files", __name__)

    @bp.post("/api/upload")
    async def upload() -> tuple[dict[str, object], int]:
        multimodal = state.interface.multimodal_options
        if multimodal is None:
            raise NotFoundError("This chat does not take files.")
        await state.limit(state.limits.uploads)
        if request.mimetype in NOT_A_FILE:
            raise UnsupportedMediaTypeError(
                "Send the file's bytes as the request body (not a form or JSON)."
            )
        name = request.args.get("name", "")
        if len(name) > MAX_NAME_CHARS:
            raise InvalidRequestError("The file name is too long.")
        settings = state.settings
        stored = await state.files.receive(
            upload_chunks(settings.max_file_size),
            name=name,
            claimed=request.mimetype,
            limit=settings.max_file_size,
            file_types=accepted_types(multimodal),
            owner=state.visitor_owner(),
        )
        part = stored.part(state.base_url())
        return {key: part[key] for key in ("id", "name", "size", "mime", "kind", "url")}, 201

    @bp.get("/api/files/<file_id>")
    async def file(file_id: str) -> Response:
        stored = state.files.get(file_id)  # None for anything but a live, well-formed id
        if stored is None:
            raise NotFoundError()
        return await serve_file(stored)

    return bp


def accepted_types(multimodal: MultimodalTextbox) -> tuple[str, ...] | None:
    """The file types a multimodal chat takes (``None``: any): its ``file_types``, and audio
    when visitors may record (recordings, whatever the picker accepts)."""
    file_types = multimodal.file_types
    if file_types is not None and "microphone" in multimodal.sources:
        file_types = (*file_types, "audio")
    return file_types


async def serve_file(stored: StoredFile) -> Response:
    """The file with headers that depend on nothing but the file: its sniffed type, inline
    only for raster images, audio and video, never sniffed or run by the browser. One byte
    range ``start-[end]`` is honoured (players seek with it); any other Range is ignored and
    the whole file sent, as HTTP allows."""
    ranged = request.headers.get("Range")
    conditional = ranged is None or bool(SIMPLE_RANGE.match(ranged))
    response = await send_file(
        stored.path,
        mimetype=stored.mime,
        conditional=conditional,
        add_etags=True,
        cache_timeout=3600,
    )
    disposition = "inline" if stored.inline else "attachment"
    ascii_name = stored.name.encode("ascii", "replace").decode().replace('"', "_")
    response.headers["Content-Disposition"] = (
        f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(stored.name)}"
    )
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response
