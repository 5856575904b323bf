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
    assert set(backend.__all__) - {"__version__"} == public - modules


def test_every_setting_is_in_the_readme_table() -> None:
    readme = (ROOT / "README.md").read_text()
    for field in Settings.fields():
        flag = "--" + field.name.replace("_", "-")
        assert re.search(rf"^\| `{field.name}` .*`{flag}`", readme, re.M), field.name


def test_every_error_code_is_in_the_contract() -> None:
    from backend import errors

    contract = (ROOT / "ARCHITECTURE.md").read_text()
    for value in vars(errors).values():
        if isinstance(value, type) and issubclass(value, errors.ChatbubbleError):
            if value is not errors.RequestError:
                assert f"`{value.code}`" in contract, value.__name__
