from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from backend import Settings
from backend.cli import build_parser, main
from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parent.parent


def test_help_documents_every_setting(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    for field in Settings.fields():
        assert "--" + field.name.replace("_", "-") in out
        assert f"CHATBUBBLE_{field.name.upper()}" in out
        assert " ".join(str(field.metadata["help"]).split())[:30] in out


def test_only_passed_flags_override() -> None:
    args = vars(
        build_parser().parse_args(["serve", "app.py", "--port", "9001", "--no-compress-streams"])
    )
    assert args["port"] == "9001" and args["compress_streams"] is False
    assert "host" not in args  # not passed: the file or environment decides


def test_mcp_is_short_for_mcp_server() -> None:
    assert vars(build_parser().parse_args(["serve", "--mcp"]))["mcp_server"] is True
    assert vars(build_parser().parse_args(["serve", "--no-mcp-server"]))["mcp_server"] is False


def test_bad_setting_and_bad_target_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["serve", "--port", "eighty"]) == 2
    assert "port must be a int" in capsys.readouterr().err
    assert main(["serve", str(tmp_path / "missing.py")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_port_in_use_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 2
    assert f"cannot listen on 127.0.0.1:{port}" in capsys.readouterr().err


def test_python_dash_m_and_console_script_print_the_script_tag() -> None:
    for command in (
        [sys.executable, "-m", "backend"],
        [str(Path(sys.executable).parent / "backend")],
    ):
        result = subprocess.run(
            [*command, "--version"],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=60,
        )
        assert result.returncode == 0 and result.stdout.startswith("chatbubble ")


def test_demo_launch_serves_and_prints_the_tag(tmp_path: Path) -> None:
    import urllib.request

    from tests.servers import free_port

    port = free_port()
    env = {**os.environ, "CHATBUBBLE_PORT": str(port), "PROBE_FILE": str(tmp_path / "p")}
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "apps" / "slow_sync.py")],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(5)]
        tag = f'<script src="http://127.0.0.1:{port}/widget.js" async></script>'
        assert any(tag in line for line in lines), lines

        def config() -> dict[str, object] | None:
            assert process.poll() is None, "the demo exited"
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/config") as response:
                    loaded: dict[str, object] = json.load(response)
                    return loaded
            except OSError:
                return None

        assert wait_until(config, "the demo did not answer")["protocol"] == 1
    finally:
        process.terminate()
        process.wait(10)
        if process.stdout:
            process.stdout.close()
