"""``POST /api/feedback``: a visitor's flag on an answer this server signed, appended to the
CSV log (``flagging_mode="manual"``) and handed to the app's ``chatbot.like`` listeners, whose
``outputs`` come back in the answer as ``[[id, props], ...]`` (as ``POST /api/event``'s).
A flag option given as ``i18n("key")`` comes in the visitor's language and is recorded in the
app's default one. With ``feedback_comments``, a thumbs-down may come again with the visitor's
``comment``: it goes on the stored thumbs-down in the conversation store only (the CSV keeps
Gradio's columns and its one row), and the ``.like`` listeners are not called again."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from quart import Blueprint

from ..components.i18n import variants
from ..errors import InvalidRequestError, NotFoundError, UnknownMessageError
from .bodies import json_body
from .feedback_request import parse_feedback_request
from .identity import current_identity
from .likes import Runner, call_likes, feedback_options
from .login import current_user
from .store_writes import store_comment, store_flag
from .visitor_request import visitor_request

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
        welcome = interface.chatbot.welcome_turns()
        shown = {
            text: option
            for choice in options
            for text, option in variants(choice, interface.i18n).items()
        }
        flag = parse_feedback_request(
            body, state.settings, tuple(shown), welcome, comments=state.settings.feedback_comments
        )
        if flag.flag:
            flag = replace(flag, flag=shown[flag.flag])
        if flag.target == "user" and not interface.chatbot.options.like_user_message:
            raise InvalidRequestError("Feedback on the visitor's messages is not enabled.")
        # The welcome is the server's own: it is named by index, its flags are per conversation.
        message_id = (
            flag.message_id if flag.welcome is None
            else f"welcome-{flag.welcome}.{flag.conversation_id}"
        )  # fmt: skip
        if flag.welcome is None and not state.signer.verify(flag.message_id, flag.conversation):
            raise UnknownMessageError()
        get, keep = state.state_access(flag.conversation_id)

        writes = state.store_writes
        if flag.comment and writes is not None and await store_comment(writes, flag):
            # The comment of the thumbs-down just given: it goes on its stored row.
            return {"ok": True}
        identity = current_identity()
        user = current_user() or (identity.subject if identity else "")
        new = True
        if state.feedback_log is not None:
            new = await asyncio.to_thread(
                state.feedback_log.append,
                flag.conversation,
                flag.flag,
                flag.visitor,
                flag.conversation_id,
                message_id,
                flag.target,
                user,
            )
        if new and state.store_writes is not None:
            await store_flag(state.store_writes, flag, message_id, user)
        changes: list[list[Any]] = []
        if new:
            visitor = visitor_request(state.client(), session_hash=flag.conversation_id)
            run = Runner(state.require_executor(), visitor)
            changes = await call_likes(
                interface, flag.conversation, flag.target, flag.flag, state.files, get, keep,
                run, welcome=flag.welcome is not None,
            )  # fmt: skip
        # Also {"ok": true} when it repeated the visitor's flag (stored once, nothing called).
        return {"ok": True, "outputs": changes} if changes else {"ok": True}

    return bp
