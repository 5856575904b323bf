from __future__ import annotations

from pathlib import Path

import pytest

from backend import ChatInterface
from backend.loader import LoadError, load_interface

APPS = Path(__file__).parent / "apps"


def write(tmp_path: Path, source: str, name: str = "app.py") -> str:
    path = tmp_path / name
    path.write_text(source)
    return str(path)


def test_finds_demo_in_the_guides_example() -> None:
    interface = load_interface(str(APPS / "slow_sync.py"))
    assert getattr(interface.fn, "__name__", "") == "slow_echo"


def test_inline_launch_registers_instead_of_serving() -> None:
    # slow_async.py calls .launch() at import time, as the guide's one-liners do
    interface = load_interface(str(APPS / "slow_async.py"))
    assert isinstance(interface, ChatInterface)


def test_only_one_interface_under_any_name(tmp_path: Path) -> None:
    path = write(tmp_path, "import backend as gr\nbot = gr.ChatInterface(lambda m, h: m)\n")
    assert isinstance(load_interface(path), ChatInterface)


def test_several_need_a_name(tmp_path: Path) -> None:
    source = (
        "import backend as gr\n"
        "a = gr.ChatInterface(lambda m, h: 'a', title='A')\n"
        "b = gr.ChatInterface(lambda m, h: 'b', title='B')\n"
    )
    path = write(tmp_path, source)
    with pytest.raises(LoadError, match="several ChatInterfaces \\(a, b\\)"):
        load_interface(path)
    assert load_interface(path + ":b").title == "B"
    with pytest.raises(LoadError, match="no ChatInterface named 'c'"):
        load_interface(path + ":c")


def test_missing_things_are_clear(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="no such file"):
        load_interface(str(tmp_path / "nope.py"))
    with pytest.raises(LoadError, match="no such file or module"):
        load_interface("no_such_module_here")
    with pytest.raises(LoadError, match="creates no ChatInterface"):
        load_interface(write(tmp_path, "x = 1\n", "empty.py"))


def test_module_path_with_name() -> None:
    assert load_interface("backend.demo:demo").title == "chatbubble demo"


MAIN_ONLY = """\
import argparse
import sys

import backend as gr

ran = []


def main():
    args = argparse.ArgumentParser().parse_args()  # only the file in sys.argv
    ran.append(sys.argv)
    with gr.Blocks(theme=gr.themes.Soft()) as demo:
        gr.ChatInterface(lambda m, h: m, title="Built in main")
    demo.launch(server_port=9)


if __name__ == "__main__":
    main()
"""


def test_an_interface_built_under_main_is_found(tmp_path: Path) -> None:
    path = write(tmp_path, MAIN_ONLY)
    interface = load_interface(path)
    assert interface.title == "Built in main"
    named = write(tmp_path, MAIN_ONLY.replace("    main()", "    bot = gr.ChatInterface(str)"))
    assert load_interface(named + ":bot").fn is str


def test_main_runs_only_when_the_import_made_nothing(tmp_path: Path) -> None:
    source = (
        "import backend as gr\n"
        "bot = gr.ChatInterface(lambda m, h: m, title='imported')\n"
        "if __name__ == '__main__':\n"
        "    raise SystemExit('not run')\n"
    )
    assert load_interface(write(tmp_path, source)).title == "imported"
    with pytest.raises(LoadError, match="creates no ChatInterface"):
        load_interface(write(tmp_path, "if __name__ == '__main__':\n    x = 1\n", "none.py"))


def test_a_login_only_under_main_is_not_served_without_it(tmp_path: Path) -> None:
    source = (
        "import backend as gr\n"
        "demo = gr.ChatInterface(lambda m, h: m)\n"
        'if "__main__" == __name__:\n'
        "    demo.launch(server_port=8000, auth=('ann', 'secret'))\n"
    )
    path = write(tmp_path, source)
    with pytest.raises(LoadError, match=r"only under `if __name__ == \"__main__\":`.*--auth"):
        load_interface(path)
    # With a login from the command line, it is served (with that login).
    assert load_interface(path, login_given=True).fn("hi", []) == "hi"
    # A login at module level, or none anywhere, is served as it is.
    outside = source.replace('if "__main__" == __name__:\n    ', "")
    assert load_interface(write(tmp_path, outside, "outside.py")).accounts.required
    plain = source.replace(", auth=('ann', 'secret')", "")
    assert not load_interface(write(tmp_path, plain, "plain.py")).accounts.required


def test_a_login_only_under_main_is_found_in_a_module_target_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "privatebot"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "app.py").write_text(
        "import backend as gr\n"
        "demo = gr.ChatInterface(lambda m, h: m)\n"
        "if __name__ == '__main__':\n"
        "    demo.launch(auth=[('ann', 'secret')])\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(LoadError, match="only under"):
        load_interface("privatebot.app")
    assert load_interface("privatebot.app", login_given=True).fn("hi", []) == "hi"


def test_translations_given_only_under_main_reach_the_chat(tmp_path: Path) -> None:
    source = (
        "import backend as gr\n"
        "i18n = gr.I18n(en={'title': 'Support'}, fr={'title': 'Assistance'})\n"
        "demo = gr.ChatInterface(lambda m, h: m, title=i18n('title'))\n"
        "if __name__ == '__main__':\n"
        "    demo.launch(i18n=i18n)\n"
    )
    interface = load_interface(write(tmp_path, source))
    assert interface.i18n is not None and interface.i18n.translations_dict["fr"] == {
        "title": "Assistance"
    }
    # given at module level (or none at all): imported once, as it is
    outside = source.replace("if __name__ == '__main__':\n    ", "")
    assert load_interface(write(tmp_path, outside, "outside.py")).i18n is not None
    plain = source.replace("i18n=i18n", "i18n=None")
    assert load_interface(write(tmp_path, plain, "plain.py")).i18n is None
