"""``POST /api/feedback``: a visitor's flag on an answer this server signed, appended to the
CSV log (``flagging_mode="manual"``)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from quart import Blueprint

from ..errors import NotFoundError, UnknownMessageError
from .bodies import json_body
from .feedback_request import parse_feedback_request

if TYPE_CHECKING:
    from .state import AppState


def feedback_blueprint(state: AppState) -> Blueprint:
    bp = Blueprint("chatbubble_feedback", __name__)

    @bp.post("/api/feedback")
    async def feedback() -> dict[str, Any]:
        interface = state.interface
        if state.signer is None or state.feedback_log is None:
            raise NotFoundError("Feedback is not enabled for this chat.")
        await state.limit(state.limits.feedback)
        body = await json_body(state.settings.max_body_bytes)
        flag = parse_feedback_request(body, state.settings, interface.flagging_options)
        if not state.signer.verify(flag.message_id, flag.conversation):
            raise UnknownMessageError()
        await asyncio.to_thread(
            state.feedback_log.append,
            flag.conversation,
            flag.flag,
            flag.visitor,
            flag.conversation_id,
            flag.message_id,
        )
        return {"ok": True}  # also when it repeated the visitor's flag (stored once)

    return bp
