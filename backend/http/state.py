"""``AppState``: everything the routes of one app need, passed to each route group explicitly,
and ``start_answer``, which every route that answers (``/api/chat``, ``/v1``) goes through."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from quart import request

from ..chat import validation
from ..chat.concurrency import Gate, Place
from ..chat.examples import Answer
from ..chat.message_ids import MessageSigner
from ..chat.outputs import Outputs
from ..chat.replies import PartMaker
from ..chat.request import RequestSource
from ..chat.run import ChatRun
from ..chat.states import ConversationStates, StateSlots
from ..chat.thoughts import split_cached
from ..chat.turns import Finish
from ..components.state import State
from ..errors import RateLimitedError, RequestError
from ..files.store import VISITOR_KEY, VISITOR_KEY_HEADER, FileStore, StoredFile, owner_of
from ..settings import Settings
from ..storage.feedback import CsvFeedbackLog
from ..streams.events import Pacer, answer_events, cached_events
from ..streams.live_streams import Hub, StreamTicket
from .chat_request import ChatRequest
from .client_address import Network, client_address, networks
from .cors import OriginPolicy
from .limits import Limits, Rate, make_limits
from .login import Login
from .store_writes import StoreWrites
from .visitor_request import visitor_request
from .widget_asset import WidgetAsset

if TYPE_CHECKING:
    from ..chat.interface import ChatInterface


@dataclass
class AppState:
    """Everything the routes need, passed explicitly."""

    interface: ChatInterface
    settings: Settings
    origins: OriginPolicy
    files: FileStore
    outputs: Outputs
    #: Each example's files, stored for good (``multimodal=True``).
    example_files: tuple[tuple[StoredFile, ...], ...] = ()
    widget: WidgetAsset = field(default_factory=WidgetAsset)
    chunks: dict[str, WidgetAsset] = field(default_factory=dict)
    site_dir: Path | None = None
    executor: Executor | None = None
    signer: MessageSigner | None = None
    feedback_log: CsvFeedbackLog | None = None
    #: The conversation store and its background writes (None: nothing is stored).
    store_writes: StoreWrites | None = None
    #: The app's login (``launch(auth=...)`` or the ``auth`` setting); None: the chat is open.
    login: Login | None = None
    #: Set when the server stops: streams in flight end with a final event.
    stopping: asyncio.Event = field(default_factory=asyncio.Event)
    runs: set[ChatRun] = field(default_factory=set)
    #: ``gr.State`` values per conversation (this worker's memory).
    states: ConversationStates = field(default_factory=ConversationStates)
    limits: Limits = field(init=False)
    #: Spaces the deltas of every answer of this worker.
    pacer: Pacer = field(default_factory=Pacer)
    proxies: tuple[Network, ...] = field(init=False)
    #: ``concurrency_limit``: the calls of the chat function running in this worker, and the
    #: line of those waiting for their turn.
    gate: Gate = field(init=False)

    def __post_init__(self) -> None:
        self.limits = make_limits(self.settings, self.interface.app_id)
        self.proxies = networks(self.settings.trusted_proxies)
        self.gate = Gate(self.interface.concurrency, self.interface.max_size)

    @property
    def hub(self) -> Hub:
        return self.limits.hub

    def drain(self) -> None:
        """Ends every answer in flight with a ``server_restarting`` event (SIGTERM)."""
        self.stopping.set()
        for run in list(self.runs):
            run.wake()
        self.gate.wake()

    def client(self) -> str:
        """The requesting client's address (through trusted proxies)."""
        if not self.proxies:  # nobody's X-Forwarded-For is believed: no need to look it up
            return request.remote_addr or ""
        return client_address(
            request.remote_addr, request.headers.get("X-Forwarded-For"), self.proxies
        )

    def visitor_owner(self) -> str | None:
        """The owner (a digest) of this request's ``X-Visitor-Key``: the widget sends it with
        uploads and messages, so the files a visitor uploads can only be sent by them."""
        key = request.headers.get(VISITOR_KEY_HEADER)
        if key is None:
            return None
        if not VISITOR_KEY.match(key):
            raise RequestError(
                f"{VISITOR_KEY_HEADER} must be 22 to 128 letters, digits, '-' or '_'."
            )
        return owner_of(key)

    def conversation_key(self, conversation: str | None) -> str | None:
        """Where a widget conversation's ``gr.State`` values are kept: per visitor key, so
        nobody else can name them (None: no conversation, nothing kept)."""
        return f"widget:{self.visitor_owner() or ''}:{conversation}" if conversation else None

    def state_access(
        self, conversation: str | None
    ) -> tuple[Callable[[State], Any], Callable[[State, Any], None]]:
        """Read and write one ``gr.State`` of a widget conversation (events and feedback
        listeners, which see one State at a time)."""
        key = self.conversation_key(conversation)

        def get(slot: State) -> Any:
            return self.states.inputs(key, StateSlots((slot,)))[0]

        def keep(slot: State, value: Any) -> None:
            self.states.keep(key, slot, value)

        return get, keep

    async def limit(self, rate: Rate, client: str | None = None) -> None:
        """Refuses the request when ``client`` (this request's by default) is over ``rate``."""
        wait = await rate.allow(client or self.client())
        if wait:
            raise RateLimitedError(wait)

    async def start_answer(
        self,
        chat_request: ChatRequest,
        stream_id: str,
        *,
        finish: Finish | None = None,
        cached: Answer | None = None,
        token: str = "",
        client: str | None = None,
        base_url: str | None = None,
        visitor: RequestSource = None,
        conversation: str | None = None,
        reasoning: bool = False,
        watch: Callable[[AsyncIterator[bytes]], AsyncIterator[bytes]] | None = None,
    ) -> StreamTicket:
        """Runs the app's ``validator`` (a refusal is a ``ValidationFailedError``), takes one
        of the client's stream slots and a place at the gate (``concurrency_limit``), and
        starts the answer (the chat function, or a cached answer) in the stream hub, which gives
        both back however it ends. The caller reads it with ``hub.follow``. ``visitor`` is the
        ``gr.Request``, or what builds it (called once, in this request, when the function or the
        validator takes it; built from this request when None); ``conversation`` names the
        conversation whose ``gr.State`` values the function gets (None: fresh ones).

        ``client`` (the caller's address) and ``base_url`` (where returned files are served)
        default to the current request's; a caller outside Quart's request (the MCP server's
        tool calls) passes both, and ``visitor``. ``reasoning``: split the Chatbot's
        ``reasoning_tags`` out into thoughts (the widget; API clients get the text as it is).
        ``watch`` wraps the answer's events where they are made (``turn_records``)."""
        interface = self.interface
        if visitor is None:
            visitor = functools.partial(visitor_request, client or self.client())
        if callable(visitor) and interface.validator is not None:
            visitor = functools.cache(visitor)  # the validator and the function get one
        if cached is None and interface.validator is not None:
            await validation.check(
                interface.validator,
                interface.validator_arity,
                (chat_request.message_for_fn(), *chat_request.inputs),
                self.require_executor(),
                visitor,
            )
        client = client or self.client()
        if not await self.limits.streams.take(client):
            raise RateLimitedError(
                2, "You have several answers on the way already. Please wait for one to finish."
            )
        start = {"token": token} if chat_request.resumable else {}
        run: ChatRun | None = None
        place: Place | None = None
        events: AsyncIterator[bytes]
        try:
            if cached is not None:
                if reasoning:
                    cached = split_cached(cached, interface.chatbot.reasoning_tags)
                events = cached_events(cached, stream_id, finish, start)
            else:
                place = self.gate.join()
                states = interface.states
                kept = self.states.inputs(conversation, states) if states.used else []
                run = ChatRun(
                    interface.fn,
                    (
                        chat_request.message_for_fn(),
                        interface.history(chat_request.history),
                        *states.arrange(chat_request.inputs, kept),
                    ),
                    self.require_executor(),
                    request=visitor,
                )
                maker = PartMaker(
                    self.outputs,
                    base_url or self.lazy_base_url(),
                    interface.output_slots,
                    lambda slot, value: self.states.keep(conversation, slot, value),
                    interface.chatbot.reasoning_tags if reasoning else (),
                )
                events = answer_events(
                    run,
                    self.settings,
                    stream_id,
                    finish,
                    maker,
                    self.stopping,
                    start,
                    self.pacer,
                    place,
                    interface.status_update_rate,
                )
                self.runs.add(run)
            if watch is not None:
                events = watch(events)
        except BaseException:
            if place is not None:
                self.gate.leave(place)
            await self.limits.streams.give_back(client)
            raise

        async def ended() -> None:
            if run is not None:
                self.runs.discard(run)
            if place is not None:
                self.gate.leave(place)
            await self.limits.streams.give_back(client)

        try:
            return await self.hub.start(
                stream_id, events, token=token, resumable=chat_request.resumable, on_end=ended
            )
        except BaseException:
            await ended()
            raise

    def base_url(self) -> str:
        """Absolute URLs the widget loads: the configured public URL (or a ``root_path`` that
        is a whole URL), else the host this request came in on (what the widget used to reach
        us) with the ``root_path`` prefix."""
        settings = self.settings
        if settings.public_url or settings.root_is_url:
            return settings.base_url
        return request.host_url.rstrip("/") + settings.path_prefix

    def lazy_base_url(self) -> str | Callable[[], str]:
        """:meth:`base_url`, or what makes it for this request once asked (an answer needs it
        only for the files it returns, and the request's URL takes some work to build)."""
        settings = self.settings
        if settings.public_url or settings.root_is_url:
            return settings.base_url
        current = cast(Any, request)._get_current_object()  # the request, not its proxy
        return lambda: current.host_url.rstrip("/") + settings.path_prefix

    def require_executor(self) -> Executor:
        if self.executor is None:
            raise RuntimeError("the app is not serving (before_serving has not run)")
        return self.executor
