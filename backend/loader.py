"""Finds the ChatInterface that ``backend serve TARGET`` should serve."""

from __future__ import annotations

import ast
import importlib
import importlib.util
import runpy
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from .chat import hosting
from .chat.interface import ChatInterface
from .components.blocks import Blocks
from .settings import Settings


class LoadError(Exception):
    """The target cannot be loaded or holds no single ChatInterface; the message says why."""


def load_interface(target: str, *, login_given: bool = False) -> ChatInterface:
    """``app.py``, ``app.py:name``, ``package.module`` or ``package.module:name``.

    Without a name: the variable ``demo``, else the only ChatInterface in the module, else the
    only one the module created or launched while it was imported. A file that makes none
    when imported (it builds its chat under ``if __name__ == "__main__":``) is then run as
    ``__main__``, with ``launch()`` registering its interface instead of serving it.

    A file whose login (``launch(auth=...)``) is only under ``if __name__ == "__main__":`` is
    refused when its interface is found without running that block, unless ``login_given``
    (``--auth``): serving it open would publish a chat its author meant to keep private. A
    file that gives ``launch(i18n=...)`` only in that block is run as ``__main__`` too (its
    module code runs twice), so its ``i18n("key")`` texts are translated.
    """
    source, _, name = target.partition(":")
    # Imported with launch() registering (a module-level demo.launch() must not serve here).
    module = _registering(lambda: vars(_import(source)))
    try:
        found = _pick(module, source, name)
    except _NoneMadeError:
        if not _is_file(source):
            raise LoadError(f"{source} creates no ChatInterface") from None
    else:
        origin = module.get("__file__")
        if isinstance(origin, str) and not login_given and not found.accounts.required:
            if _main_block_passes(Path(origin), "auth"):
                raise LoadError(
                    f"{source} passes auth= to launch() only under "
                    '`if __name__ == "__main__":`, which `backend serve` does not run, so '
                    "the chat would be served without its login: give --auth user:pass (or "
                    "CHATBUBBLE_AUTH), or call launch(auth=...) outside that block"
                )
        # Translations given only under `if __name__ == "__main__":` (Gradio's usual
        # `demo.launch(i18n=i18n)`): run the file as __main__ so the chat gets them.
        if not (
            isinstance(origin, str)
            and _is_file(source)
            and found.i18n is None
            and _main_block_passes(Path(origin), "i18n")
        ):
            return found
    main = _registering(lambda: _run_as_main(Path(source)))
    try:
        return _pick(main, source, name)
    except _NoneMadeError:
        raise LoadError(f"{source} creates no ChatInterface") from None


class _NoneMadeError(LoadError):
    """The module made no ChatInterface at all."""


def _registering(run: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """``run()`` with ``launch()`` registering; the names it made, and under ``_made`` the
    interfaces it created or launched."""
    before = len(hosting.created)
    hosting.launched.clear()
    hosting.importing = True
    try:
        namespace = dict(run())
    finally:
        hosting.importing = False
    # hosting keeps them as Hosted (it does not import the class); they are all ChatInterfaces.
    made = hosting.launched or hosting.created[before:]
    namespace[_MADE] = [found for found in made if isinstance(found, ChatInterface)]
    return namespace


_MADE = "\0made"


def _pick(namespace: dict[str, Any], source: str, name: str) -> ChatInterface:
    if name:
        found = namespace.get(name)
        if isinstance(found, Blocks):
            return _inside(found, f"{source}:{name}")
        if isinstance(found, ChatInterface):
            return found
        if found is None and not namespace[_MADE]:
            raise _NoneMadeError(f"{source} has no ChatInterface named {name!r}")
        raise LoadError(f"{source} has no ChatInterface named {name!r}")
    demo = namespace.get("demo")
    if isinstance(demo, ChatInterface):
        return demo
    if isinstance(demo, Blocks):
        return _inside(demo, f"{source}:demo")
    named = {id(v): v for v in namespace.values() if isinstance(v, ChatInterface)}
    if len(named) == 1:
        return next(iter(named.values()))
    if len(named) > 1:
        names = sorted(k for k, v in namespace.items() if isinstance(v, ChatInterface))
        raise LoadError(
            f"{source} has several ChatInterfaces ({', '.join(names)}); "
            f"pick one with {source}:NAME"
        )
    new: list[ChatInterface] = namespace[_MADE]
    if len(new) == 1:
        return new[0]
    if not new:
        raise _NoneMadeError(f"{source} creates no ChatInterface")
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


def _main_block_passes(path: Path, argument: str) -> bool:
    """Whether the file calls ``launch(..., <argument>=...)`` (not None) under
    ``if __name__ == "__main__":``."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        return False
    for block in tree.body:
        if isinstance(block, ast.If) and _is_main_test(block.test):
            for node in ast.walk(block):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "launch"
                    and any(
                        kw.arg == argument
                        and not (isinstance(kw.value, ast.Constant) and kw.value.value is None)
                        for kw in node.keywords
                    )
                ):
                    return True
    return False


def _is_main_test(test: ast.expr) -> bool:
    """``__name__ == "__main__"`` (either way round)."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
        return False
    sides = [test.left, *test.comparators]
    names = [s for s in sides if isinstance(s, ast.Name) and s.id == "__name__"]
    mains = [s for s in sides if isinstance(s, ast.Constant) and s.value == "__main__"]
    return isinstance(test.ops[0], ast.Eq) and len(names) == 1 and len(mains) == 1


def _is_file(source: str) -> bool:
    return source.endswith(".py") or Path(source).is_file()


def _run_as_main(path: Path) -> dict[str, Any]:
    """Runs the app file as ``python app.py`` would (``__name__ == "__main__"``, ``sys.argv``
    only the file), so an interface built under ``if __name__ == "__main__":`` is made."""
    argv = sys.argv
    sys.argv = [str(path)]
    try:
        return runpy.run_path(str(path), run_name="__main__")
    finally:
        sys.argv = argv


def _import(source: str) -> ModuleType:
    path = Path(source)
    if _is_file(source):
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
