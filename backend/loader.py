"""Finds the ChatInterface that ``backend serve TARGET`` should serve."""

from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from .chat import hosting
from .chat.interface import ChatInterface
from .components.blocks import Blocks
from .settings import Settings


class LoadError(Exception):
    """The target cannot be loaded or holds no single ChatInterface; the message says why."""


def load_interface(target: str) -> ChatInterface:
    """``app.py``, ``app.py:name``, ``package.module`` or ``package.module:name``.

    Without a name: the variable ``demo``, else the only ChatInterface in the module, else the
    only one the module created or launched while it was imported.
    """
    source, _, name = target.partition(":")
    before = len(hosting.created)
    hosting.launched.clear()
    hosting.importing = True
    try:
        module = _import(source)
    finally:
        hosting.importing = False
    if name:
        found = getattr(module, name, None)
        if isinstance(found, Blocks):
            return _inside(found, f"{source}:{name}")
        if not isinstance(found, ChatInterface):
            raise LoadError(f"{source} has no ChatInterface named {name!r}")
        return found
    demo = getattr(module, "demo", None)
    if isinstance(demo, ChatInterface):
        return demo
    if isinstance(demo, Blocks):
        return _inside(demo, f"{source}:demo")
    named = {id(v): v for v in vars(module).values() if isinstance(v, ChatInterface)}
    if len(named) == 1:
        return next(iter(named.values()))
    if len(named) > 1:
        names = sorted(k for k, v in vars(module).items() if isinstance(v, ChatInterface))
        raise LoadError(
            f"{source} has several ChatInterfaces ({', '.join(names)}); "
            f"pick one with {source}:NAME"
        )
    # hosting keeps them as Hosted (it does not import the class); they are all ChatInterfaces.
    made = hosting.launched or hosting.created[before:]
    new = [found for found in made if isinstance(found, ChatInterface)]
    if len(new) == 1:
        return new[0]
    if not new:
        raise LoadError(f"{source} creates no ChatInterface")
    raise LoadError(
        f"{source} creates several ChatInterfaces; assign the one to serve to a variable "
        f"and pick it with {source}:NAME"
    )


def model_interface(settings: Settings) -> ChatInterface:
    """``backend serve --model NAME``: a chat with that model of ``openai_base_url``."""
    if not settings.openai_base_url:
        raise LoadError("--model needs --openai-base-url (or $OPENAI_BASE_URL)")
    from .upstream.load_chat import load_chat

    return load_chat(settings.openai_base_url, settings.model, settings.token or None)


def _inside(blocks: Blocks, where: str) -> ChatInterface:
    try:
        interface: ChatInterface = blocks.interface
    except ValueError as error:
        raise LoadError(f"{where}: {error}") from None
    return interface


def _import(source: str) -> ModuleType:
    path = Path(source)
    if source.endswith(".py") or path.is_file():
        if not path.is_file():
            raise LoadError(f"no such file: {source}")
        directory = str(path.resolve().parent)
        if directory not in sys.path:
            sys.path.insert(0, directory)
        module_name = f"chatbubble_app_{path.stem}"
        spec = importlib.util.spec_from_file_location(module_name, path)
        if spec is None or spec.loader is None:
            raise LoadError(f"cannot import {source}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        spec.loader.exec_module(module)
        return module
    try:
        return importlib.import_module(source)
    except ModuleNotFoundError as error:
        if error.name and source.startswith(error.name):
            raise LoadError(f"no such file or module: {source}") from None
        raise
