"""The ``page`` field of ``POST /api/chat`` and ``POST /api/event``: the page the widget is on,
checked strictly (every refusal a clear 422 naming the field).

``page`` is the page's URL (a string, as older widgets send it) or an object
``{"url", "title", "lang", "locale", "referrer", "context"}``, each optional: ``url`` and
``referrer`` are ``""`` or http(s) URLs of at most 2048 characters, ``title`` at most 300
characters, ``lang`` and ``locale`` at most 35 letters, digits, ``-`` or ``_``, and ``context``
a JSON object of at most 4096 bytes (compact UTF-8 JSON) nested at most 8 deep.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

from ..chat.page import Page
from ..errors import InvalidRequestError

MAX_URL = 2048
MAX_TITLE = 300
MAX_CONTEXT_BYTES = 4096
MAX_CONTEXT_DEPTH = 8
LANG = re.compile(r"\A[A-Za-z0-9_-]{0,35}\Z")
KEYS = frozenset({"url", "title", "lang", "locale", "referrer", "context"})


def parse_url(value: Any, what: str) -> str:
    """An absolute http(s) URL of at most ``MAX_URL`` characters, without its fragment (a
    browser never sends it either); ``""`` stays ``""``."""
    if not isinstance(value, str) or len(value) > MAX_URL:
        raise InvalidRequestError(f"{what} must be a URL, at most {MAX_URL} characters.")
    if not value:
        return ""
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        raise InvalidRequestError(f"{what} is not a valid URL.") from None
    if parts.scheme not in ("http", "https") or not parts.netloc or not value.isprintable():
        raise InvalidRequestError(f"{what} must be an http(s) URL.")
    return parts._replace(fragment="").geturl()


def _depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max((_depth(item) for item in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(item) for item in value), default=0)
    return 0


def parse_context(value: Any) -> dict[str, Any]:
    """The page's own values: a JSON object, small and shallow."""
    if not isinstance(value, dict):
        raise InvalidRequestError("'page.context' must be a JSON object.")
    if _depth(value) > MAX_CONTEXT_DEPTH:
        raise InvalidRequestError(
            f"'page.context' is nested too deeply (at most {MAX_CONTEXT_DEPTH} levels)."
        )
    try:
        size = len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    except UnicodeEncodeError:
        raise InvalidRequestError("'page.context' contains invalid characters.") from None
    if size > MAX_CONTEXT_BYTES:
        raise InvalidRequestError(
            f"'page.context' is too large ({size} bytes of JSON; the limit is "
            f"{MAX_CONTEXT_BYTES})."
        )
    return value


def parse_page(value: Any) -> Page | None:
    """``page``: None when absent (or null), else the page it describes."""
    if value is None:
        return None
    if isinstance(value, str):
        return Page(url=parse_url(value, "'page'"))
    if not isinstance(value, dict):
        raise InvalidRequestError("'page' must be the page's URL or an object describing it.")
    for key in value:
        if key not in KEYS:
            raise InvalidRequestError(f"Unknown field 'page.{key[:40]}'.")
    title = value.get("title", "")
    if not isinstance(title, str) or len(title) > MAX_TITLE:
        raise InvalidRequestError(
            f"'page.title' must be a string of at most {MAX_TITLE} characters."
        )
    lang = value.get("lang", "")
    if not isinstance(lang, str) or not LANG.match(lang):
        raise InvalidRequestError(
            "'page.lang' must be a language tag: at most 35 letters, digits, '-' or '_'."
        )
    locale = value.get("locale", "")
    if not isinstance(locale, str) or not LANG.match(locale):
        raise InvalidRequestError(
            "'page.locale' must be a language tag: at most 35 letters, digits, '-' or '_'."
        )
    return Page(
        url=parse_url(value.get("url", ""), "'page.url'"),
        # A title cut at 300 UTF-16 units may end in half a character: it is replaced.
        title=title.replace("\x00", "").encode("utf-8", "replace").decode("utf-8"),
        lang=lang,
        locale=locale,
        referrer=parse_url(value.get("referrer", ""), "'page.referrer'"),
        context=parse_context(value.get("context", {})),
    )
