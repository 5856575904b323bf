"""How a ChatInterface is served, without the chat model importing the HTTP layer.

``ChatInterface.app`` and ``.launch()`` need the Quart app factory and the server, which import
the interface themselves. Instead of importing them back, the interface asks this module, and
the package installs both when it is imported (``backend/__init__.py``): the server knows the
interface, never the other way round. Importing ``backend.chat.interface`` imports the package
first, so the hooks are installed before an interface can be used.

It also keeps the interfaces made while ``backend serve`` imports an app file (``loader.py``
reads them), and ``launch()`` only registers its interface while that import runs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..components.blocks import Hosted

AppFactory = Callable[[Any], Any]
#: ``launcher(interface, overrides)``: serve with these settings over the environment's.
Launcher = Callable[[Any, Mapping[str, Any]], None]

_app_factory: AppFactory | None = None
_launcher: Launcher | None = None

# Interfaces created while `backend serve` imports an app file: the loader reads them, and
# launch() only registers instead of serving while it is importing.
created: list[Hosted] = []
launched: list[Hosted] = []
importing = False


def install(app_factory: AppFactory, launcher: Launcher) -> None:
    """Called once by the package: ``app_factory(interface)`` makes the ASGI app,
    ``launcher(interface, overrides)`` serves it until Ctrl+C with the settings
    ``launch()``'s arguments override."""
    global _app_factory, _launcher
    _app_factory, _launcher = app_factory, launcher


def app_factory() -> AppFactory:
    if _app_factory is None:
        raise RuntimeError("the chatbubble server is not installed: import backend")
    return _app_factory


def launcher() -> Launcher:
    if _launcher is None:
        raise RuntimeError("the chatbubble server is not installed: import backend")
    return _launcher
