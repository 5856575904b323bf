"""Runs a ChatInterface on Hypercorn and tells the operator what to paste."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
import signal
import socket
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hypercorn.asyncio import serve as hypercorn_serve
from hypercorn.config import Config

from .chat.examples import ExampleError
from .http.app import MCP_MISSING, create_app
from .http.widget_asset import WidgetAsset
from .settings import Settings, SettingsError
from .version import __version__

if TYPE_CHECKING:
    from .chat.interface import ChatInterface


#: Where ``mcp_server`` serves (``backend.http.mcp.PATH``; that package needs the extra).
MCP_PATH = "/gradio_api/mcp/"

#: Where Linux says the longest listen queue it grants (a larger backlog is cut to it).
SOMAXCONN = Path("/proc/sys/net/core/somaxconn")

#: Allocations between two young-generation collections while serving (Python's default: 700).
GC_FIRST_THRESHOLD = 10_000
#: Seconds between two full collections while serving: with the first threshold above, the
#: oldest generation's turn comes only after about a million surviving allocations, which a
#: steady load may never reach, and the cycles that end there (connections' tasks, futures,
#: locks) would pile up (`make soak`: RSS +9 % in 3 minutes). A full collection walks what is
#: not frozen, a few milliseconds.
FULL_COLLECTION_EVERY = 30.0


class ServeError(Exception):
    """The server cannot start (for example, the port is taken); the message says why."""


def kernel_somaxconn(path: Path = SOMAXCONN) -> int | None:
    """The kernel's cap on a listen queue, or None where it cannot be read (not Linux)."""
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


def listen_backlog(asked: int, somaxconn: int | None) -> int:
    """The listen queue the kernel will really give for ``asked``: at most ``somaxconn``."""
    return asked if somaxconn is None else min(asked, somaxconn)


def backlog_note(asked: int, somaxconn: int | None) -> str | None:
    """The banner's warning when the kernel grants a shorter listen queue than the setting."""
    if somaxconn is None or somaxconn >= asked:
        return None
    return (
        f"note: backlog {asked} is cut to {somaxconn} by the kernel (net.core.somaxconn); "
        f"a burst of more new connections waits for SYN retries. To raise it: "
        f"sysctl -w net.core.somaxconn={asked}"
    )


def bind(host: str, port: int, backlog: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        raise ServeError(f"cannot listen on {host}:{port}: {error.strerror}") from None
    sock.listen(backlog)
    sock.set_inheritable(True)
    return sock


def banner(
    interface: ChatInterface, base_url: str, site: bool, notes: tuple[str, ...] = ()
) -> str:
    lines = [
        f"chatbubble {__version__}: serving {interface!r} at {base_url}",
        "",
        "Paste this tag into any page of your website:",
        "",
        f'    <script src="{base_url}/widget.js" async></script>',
        "",
    ]
    lines += [f"The chat as a full page: {base_url}/"]
    if site:
        lines += [f"Demo site: {base_url}/demo/"]
    lines += [""]
    if not WidgetAsset().built:
        lines += [
            "warning: the widget is not built; run `make build` (or `npm run build`).",
            "",
        ]
    for note in notes:
        lines += [note, ""]
    lines.append("Press Ctrl+C to stop.")
    return "\n".join(lines)


def launch(interface: ChatInterface, overrides: Mapping[str, Any]) -> None:
    """``ChatInterface.launch()``: the settings from the environment, with what its arguments
    override (``chat.launching``)."""
    try:
        settings = Settings.load(overrides)
    except SettingsError as error:
        raise ServeError(str(error)) from None
    serve(interface, settings)


def serve(interface: ChatInterface, settings: Settings, *, site_dir: Path | None = None) -> None:
    """Serve until SIGINT or SIGTERM."""
    logging.basicConfig(
        level=settings.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if settings.mcp_server and not mcp_installed():
        raise ServeError(MCP_MISSING)
    cache = interface.example_cache
    if cache is not None and interface.cache_mode == "eager" and not cache.complete:
        try:
            cache.fill_now()
        except ExampleError as error:
            raise ServeError(str(error)) from None
    somaxconn = kernel_somaxconn()
    backlog = listen_backlog(settings.backlog, somaxconn)
    sock = bind(settings.host, settings.port, backlog)
    port = sock.getsockname()[1]
    if settings.port == 0:
        settings = settings.replace({"port": port})
    config = Config()
    config.bind = [f"fd://{sock.fileno()}"]
    config.backlog = backlog  # Hypercorn listens again on the socket, with its default 100
    config.graceful_timeout = 5
    # No `server: hypercorn-h11` on every response: it tells a scanner the stack and costs each
    # response 23 bytes (issue 20's bytes before the first answer count headers).
    config.include_server_header = False
    # A client reading a stream sends nothing, so Hypercorn's read timeout must outlast the
    # longest answer; slow request bodies have their own 30 s idle limit (backend.http.bodies).
    config.read_timeout = int(settings.stream_max_duration) + 60
    config.accesslog = None
    config.errorlog = logging.getLogger("hypercorn.error")
    if settings.ssl_certfile:
        config.certfile = settings.ssl_certfile
        config.keyfile = settings.ssl_keyfile
        config.keyfile_password = settings.ssl_keyfile_password or None
        try:
            config.create_ssl_context()
        except (OSError, ValueError) as error:  # ssl.SSLError is an OSError
            raise ServeError(f"cannot use the TLS certificate and key: {error}") from None
    threshold = gc.get_threshold()
    tune_gc()
    if not settings.quiet:
        note = backlog_note(settings.backlog, somaxconn)
        notes = (note,) if note else ()
        print(banner(interface, settings.base_url, site_dir is not None, notes), flush=True)
        if settings.mcp_server:
            print(f"MCP server (Streamable HTTP): {settings.base_url}{MCP_PATH}", flush=True)
    try:
        if settings.workers == 1:
            _run(create_app(interface, settings, site_dir=site_dir), config)
        else:
            _prefork(
                settings.workers,
                lambda: _run(create_app(interface, settings, site_dir=site_dir), config),
            )
    finally:
        untune_gc(threshold)
        with contextlib.suppress(OSError):  # Hypercorn may have closed the descriptor already
            sock.close()


def mcp_installed() -> bool:
    try:
        import mcp  # noqa: F401 - only whether the optional extra is there
    except ModuleNotFoundError:
        return False
    return True


def tune_gc() -> None:
    """The garbage collector, for a server about to take requests (and fork its workers).

    Everything loaded so far (modules, the interface, the example cache) lives as long as
    the server: frozen, later collections never walk it again, and forked workers do not
    copy its pages by collecting it. A stream in flight holds a few hundred small objects,
    so with a thousand of them the default first threshold (700 allocations) runs a
    collection every few requests; 10,000 keeps a burst cheap (benchmarks/compare_gradio.py,
    1,000 streams: p99 about a fifth lower) while cycles are still collected within
    milliseconds.
    """
    gc.collect()
    gc.freeze()
    _, second, third = gc.get_threshold()
    gc.set_threshold(GC_FIRST_THRESHOLD, second, third)


def untune_gc(threshold: tuple[int, int, int]) -> None:
    """Undoes :func:`tune_gc` once the server stopped (``serve`` may be called from a program
    that goes on, such as a notebook's ``demo.launch()``)."""
    gc.unfreeze()
    gc.set_threshold(*threshold)


async def collect_periodically(every: float = FULL_COLLECTION_EVERY) -> None:
    """A full collection every ``every`` seconds, until cancelled."""
    while True:
        await asyncio.sleep(every)
        gc.collect(2)


def _run(app: object, config: Config) -> None:
    try:
        asyncio.run(_serve(app, config))
    except KeyboardInterrupt:
        pass


def _prefork(workers: int, run: Callable[[], None]) -> None:
    """``workers`` processes forked after the app is loaded, all accepting on the one socket."""
    children = []
    for _ in range(workers):
        pid = os.fork()
        if pid == 0:  # the worker
            code = 0
            try:
                run()
            except BaseException:  # noqa: BLE001 - a worker must never return into the parent's code
                logging.getLogger("backend.server").exception("worker %d failed", os.getpid())
                code = 1
            finally:
                os._exit(code)
        children.append(pid)

    def stop(signum: int, frame: object) -> None:
        for child in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for child in children:
        while True:
            try:
                os.waitpid(child, 0)
                break
            except InterruptedError:
                continue
            except ChildProcessError:
                break


async def _serve(app: object, config: Config) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()

    def shut_down() -> None:
        # Answers in flight end with a final "server_restarting" event, so Hypercorn's
        # graceful shutdown finds them done instead of cutting them after its timeout.
        state = getattr(app, "extensions", {}).get("chatbubble")
        if state is not None:
            state.drain()
        stop.set()

    for signum in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(signum, shut_down)
        except (
            NotImplementedError,
            RuntimeError,
        ):  # not the main thread, or no signals
            pass
    collector = asyncio.ensure_future(collect_periodically())
    try:
        await hypercorn_serve(app, config, shutdown_trigger=stop.wait)  # type: ignore[arg-type]
    finally:
        collector.cancel()
    print("chatbubble: stopped.", file=sys.stderr, flush=True)
