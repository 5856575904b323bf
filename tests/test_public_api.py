from __future__ import annotations

import re
from pathlib import Path

import backend
from backend import Settings

ROOT = Path(__file__).resolve().parent.parent


def test_all_is_sorted_and_complete() -> None:
    public = {name for name in vars(backend) if not name.startswith("_")} - {"annotations"}
    modules = {name for name, value in vars(backend).items() if type(value).__name__ == "module"}
    assert backend.__all__ == sorted(backend.__all__)
    # gr.themes is the one module of the API (Gradio's namespace of theme classes).
    assert set(backend.__all__) - {"__version__"} == public - modules | {"themes"}


# `import backend as gr` is the product's API: moving modules between subpackages must not add,
# drop or rename any of these names.
PUBLIC_NAMES = [
    "Accordion", "Audio", "Blocks", "Button", "ChatInterface", "ChatMessage", "Chatbot",
    "Checkbox", "CheckboxGroup", "ClearButton", "Client", "ClientError", "Code", "Column",
    "Dropdown", "Error", "File", "Gallery", "Group", "HTML", "I18n", "Image", "JSON", "LikeData",
    "LoginButton", "Markdown", "MultimodalTextbox", "Number", "OAuthProfile", "OAuthToken",
    "Plot", "Radio", "Request", "Row", "Settings", "Slider", "State", "Textbox", "Theme", "Video",
    "__version__", "create_app", "load_chat", "on", "themes", "update", "validate",
]  # fmt: skip


def test_all_is_unchanged() -> None:
    assert backend.__all__ == PUBLIC_NAMES
    for name in PUBLIC_NAMES:
        assert getattr(backend, name) is not None, name


def test_every_setting_is_in_the_readme_table() -> None:
    readme = (ROOT / "README.md").read_text()
    for field in Settings.fields():
        flag = "--" + field.name.replace("_", "-")
        assert re.search(rf"^\| `{field.name}` .*`{flag}`", readme, re.M), field.name


def test_every_error_code_is_in_the_contract() -> None:
    from backend import errors

    contract = (ROOT / "docs" / "protocol.md").read_text()
    for value in vars(errors).values():
        if isinstance(value, type) and issubclass(value, errors.ChatbubbleError):
            if value is not errors.RequestError:
                assert f"`{value.code}`" in contract, value.__name__


def test_an_app_without_a_store_or_identity_keys_never_loads_them(tmp_path: Path) -> None:
    """SQLAlchemy (the store) and PyJWT with cryptography (identity tokens) are loaded when an
    app first needs them: a server without them stays small (idle RSS, benchmarks/)."""
    import subprocess
    import sys

    probe = (
        "import sys, backend\n"
        "from backend.http.app import create_app\n"
        "from backend.settings import Settings\n"
        "create_app(backend.ChatInterface(lambda m, h: m), Settings())\n"
        "print(sorted(m for m in ('sqlalchemy', 'jwt', 'cryptography') if m in sys.modules))\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=tmp_path
    ).stdout.strip()
    assert found == "[]"
