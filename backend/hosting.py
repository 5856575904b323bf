"""How a ChatInterface is served, without the chat model importing the HTTP layer.

``ChatInterface.app`` and ``.launch()`` need the Quart app factory and the server, which import
the interface themselves. Instead of importing them back, the interface asks this module, and
the package installs both when it is imported (``backend/__init__.py``): the server knows the
interface, never the other way round. Importing ``backend.interface`` imports the package first,
so the hooks are always installed before an interface can be used.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

AppFactory = Callable[[Any], Any]
Launcher = Callable[[Any, "str | None", "int | None"], None]

_hooks: dict[str, Any] = {}


def install(app_factory: AppFactory, launcher: Launcher) -> None:
    """Called once by the package: ``app_factory(interface)`` makes the ASGI app,
    ``launcher(interface, host, port)`` serves it until Ctrl+C."""
    _hooks["app_factory"] = app_factory
    _hooks["launcher"] = launcher


def _hook(name: str) -> Any:
    try:
        return _hooks[name]
    except KeyError:
        raise RuntimeError("the chatbubble server is not installed: import backend") from None


def app_factory() -> AppFactory:
    hook: AppFactory = _hook("app_factory")
    return hook


def launcher() -> Launcher:
    hook: Launcher = _hook("launcher")
    return hook
