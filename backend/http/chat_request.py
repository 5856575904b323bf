"""The body of ``POST /api/chat``: parsed strictly, every refusal a clear 4xx."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..chat.answers import Content
from ..chat.page import Page
from ..components.i18n import I18n, variants
from ..components.inputs import InputComponent
from ..errors import (
    BadJSONError,
    InvalidFileError,
    InvalidInputError,
    InvalidRequestError,
    UnknownFileError,
)
from ..files.store import FILE_ID, FileStore, StoredFile
from ..settings import Settings
from .page_context import parse_page

ROLES = ("user", "assistant")
FIELDS = ("message", "history", "example", "inputs", "resumable", "page", "session")
#: A conversation id.
SESSION = re.compile(r"\A[A-Za-z0-9_-]{8,64}\Z")

#: One message as received: its role, and its text or its file.
Message = tuple[str, str | StoredFile]


@dataclass(frozen=True)
class Multimodal:
    """What a multimodal chat accepts in one message."""

    max_files: int


@dataclass(frozen=True)
class ChatRequest:
    message: str
    history: tuple[Message, ...]
    example: int | None = None
    files: tuple[StoredFile, ...] = ()
    multimodal: bool = False
    #: The additional inputs' values, checked.
    inputs: tuple[Any, ...] = ()
    #: The client may reattach to the answer (a page change): it keeps running a while.
    resumable: bool = False
    #: The page the widget is on (``gr.Request.page``; its URL is ``gr.Request.url``).
    page: Page | None = None
    #: The widget's conversation id (``gr.Request.session_hash``, the key of ``gr.State``).
    session: str | None = None

    def message_for_fn(self) -> Any:
        """``message`` as the function takes it: the text, or with ``multimodal=True`` the
        guide's ``{"text": ..., "files": [paths]}``."""
        if not self.multimodal:
            return self.message
        return {"text": self.message, "files": [str(file.path) for file in self.files]}

    def conversation(self) -> list[tuple[str, Content]]:
        """The history and this message as the widget sends them back (files by id): what an
        answer id signs, with the answer's messages after it."""
        turns: list[tuple[str, Content]] = [
            (role, wire(content)) for role, content in self.history
        ]
        turns.extend(("user", (file.id,)) for file in self.files)
        if self.message or not self.files:
            turns.append(("user", self.message))
        return turns


def wire(content: str | StoredFile) -> Content:
    return (content.id,) if isinstance(content, StoredFile) else content


def message_limit(settings: Settings, max_length: int | None) -> int:
    """Longest message, in characters: the setting, or the composer's ``max_length`` if lower."""
    return min(settings.max_message_chars, max_length or settings.max_message_chars)


def check_history_count(count: int, settings: Settings, what: str = "The history") -> None:
    if count > settings.max_history_messages:
        raise InvalidRequestError(
            f"{what} has {count} messages; the limit is {settings.max_history_messages}."
        )


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


#: Made once: ``json.loads`` with an option builds a new decoder on every call.
_JSON = json.JSONDecoder(parse_constant=_reject_constant)


def parse_json(body: bytes) -> Any:
    try:
        return _JSON.decode(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise BadJSONError("The request body is not UTF-8.") from None
    except RecursionError:
        raise BadJSONError("The request body is nested too deeply.") from None
    except ValueError:
        raise BadJSONError() from None


def text_field(value: Any, what: str, limit: int) -> str:
    if not isinstance(value, str):
        raise InvalidRequestError(f"{what} must be a string.")
    text: str = value
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidRequestError(f"{what} contains invalid characters.") from None
    text = text.replace("\x00", "")
    if len(text) > limit:
        raise InvalidRequestError(
            f"{what} is too long ({len(text)} characters; the limit is {limit})."
        )
    return text


def file_id(value: Any, where: str) -> str:
    """A file named by a server-issued id; anything else that tries to name a file (a path, a
    URL, a list, an object) is refused before it gets near the file system."""
    if not isinstance(value, str) or not FILE_ID.match(value):
        raise InvalidFileError(
            f"{where} must name a file by the id this server gave it on upload."
        )
    return value


def resolve(file: str, files: FileStore | None, owner: str | None = None) -> StoredFile:
    """The live file behind a well-formed id, if the sender (``owner``, the digest of their
    visitor key) may use it. Someone else's upload is answered exactly like a missing file."""
    stored = files.get(file) if files is not None else None
    if stored is None or not stored.usable_by(owner):
        raise UnknownFileError()
    return stored


def parse_content(value: Any, where: str, limit: int) -> Content:
    """Text, or a file as ``{"file": "<id>"}`` (returned as ``(id,)``)."""
    if isinstance(value, str):
        return text_field(value, where, limit)
    if isinstance(value, dict) and set(value) == {"file"}:
        return (file_id(value["file"], where),)
    if isinstance(value, (dict, list)):
        raise InvalidFileError(
            f'{where} must be text, or a file as {{"file": "<id>"}} with the id this '
            "server gave it."
        )
    raise InvalidRequestError(f"{where} must be a string.")


def parse_messages(raw: list[Any], name: str, settings: Settings) -> list[tuple[str, Content]]:
    """Openai-style ``{"role", "content"}`` entries (user or assistant; text or a file by id)
    as tuples."""
    messages = []
    for index, entry in enumerate(raw):
        where = f"{name}[{index}]"
        if not isinstance(entry, dict) or set(entry) != {"role", "content"}:
            raise InvalidRequestError(
                f"{where} must be an object with exactly 'role' and 'content'."
            )
        role = entry["role"]
        if role not in ROLES:
            raise InvalidRequestError(f"{where}.role must be 'user' or 'assistant'.")
        limit = settings.max_history_entry_chars
        messages.append((role, parse_content(entry["content"], f"{where}.content", limit)))
    return messages


def parse_history(
    raw: Any, name: str, settings: Settings, files: FileStore | None, owner: str | None
) -> list[Message]:
    """A conversation as the widget sends it (``history``), its files resolved for ``owner``."""
    if not isinstance(raw, list):
        raise InvalidRequestError(f"'{name}' must be a list of messages.")
    check_history_count(len(raw), settings)
    return [
        (role, content if isinstance(content, str) else resolve(content[0], files, owner))
        for role, content in parse_messages(raw, name, settings)
    ]


def parse_chat_request(
    body: bytes,
    settings: Settings,
    examples: tuple[tuple[str, tuple[str, ...]], ...] = (),
    max_length: int | None = None,
    *,
    files: FileStore | None = None,
    owner: str | None = None,
    multimodal: Multimodal | None = None,
    inputs: Sequence[InputComponent] = (),
    example_inputs: Sequence[tuple[Any, ...] | None] = (),
    i18n: I18n | None = None,
) -> ChatRequest:
    """The request, checked against the settings, the examples (texts and file ids), the composer's
    ``max_length`` and (``multimodal``) how many files a message may carry. Files are resolved
    for ``owner`` (the sender's visitor key digest): nobody may send another visitor's upload.
    An example given as ``i18n("key")`` is sent in the visitor's language: any of ``i18n``'s."""
    data = parse_json(body)
    if not isinstance(data, dict):
        raise InvalidRequestError("The request body must be a JSON object.")
    for key in data:
        if key not in FIELDS:
            raise InvalidRequestError(f"Unknown field {key[:40]!r}.")
    if "message" not in data:
        raise InvalidRequestError("The field 'message' is missing.")
    limit = message_limit(settings, max_length)
    raw_message = data["message"]
    attached: list[StoredFile] = []
    if isinstance(raw_message, dict) and multimodal is not None:
        unknown = set(raw_message) - {"text", "files"}
        if unknown:
            raise InvalidRequestError(f"Unknown message field {sorted(unknown)[0][:40]!r}.")
        message = text_field(raw_message.get("text", ""), "The message", limit)
        raw_files = raw_message.get("files", [])
        if not isinstance(raw_files, list):
            raise InvalidFileError("'files' must be a list of file ids.")
        if len(raw_files) > multimodal.max_files:
            raise InvalidRequestError(
                f"A message may carry at most {multimodal.max_files} file(s)."
            )
        ids = [file_id(value, f"message.files[{i}]") for i, value in enumerate(raw_files)]
        attached = [resolve(file, files, owner) for file in ids]
        if not message.strip() and not attached:
            raise InvalidRequestError("The message is empty.")
    else:
        if isinstance(raw_message, (dict, list)) and multimodal is None:
            raise InvalidRequestError("The message must be a string (this chat takes no files).")
        message = text_field(raw_message, "The message", limit)
        if not message.strip():
            raise InvalidRequestError("The message is empty.")
    history = parse_history(data.get("history", []), "history", settings, files, owner)
    values = parse_inputs(data.get("inputs"), inputs)
    example = data.get("example")
    if example is not None:
        if not isinstance(example, int) or isinstance(example, bool):
            raise InvalidRequestError("'example' must be the index of an example.")
        sent = tuple(file.id for file in attached)
        if not 0 <= example < len(examples) or not _is_example(
            examples[example], message, sent, i18n
        ):
            raise InvalidRequestError("'example' does not name this example.")
        if history:
            raise InvalidRequestError("An example starts a conversation: history must be empty.")
        wanted = example_inputs[example] if example < len(example_inputs) else None
        if wanted is not None and values != wanted:
            raise InvalidRequestError("'example' comes with the example's own input values.")
    resumable = data.get("resumable", False)
    if not isinstance(resumable, bool):
        raise InvalidRequestError("'resumable' must be true or false.")
    return ChatRequest(
        message, tuple(history), example, tuple(attached), multimodal is not None, values,
        resumable, parse_page(data.get("page")), parse_session(data.get("session")),
    )  # fmt: skip


def _is_example(
    example: tuple[str, tuple[str, ...]], message: str, ids: tuple[str, ...], i18n: I18n | None
) -> bool:
    text, files = example
    return files == ids and message in variants(text, i18n)


def parse_session(value: Any) -> str | None:
    """``session``: the conversation's id, 8 to 64 letters, digits, '-' or '_'."""
    if value is None:
        return None
    if not isinstance(value, str) or not SESSION.match(value):
        raise InvalidRequestError("'session' must be 8 to 64 letters, digits, '-' or '_'.")
    return value


def parse_inputs(raw: Any, inputs: Sequence[InputComponent]) -> tuple[Any, ...]:
    """The additional inputs' values (their defaults when the client sends none)."""
    if raw is None:
        return tuple(component.value for component in inputs)
    if not isinstance(raw, list) or len(raw) != len(inputs):
        raise InvalidInputError(f"'inputs' must be a list of {len(inputs)} value(s).")
    return tuple(
        component.check(value, f"inputs[{index}]")
        for index, (component, value) in enumerate(zip(inputs, raw, strict=True))
    )
