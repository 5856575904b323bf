"""``POST /api/feedback``: a visitor's flag on an answer this server signed, appended to the
CSV log (``flagging_mode="manual"``) and handed to the app's ``chatbot.like`` listeners."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from quart import Blueprint

from ..errors import InvalidRequestError, NotFoundError, UnknownMessageError
from .bodies import json_body
from .feedback_request import parse_feedback_request
from .likes import call_likes, feedback_options

if TYPE_CHECKING:
    from .state import AppState


def feedback_blueprint(state: AppState) -> Blueprint:
    bp = Blueprint("chatbubble_feedback", __name__)

    @bp.post("/api/feedback")
    async def feedback() -> dict[str, Any]:
        interface = state.interface
        options = feedback_options(interface)
        if state.signer is None or options is None:
            raise NotFoundError("Feedback is not enabled for this chat.")
        await state.limit(state.limits.feedback)
        body = await json_body(state.settings.max_body_bytes)
        flag = parse_feedback_request(body, state.settings, options)
        if flag.target == "user" and not interface.chatbot.options.like_user_message:
            raise InvalidRequestError("Feedback on the visitor's messages is not enabled.")
        if not state.signer.verify(flag.message_id, flag.conversation):
            raise UnknownMessageError()
        new = True
        if state.feedback_log is not None:
            new = await asyncio.to_thread(
                state.feedback_log.append,
                flag.conversation,
                flag.flag,
                flag.visitor,
                flag.conversation_id,
                flag.message_id,
                flag.target,
            )
        if new:
            await call_likes(
                interface.chatbot, flag.conversation, flag.target, flag.flag, state.files
            )
        return {"ok": True}  # also when it repeated the visitor's flag (stored once)

    return bp
