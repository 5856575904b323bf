"""``backend serve [APP]``: one flag per setting, no logic of its own."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from .loader import LoadError, load_interface, model_interface
from .server import ServeError, serve
from .settings import Settings, SettingsError
from .version import __version__

DESCRIPTION = """\
Serve a chat function to a chat bubble on any website.

APP is a Python file or module holding a ChatInterface: app.py, app.py:name, package.module or
package.module:name. Without a name, the variable `demo` is used, else the only ChatInterface.
Without APP, a built-in demo bot and the demo site are served; with --model (and
--openai-base-url), a chat with that model of an OpenAI-compatible server (load_chat).

Settings come from, lowest first: defaults, a TOML file (--config or $CHATBUBBLE_CONFIG),
CHATBUBBLE_<NAME> environment variables, then these flags.
"""


#: The filters of ``backend export`` (as the console's list takes them).
FILTERS = ("q", "since", "until", "rating", "flag", "user", "page_url")
FORMATS = ("csv", "jsonl")

#: Shorter spellings of a few flags.
ALIASES = {"mcp_server": ("--mcp",)}


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="backend", description="chatbubble backend")
    parser.add_argument("--version", action="version", version=f"chatbubble {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    serve_parser = commands.add_parser(
        "serve",
        help="serve a chat app (or the built-in demo)",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    serve_parser.add_argument("app", nargs="?", metavar="APP", help="the app to serve")
    serve_parser.add_argument(
        "--config",
        metavar="FILE",
        help="TOML file with settings (keys as below, snake_case)",
    )
    for field in Settings.fields():
        help_text = f"{field.metadata['help']} [env CHATBUBBLE_{field.name.upper()}; "
        default = field.default
        shown = ",".join(default) if isinstance(default, tuple) else default
        help_text += f"default: {shown!s}]" if shown != "" else "default: none]"
        kwargs: dict[str, Any] = {
            "dest": field.name,
            "default": argparse.SUPPRESS,
            "help": help_text,
        }
        if isinstance(default, bool):
            kwargs["action"] = argparse.BooleanOptionalAction
        else:
            kwargs["metavar"] = field.name.upper()
        serve_parser.add_argument(_flag(field.name), *ALIASES.get(field.name, ()), **kwargs)
    _export_parser(commands)
    return parser


def _export_parser(commands: Any) -> None:
    export = commands.add_parser(
        "export",
        help="export conversations and feedback from the conversation store",
        description="Write the conversations that match the filters (as the console at /admin "
        "filters them) as CSV (a row per message and per feedback) or JSONL (a conversation "
        "per line).",
    )
    export.add_argument("--format", choices=FORMATS, default="csv", help="default: csv")
    export.add_argument("--out", metavar="FILE", help="write here (default: stdout)")
    export.add_argument(
        "--database-url",
        default=None,
        help="the store (default: $CHATBUBBLE_DATABASE_URL, else the SQLite file in "
        "--flagging-dir)",
    )
    export.add_argument(
        "--flagging-dir",
        default=".gradio/flagged",
        help="the app's flagging_dir, where the default SQLite store is (default: %(default)s)",
    )
    for name, text in (
        ("q", "words in a message or feedback comment"),
        ("since", "first day, YYYY-MM-DD (UTC)"),
        ("until", "last day, YYYY-MM-DD (UTC), included"),
        ("rating", "up, down, flag or none"),
        ("flag", "a flag option, e.g. Spam"),
        ("user", "the signed-in user"),
        ("page_url", "part of the page URL"),
    ):
        export.add_argument(_flag(name), dest=name, default="", help=text)


def _export(args: dict[str, Any]) -> int:
    import asyncio
    import os
    from pathlib import Path

    from .errors import ChatbubbleError
    from .http.admin.export_run import run_export
    from .http.admin.filters import Query

    try:
        query = Query.read({k: args[k] for k in FILTERS})
        url = args["database_url"]
        if url is None:
            url = os.environ.get("CHATBUBBLE_DATABASE_URL", "")
        out = Path(args["out"]) if args["out"] else None
        count = asyncio.run(
            run_export(url, Path(args["flagging_dir"]), query, args["format"], out)
        )
    except ChatbubbleError as error:
        print(f"backend export: error: {error.message}", file=sys.stderr)
        return 2
    print(f"backend export: {count} conversation(s)", file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = vars(build_parser().parse_args(argv))
    if args.pop("command") == "export":
        return _export(args)
    target = args.pop("app")
    config_file = args.pop("config")
    try:
        settings = Settings.load(args, config_file=config_file)
    except SettingsError as error:
        print(f"backend: error: {error}", file=sys.stderr)
        return 2
    try:
        if settings.model and target is not None:
            raise LoadError("give either APP or --model, not both")
        if "openai_base_url" in args and not settings.model:
            raise LoadError("--openai-base-url needs --model")
        if settings.model:
            serve(model_interface(settings), settings)
        elif target is None:
            from .demo import demo, site_dir

            serve(demo, settings, site_dir=site_dir())
        else:
            serve(load_interface(target, login_given=bool(settings.auth)), settings)
    except (LoadError, ServeError) as error:
        print(f"backend: error: {error}", file=sys.stderr)
        return 2
    return 0
