"""The one settings object: defaults < TOML file < ``CHATBUBBLE_*`` environment < CLI flags."""

from __future__ import annotations

import dataclasses
import ipaddress
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

#: A language tag for `locale`: a language, then subtags (``de``, ``pt-BR``, ``zh-Hant-TW``).
LOCALE = re.compile(r"\A[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8}){0,3}\Z")

SECONDS = 1.0
KB = 1024
MB = 1024 * KB
ENV_PREFIX = "CHATBUBBLE_"
DATABASE_SCHEMES = ("postgresql://", "postgres://", "postgresql+asyncpg://", "sqlite:///")
#: Shortest admin_password or admin token (the console is reachable by anyone who finds it).
MIN_ADMIN_KEY = 8
OPENAI_ENV = {"OPENAI_BASE_URL": "openai_base_url", "OPENAI_API_KEY": "token"}


def _setting(default: Any, help: str, *, secret: bool = False) -> Any:  # noqa: A002
    # "help" reads best at the call sites; secrets stay out of the repr (and so out of logs).
    return field(default=default, metadata={"help": help}, repr=not secret)


class SettingsError(ValueError):
    """A setting has a value we cannot use; the message names it."""


@dataclass(frozen=True)
class Settings:
    """Everything the server can be told. Every field documents itself in ``--help``."""

    host: str = _setting("127.0.0.1", "Interface to listen on (0.0.0.0 for all).")
    port: int = _setting(8000, "Port to listen on (0 picks a free one).")
    workers: int = _setting(1, "Worker processes sharing the port (each runs the app).")
    backlog: int = _setting(
        2048,
        "Connections the kernel queues before the server accepts them (a burst of visitors "
        "beyond it waits for a SYN retry, about a second); capped by the kernel's "
        "net.core.somaxconn.",
    )
    public_url: str = _setting(
        "",
        "URL visitors reach this server at, used in the printed <script> tag "
        "(default: http://HOST:PORT).",
    )
    root_path: str = _setting(
        "",
        "Path prefix the app is served under behind a reverse proxy (e.g. /bot), or the full "
        "URL of that place: every URL the server hands out carries it (as Gradio's root_path).",
    )
    allowed_origins: tuple[str, ...] = _setting(
        (),
        "Comma-separated origins (scheme://host[:port]) allowed to use the chat; "
        "empty allows any website.",
    )
    max_message_chars: int = _setting(16_000, "Longest visitor message, in characters.")
    max_history_messages: int = _setting(200, "Most history entries one request may carry.")
    max_history_entry_chars: int = _setting(
        100_000, "Longest single history entry, in characters."
    )
    max_body_bytes: int = _setting(
        1 * MB, "Largest request body, in bytes (enforced while reading)."
    )
    max_file_size: int = _setting(
        10 * MB,
        "Largest uploaded file, in bytes (multimodal apps; enforced while receiving).",
    )
    max_files: int = _setting(10, "Most files one message may carry (multimodal apps).")
    file_retention: float = _setting(
        24 * 3600 * SECONDS,
        "Seconds uploaded and answered files are kept; then they are deleted.",
    )
    upload_dir: str = _setting(
        "",
        "Where uploads and answered files are kept (shared by the workers); "
        "default: <system temp dir>/chatbubble/<app id>.",
    )
    allowed_paths: tuple[str, ...] = _setting(
        (),
        "Comma-separated extra directories the chat function may return files from "
        "(besides the working directory, the app's directory and the temp dir).",
    )
    blocked_paths: tuple[str, ...] = _setting(
        (),
        "Comma-separated files or directories the chat function may never return files "
        "from, even inside an allowed one.",
    )
    worker_threads: int = _setting(
        32,
        "Threads for synchronous chat functions; further answers wait for a free one.",
    )
    flush_interval: float = _setting(
        0.04 * SECONDS,
        "Least seconds between two deltas of one answer (a busy worker waits longer, up to "
        "0.5 s); yields in between are merged (the first delta is sent at once).",
    )
    heartbeat_interval: float = _setting(
        15 * SECONDS,
        "Seconds between keep-alive comments while the chat function is silent.",
    )
    stream_idle_timeout: float = _setting(
        300 * SECONDS,
        "Seconds the chat function may stay silent before the answer ends with a timeout.",
    )
    stream_max_duration: float = _setting(
        900 * SECONDS, "Longest an answer may stream, in seconds."
    )
    max_answer_chars: int = _setting(
        100_000,
        "Longest answer text, in characters: a longer answer is cut there with a note and "
        "its chat function closed; 0: no limit.",
    )
    compress_streams: bool = _setting(
        True,
        "Gzip answer streams for clients that accept it (flushed after every event).",
    )
    feedback_rate_limit: int = _setting(
        60, "Feedback flags one client (IP address) may send per minute, per worker; 0: no limit."
    )
    message_rate_limit: int = _setting(
        60, "Messages one client (IP address) may send per minute, per worker; 0: no limit."
    )
    max_streams_per_client: int = _setting(
        8, "Answers one client (IP address) may stream at once, per worker; 0: no limit."
    )
    upload_rate_limit: int = _setting(
        60, "Files one client (IP address) may upload per minute, per worker; 0: no limit."
    )
    trusted_proxies: tuple[str, ...] = _setting(
        (),
        "Comma-separated addresses or networks of your reverse proxies (e.g. 127.0.0.1); "
        "only their X-Forwarded-For header names the client.",
    )
    stream_reattach_grace: float = _setting(
        20 * SECONDS,
        "Seconds a resumable answer keeps running while nobody reads it (the visitor is "
        "between two pages of the site) before its chat function is closed.",
    )
    stream_retention: float = _setting(
        300 * SECONDS, "Seconds a finished answer can still be read again (after a reload)."
    )
    redis_url: str = _setting(
        "",
        "redis://host:port/db: keep answers in flight and the abuse limits in Redis, so any "
        "worker or machine can serve a reattach, a Stop and the limits; empty: in memory.",
        secret=True,
    )
    database_url: str = _setting(
        "",
        "postgresql://user:password@host:port/db: keep conversations and feedback in "
        "PostgreSQL, shared by several machines; sqlite:///path: that SQLite file; empty: "
        "SQLite in <flagging_dir>/store.sqlite3 (beside the feedback log).",
        secret=True,
    )
    store_transcripts: bool = _setting(
        False,
        "Keep every finished turn (the visitor's message, the answer, its timings or error) "
        "in the conversation store; off: only feedback rows keep their conversation.",
    )
    feedback_comments: bool = _setting(
        False,
        "A thumbs-down opens an optional comment box (at most 1,000 characters, kept as plain "
        "text with the feedback row in the conversation store; the CSV keeps Gradio's columns).",
    )
    retention_days: float = _setting(
        0,
        "Days the conversation store keeps a conversation after its last activity (purged "
        "at start and hourly); 0: keep everything.",
    )
    stream_first_token_timeout: float = _setting(
        120 * SECONDS,
        "Seconds the chat function may take to start answering before the answer ends "
        "with a timeout.",
    )
    secret: str = _setting(
        "",
        "Key that signs answer ids for feedback; default: one kept in <flagging_dir>/.secret.",
    )
    auth: tuple[str, ...] = _setting(
        (),
        "Comma-separated username:password accounts: visitors and API clients must log in "
        "(as launch(auth=...)); empty: the chat is open.",
        secret=True,
    )
    admin_password: str = _setting(
        "",
        "Password of the operator console at /admin (transcripts, feedback, charts, export); "
        "empty, and no admin_tokens: no console.",
        secret=True,
    )
    admin_tokens: tuple[str, ...] = _setting(
        (),
        "Comma-separated tokens, each of which opens the console at /admin as the "
        "admin_password does (one per operator, so one can be withdrawn).",
        secret=True,
    )
    identity_secret: str = _setting(
        "",
        "Shared secret (at least 32 bytes) the host site signs its visitors' tokens with "
        "(JWT, HS256): the widget's data-user-token or chatbubble('identify', token); the chat "
        "function gets request.username (the token's sub) and request.claims.",
        secret=True,
    )
    identity_public_key: str = _setting(
        "",
        "Public key (PEM text or the path of a PEM file) the host site's visitor tokens are "
        "checked with: RS256 for an RSA key, ES256 for a P-256 key.",
    )
    identity_audience: str = _setting(
        "",
        "The aud every visitor token must carry (e.g. this chat's URL); empty: tokens must "
        "carry no aud.",
    )
    identity_required: bool = _setting(
        False,
        "Refuse visitors without a valid token from the host site (needs identity_secret or "
        "identity_public_key).",
    )
    login_lifetime: float = _setting(
        7 * 24 * 3600 * SECONDS,
        "Seconds a login stays valid (the widget and Gradio's clients then log in again).",
    )
    login_rate_limit: int = _setting(
        10, "Login attempts one client (IP address) may make per minute, per worker; 0: no limit."
    )
    strict_cors: bool = _setting(
        False,
        "As Gradio's strict_cors (launch() turns it on by default): a server reached at "
        "localhost answers only pages on localhost, so other websites cannot use a local chat.",
    )
    favicon_path: str = _setting(
        "", "Icon file served at /favicon.ico for the pages this server shows (the chat page)."
    )
    locale: str = _setting(
        "",
        "The widget's language for this app (a locale such as de or pt-BR; the script tag's "
        "data-locale wins; default: each visitor's browser language, else English).",
    )
    greeting: str = _setting(
        "",
        "A greeting shown once per visitor in a small bubble beside the closed launcher "
        "(plain text, at most 200 characters; the script tag's data-greeting wins).",
    )
    greeting_delay: float = _setting(
        0.0,
        "Seconds (at most 3600) before the greeting appears "
        "(the script tag's data-greeting-delay wins).",
    )
    notice: str = _setting(
        "",
        "A short notice shown at the top of every conversation, as markdown (at most 1000 "
        "characters), e.g. that visitors are chatting with an AI; the script tag's data-notice "
        "wins.",
    )
    consent: str = _setting(
        "",
        "Ask visitors to accept before their first message is sent: true for the widget's "
        "translated question, or the question's own text (at most 500 characters); nothing "
        "reaches the chat before they accept. The script tag's data-consent wins.",
    )
    privacy_url: str = _setting(
        "",
        "The site's privacy policy (an http(s) URL), linked beside the notice and the consent "
        "question; the script tag's data-privacy-url wins.",
    )
    show_error: bool = _setting(
        False,
        "Tell visitors and API clients what any exception of the chat function says, not "
        "only gr.Error's (default: a generic message; the log has the details).",
    )
    mcp_server: bool = _setting(
        False,
        "Also serve the chat function as an MCP tool (Streamable HTTP) at /gradio_api/mcp/; "
        "needs the mcp extra: pip install 'chatbubble[mcp]'.",
    )
    ssl_certfile: str = _setting("", "TLS certificate file (PEM): serve https.")
    ssl_keyfile: str = _setting("", "TLS private key file (PEM) of --ssl-certfile.")
    ssl_keyfile_password: str = _setting(
        "", "Password of an encrypted --ssl-keyfile.", secret=True
    )
    quiet: bool = _setting(False, "Print nothing at startup (no banner, no <script> tag).")
    log_level: str = _setting("info", "Log level: debug, info, warning or error.")
    openai_api: bool = _setting(
        True,
        "Also serve the chat as an OpenAI-compatible API: POST /v1/chat/completions and "
        "GET /v1/models.",
    )
    api_key: str = _setting(
        "",
        "Key programs must send as 'Authorization: Bearer KEY' to use /v1 (the "
        "OpenAI-compatible API); empty: no key needed.",
        secret=True,
    )
    openai_base_url: str = _setting(
        "",
        "Without APP, with --model: the OpenAI-compatible model server to chat with, e.g. "
        "http://localhost:11434/v1/ (also read from $OPENAI_BASE_URL).",
    )
    model: str = _setting(
        "",
        "Without APP: serve a chat with this model of --openai-base-url (load_chat) "
        "instead of the demo.",
    )
    token: str = _setting(
        "",
        "Key for the model server at --openai-base-url (also read from $OPENAI_API_KEY).",
        secret=True,
    )

    def __post_init__(self) -> None:
        if not 0 <= self.port <= 65535:
            raise SettingsError(f"port must be between 0 and 65535, not {self.port}")
        for name in (
            "max_message_chars",
            "max_history_messages",
            "max_history_entry_chars",
            "max_body_bytes",
            "max_file_size",
            "max_files",
            "worker_threads",
            "workers",
            "backlog",
        ):
            if getattr(self, name) < 1:
                raise SettingsError(f"{name} must be at least 1")
        for name in (
            "flush_interval",
            "heartbeat_interval",
            "feedback_rate_limit",
            "message_rate_limit",
            "max_streams_per_client",
            "upload_rate_limit",
            "login_rate_limit",
            "stream_reattach_grace",
            "max_answer_chars",
        ):
            if getattr(self, name) < 0:
                raise SettingsError(f"{name} must not be negative")
        for name in (
            "stream_idle_timeout",
            "stream_max_duration",
            "file_retention",
            "stream_first_token_timeout",
            "stream_retention",
            "login_lifetime",
        ):
            if getattr(self, name) <= 0:
                raise SettingsError(f"{name} must be positive")
        for origin in self.allowed_origins:
            if "://" not in origin or origin.endswith("/"):
                raise SettingsError(
                    f"allowed_origins: {origin!r} is not an origin like https://example.com"
                )
        if self.redis_url and not self.redis_url.startswith(("redis://", "rediss://", "unix://")):
            raise SettingsError("redis_url must start with redis://, rediss:// or unix://")
        if self.database_url and not self.database_url.startswith(DATABASE_SCHEMES):
            raise SettingsError(
                "database_url must start with postgresql://, postgres:// or sqlite:///"
            )
        if self.retention_days < 0:
            raise SettingsError("retention_days must not be negative (0 keeps everything)")
        for key in (self.admin_password, *self.admin_tokens):
            if key and len(key) < MIN_ADMIN_KEY:
                raise SettingsError(
                    f"admin_password and admin_tokens must be at least {MIN_ADMIN_KEY} characters"
                )
        if self.openai_base_url and not self.openai_base_url.startswith(("http://", "https://")):
            raise SettingsError("openai_base_url must be an http:// or https:// URL")
        for proxy in self.trusted_proxies:
            try:
                ipaddress.ip_network(proxy, strict=False)
            except ValueError:
                raise SettingsError(
                    f"trusted_proxies: {proxy!r} is not an address or network"
                ) from None
        if self.root_path and not self.root_path.startswith(("/", "http://", "https://")):
            raise SettingsError(
                f"root_path must be a path like /bot or a URL, not {self.root_path!r}"
            )
        if self.favicon_path and not Path(self.favicon_path).is_file():
            raise SettingsError(f"favicon_path: {self.favicon_path!r} is not a file")
        for account in self.auth:
            if ":" not in account or not account.partition(":")[0].strip():
                raise SettingsError("auth: each account must be username:password")
        if self.identity_secret and len(self.identity_secret.encode()) < 32:
            raise SettingsError("identity_secret must be at least 32 bytes long (HS256)")
        if self.identity_required and not (self.identity_secret or self.identity_public_key):
            raise SettingsError(
                "identity_required needs identity_secret or identity_public_key to check tokens"
            )
        if bool(self.ssl_certfile) != bool(self.ssl_keyfile):
            raise SettingsError("ssl_certfile and ssl_keyfile go together: give both or neither")
        if self.locale and not LOCALE.match(self.locale):
            raise SettingsError(
                f"locale must be a language tag such as de or pt-BR, not {self.locale!r}"
            )
        if len(self.greeting) > 200:
            raise SettingsError("greeting must be at most 200 characters")
        if not 0 <= self.greeting_delay <= 3600:
            raise SettingsError("greeting_delay must be between 0 and 3600 seconds")
        if len(self.notice) > 1000:
            raise SettingsError("notice must be at most 1000 characters")
        if len(self.consent) > 500:
            raise SettingsError("consent must be at most 500 characters")
        if self.privacy_url and not _web_url(self.privacy_url):
            raise SettingsError("privacy_url must be an http:// or https:// URL")
        if self.log_level not in ("debug", "info", "warning", "error"):
            raise SettingsError(
                f"log_level must be debug, info, warning or error, not {self.log_level!r}"
            )

    @classmethod
    def fields(cls) -> tuple[dataclasses.Field[Any], ...]:
        return dataclasses.fields(cls)

    @classmethod
    def help_for(cls, name: str) -> str:
        for f in cls.fields():
            if f.name == name:
                return str(f.metadata["help"])
        raise KeyError(name)

    def replace(self, values: Mapping[str, Any]) -> Settings:
        """A copy with ``values`` (already typed or as strings) applied; unknown names raise."""
        known = {f.name: f for f in self.fields()}
        changes: dict[str, Any] = {}
        for name, raw in values.items():
            if name not in known:
                raise SettingsError(f"unknown setting {name!r}")
            changes[name] = _coerce(name, known[name].default, raw)
        return dataclasses.replace(self, **changes)

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> Settings:
        return cls().replace(values)

    def with_toml(self, path: str | Path) -> Settings:
        try:
            with open(path, "rb") as file:
                data = tomllib.load(file)
        except OSError as error:
            raise SettingsError(f"cannot read config file {path}: {error.strerror}") from None
        except tomllib.TOMLDecodeError as error:
            raise SettingsError(f"config file {path} is not valid TOML: {error}") from None
        return self.replace(data)

    def with_env(self, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        names = {f.name for f in self.fields()}
        # The openai package's own variables, below our prefixed ones.
        values = {name: env[key] for key, name in OPENAI_ENV.items() if env.get(key)}
        for key, raw in env.items():
            if key.startswith(ENV_PREFIX) and key != ENV_PREFIX + "CONFIG":
                name = key[len(ENV_PREFIX) :].lower()
                if name not in names:
                    raise SettingsError(f"unknown setting in environment: {key}")
                values[name] = raw
        return self.replace(values)

    @classmethod
    def load(
        cls,
        overrides: Mapping[str, Any] | None = None,
        config_file: str | Path | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> Settings:
        """Defaults, then the TOML file (``config_file`` or ``$CHATBUBBLE_CONFIG``), then the
        environment, then ``overrides`` (the flags the user actually passed)."""
        env = os.environ if environ is None else environ
        settings = cls()
        path = config_file or env.get(ENV_PREFIX + "CONFIG")
        if path:
            settings = settings.with_toml(path)
        settings = settings.with_env(env)
        return settings.replace(overrides or {})

    @property
    def consent_question(self) -> str | bool:
        """``consent`` as the widget reads it: True (its own question), the question, or False."""
        text = self.consent.strip()
        if text.lower() in _FALSE or not text:
            return False
        return True if text.lower() in _TRUE else text

    @property
    def root_is_url(self) -> bool:
        return self.root_path.startswith(("http://", "https://"))

    @property
    def path_prefix(self) -> str:
        """The path part of ``root_path``, without its trailing slash ("" for none)."""
        path = urlsplit(self.root_path).path if self.root_is_url else self.root_path
        return path.rstrip("/")

    @property
    def base_url(self) -> str:
        if self.public_url:
            return self.public_url.rstrip("/")
        if self.root_is_url:
            return self.root_path.rstrip("/")
        host = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host
        if ":" in host:
            host = f"[{host}]"
        scheme = "https" if self.ssl_certfile else "http"
        return f"{scheme}://{host}:{self.port}{self.path_prefix}"


_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")
#: Text settings that also take a boolean (TOML ``consent = true``).
_TEXT_OR_FLAG = ("consent",)


def _web_url(text: str) -> bool:
    parts = urlsplit(text)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _coerce(name: str, default: Any, raw: Any) -> Any:
    if name in _TEXT_OR_FLAG and isinstance(raw, bool):
        return "true" if raw else ""
    try:
        if isinstance(default, bool):
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            if text in _TRUE:
                return True
            if text in _FALSE:
                return False
            raise ValueError
        if isinstance(default, int):
            if isinstance(raw, bool):
                raise ValueError
            return int(raw)
        if isinstance(default, float):
            if isinstance(raw, bool):
                raise ValueError
            return float(raw)
        if isinstance(default, tuple):
            items = raw.split(",") if isinstance(raw, str) else list(raw)
            return tuple(str(item).strip() for item in items if str(item).strip())
        if not isinstance(raw, str):
            raise ValueError
        return raw
    except (TypeError, ValueError):
        kind = type(default).__name__
        raise SettingsError(f"{name} must be a {kind}, not {raw!r}") from None
