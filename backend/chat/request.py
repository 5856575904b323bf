"""``gr.Request``: the request behind one call of the chat function (or the ``validator``), and
how a function asks for it.

As in Gradio 6.31, a positional parameter annotated ``gr.Request`` (or ``gr.Request | None``)
gets the request at its place, and the other arguments move one place on. We also give it to a
parameter named ``request`` that has no annotation and would get no argument otherwise (a
keyword-only one, or one past the values passed): with Gradio such a parameter gets ``None``.

The attributes are Gradio's: ``headers`` (any case), ``client.host`` and ``client.port``,
``query_params``, ``url``, ``cookies``, ``session_hash``, ``username`` and ``path_params``; ours
is ``page``: the page's title, language, referrer and the values it set (``chat/page.py``). The
HTTP layer fills them (``http/visitor_request.py``); this module has no HTTP in it.

Parameters annotated ``gr.OAuthProfile`` or ``gr.OAuthToken`` (``chat/oauth.py``) are found the
same way and get ``None``: nobody logs in with Hugging Face in a chat bubble.
"""

from __future__ import annotations

import functools
import inspect
import re
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, urlsplit

from .oauth import OAuthProfile, OAuthToken
from .page import NO_PAGE, Page


class Client(NamedTuple):
    """Who sent the request: ``host`` (through trusted proxies) and ``port`` (None when a proxy
    is in between)."""

    host: str
    port: int | None = None


class Headers(Mapping[str, str]):
    """The request's headers, read in any case (``headers["user-agent"]``); keys are lower
    case, a header sent several times is joined with ``", "``."""

    def __init__(self, items: Iterable[tuple[str, str]] = ()) -> None:
        joined: dict[str, str] = {}
        for name, value in items:
            key = name.lower()
            joined[key] = f"{joined[key]}, {value}" if key in joined else value
        self._items = joined

    def __getitem__(self, name: str) -> str:
        return self._items[name.lower()]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"Headers({self._items!r})"


class QueryParams(Mapping[str, str]):
    """The query's parameters: ``params["q"]`` is the last value given for ``q``,
    ``params.getlist("q")`` all of them."""

    def __init__(self, items: Iterable[tuple[str, str]] = ()) -> None:
        self._list = list(items)
        self._last = dict(self._list)

    def getlist(self, name: str) -> list[str]:
        return [value for key, value in self._list if key == name]

    def multi_items(self) -> list[tuple[str, str]]:
        return list(self._list)

    def __getitem__(self, name: str) -> str:
        return self._last[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._last)

    def __len__(self) -> int:
        return len(self._last)

    def __repr__(self) -> str:
        return f"QueryParams({self._list!r})"


class URL(str):
    """A URL: a string (``str(request.url)``, ``request.url == "..."``) with its parts as
    attributes, as Starlette's ``URL`` has them."""

    @property
    def scheme(self) -> str:
        return urlsplit(self).scheme

    @property
    def netloc(self) -> str:
        return urlsplit(self).netloc

    @property
    def hostname(self) -> str | None:
        return urlsplit(self).hostname

    @property
    def port(self) -> int | None:
        return urlsplit(self).port

    @property
    def path(self) -> str:
        return urlsplit(self).path

    @property
    def query(self) -> str:
        return urlsplit(self).query

    @property
    def fragment(self) -> str:
        return urlsplit(self).fragment


class Request:
    """The request behind one call, as Gradio's ``gr.Request``: add a parameter annotated
    ``gr.Request`` to the chat function (or the ``validator``) to get it.

    Attributes:
        headers: the request's headers (read in any case).
        client: ``client.host``, the visitor's address (through the ``trusted_proxies``).
        query_params: the query of ``url``.
        url: in the widget, the page the visitor is on; for Gradio's clients and ``/v1``, the
            URL the call came in on.
        cookies: the cookies sent to this server (the widget sends none).
        session_hash: the conversation: the widget's conversation id, or a Gradio client's
            ``session_hash``; None for ``/v1``.
        username: who the visitor is: the user logged in with ``launch(auth=...)``, else the
            ``sub`` of the host site's verified token (``identity_secret``); None: anonymous.
        claims: the verified claims of the host site's token (``sub``, ``name``, ``email``,
            ``exp``, ...), a dict; None without a token.
        page: the page the widget is on (chatbubble's addition): ``page.url``, ``page.title``,
            ``page.lang``, ``page.referrer`` and ``page.context``, the values the page set
            (unverified); all empty when the page sends none (``data-page-context="off"``).

    Example::

        def answer(message, history, request: gr.Request):
            return f"You are on {request.url} from {request.client.host}"
    """

    def __init__(
        self,
        *,
        headers: Iterable[tuple[str, str]] | Mapping[str, str] = (),
        client: Client | None = None,
        url: str = "",
        query_params: Iterable[tuple[str, str]] | None = None,
        cookies: Mapping[str, str] | None = None,
        session_hash: str | None = None,
        username: str | None = None,
        claims: Mapping[str, Any] | None = None,
        page: Page | None = None,
    ) -> None:
        pairs = headers.items() if isinstance(headers, Mapping) else headers
        self.headers = Headers(pairs)
        self.client = client or Client("")
        self.url = URL(url)
        if query_params is None:
            query_params = parse_qsl(self.url.query, keep_blank_values=True)
        self.query_params = QueryParams(query_params)
        self.cookies: dict[str, str] = dict(cookies or {})
        self.session_hash = session_hash
        self.username = username
        self.claims: dict[str, Any] | None = dict(claims) if claims is not None else None
        self.path_params: dict[str, str] = {}
        self.page = page or NO_PAGE

    def __repr__(self) -> str:
        return (
            f"Request(url={str(self.url)!r}, client={self.client!r}, "
            f"session_hash={self.session_hash!r})"
        )


# --- which parameter takes it ---------------------------------------------------------------

_NAMES = r"(Request|OAuthProfile|OAuthToken)"
_ANNOTATION = re.compile(
    rf"\A\s*(?:Optional\[\s*)?(?:[\w.]+\.)?{_NAMES}\s*(?:\]|\|\s*None)?\s*\Z"
    rf"|\A\s*None\s*\|\s*(?:[\w.]+\.)?{_NAMES}\s*\Z"
)
_SPECIAL: dict[Any, str] = {Request: "Request", OAuthProfile: "OAuth", OAuthToken: "OAuth"}


@dataclass(frozen=True)
class Slots:
    """Where a function takes the request: positional indices (Gradio's rule) and keyword
    names."""

    positions: tuple[int, ...] = ()
    keywords: tuple[str, ...] = ()
    #: The positions and names among them that take ``gr.OAuthProfile``/``gr.OAuthToken``
    #: (they get None).
    oauth: frozenset[int | str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.positions or self.keywords)


NONE = Slots()


def _special(hint: Any) -> str | None:
    """ "Request" or "OAuth" when ``hint`` is one of those classes (or it or None)."""
    if isinstance(hint, str):
        found = _ANNOTATION.match(hint)
        name = found and (found.group(1) or found.group(2))
        return None if not name else "Request" if name == "Request" else "OAuth"
    try:
        if hint in _SPECIAL:
            return _SPECIAL[hint]
    except TypeError:  # an unhashable annotation
        return None
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    if len(args) == 1 and args[0] in _SPECIAL and type(None) in typing.get_args(hint):
        return _SPECIAL[args[0]]
    return None


def _hints(fn: Callable[..., Any]) -> dict[str, Any]:
    target: Any = fn
    while isinstance(target, functools.partial):
        target = target.func
    if not (inspect.isfunction(target) or inspect.ismethod(target)):
        target = getattr(target, "__call__", target)  # noqa: B004 - a callable object
    try:
        return typing.get_type_hints(target)
    except Exception:  # noqa: BLE001 - names the annotations use may not resolve
        return dict(getattr(target, "__annotations__", {}) or {})


@functools.lru_cache(maxsize=256)
def _slots(fn: Callable[..., Any], given: int) -> Slots:
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):
        return NONE
    hints = _hints(fn)
    positions: list[int] = []
    keywords: list[str] = []
    oauth: set[int | str] = set()
    index = 0
    for parameter in signature.parameters.values():
        kind = parameter.kind
        hint = hints.get(parameter.name, parameter.annotation)
        special = _special(hint)
        annotated = special is not None
        named = parameter.name == "request" and hint is inspect.Parameter.empty
        if kind in (parameter.POSITIONAL_ONLY, parameter.POSITIONAL_OR_KEYWORD):
            if annotated and index <= given + len(positions):
                positions.append(index)
                if special == "OAuth":
                    oauth.add(index)
            elif (annotated or named) and index >= given + len(positions):
                if kind is parameter.POSITIONAL_ONLY:
                    positions.append(index)
                else:
                    keywords.append(parameter.name)
                if special == "OAuth":
                    oauth.add(index if kind is parameter.POSITIONAL_ONLY else parameter.name)
            index += 1
        elif kind is parameter.KEYWORD_ONLY and (annotated or named):
            keywords.append(parameter.name)
            if special == "OAuth":
                oauth.add(parameter.name)
    return Slots(tuple(positions), tuple(keywords), frozenset(oauth))


def slots(fn: Callable[..., Any], given: int) -> Slots:
    """Where ``fn``, called with ``given`` positional values, takes the request."""
    try:
        return _slots(fn, given)
    except TypeError:  # an unhashable callable: look every time
        return _slots.__wrapped__(fn, given)


#: The request, or a function that builds it: called only when the function takes it (most
#: take none, and building one reads every header of the HTTP request).
RequestSource = Request | Callable[[], Request] | None


def inject(
    fn: Callable[..., Any], args: Sequence[Any], request: RequestSource
) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """The arguments to call ``fn`` with: ``args`` with ``request`` at the places ``fn``
    takes it (``None`` when there is no request, as Gradio passes), and ``None`` at the places
    of ``gr.OAuthProfile``/``gr.OAuthToken``."""
    found = slots(fn, len(args))
    if not found:
        return tuple(args), {}
    if callable(request):
        request = request()
    out = list(args)
    for index in found.positions:
        out.insert(index, None if index in found.oauth else request)
    return tuple(out), {name: None if name in found.oauth else request for name in found.keywords}
