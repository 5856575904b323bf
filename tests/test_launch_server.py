"""What ``launch()``'s server arguments do on a real ``backend serve`` (backend/server.py):
https with ``ssl_certfile``/``ssl_keyfile``, ``quiet``, and a certificate that cannot be used."""

from __future__ import annotations

import ssl
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.servers import ROOT, free_port, spawned
from tests.waiting import LIVENESS, wait_until

needs_openssl = pytest.mark.skipif(
    subprocess.run(["which", "openssl"], capture_output=True).returncode != 0,
    reason="needs the openssl command",
)


def certificate(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=LIVENESS,
    )  # fmt: skip
    return cert, key


@needs_openssl
def test_ssl_certfile_and_keyfile_serve_https(tmp_path: Path) -> None:
    cert, key = certificate(tmp_path)
    port = free_port()
    log = tmp_path / "log"
    command = [sys.executable, "-m", "backend", "serve", "--port", str(port),
               "--ssl-certfile", str(cert), "--ssl-keyfile", str(key)]  # fmt: skip
    base = f"https://127.0.0.1:{port}"
    trust = ssl.create_default_context(cafile=str(cert))
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT)
    try:

        def config() -> httpx.Response | None:
            assert process.poll() is None, log.read_text()
            try:
                return httpx.get(base + "/api/config", verify=trust)
            except httpx.HTTPError:
                return None

        response = wait_until(config, lambda: f"no https answer:\n{log.read_text()}")
        assert response.status_code == 200 and response.json()["protocol"] == 1
        assert f'<script src="{base}/widget.js" async></script>' in log.read_text()
        with pytest.raises(httpx.HTTPError):  # plain http is not spoken on that port
            httpx.get(f"http://127.0.0.1:{port}/api/config", timeout=LIVENESS)
    finally:
        process.terminate()
        process.wait(10)


def test_quiet_prints_no_banner(tmp_path: Path) -> None:
    log = tmp_path / "log"
    port = free_port()
    command = [sys.executable, "-m", "backend", "serve", "--port", str(port), "--quiet"]
    with spawned(
        command, log=log, ready_url=f"http://127.0.0.1:{port}/api/config", name="backend serve",
        cwd=ROOT,
    ):  # fmt: skip
        pass
    assert "<script" not in log.read_text()


def test_an_unusable_certificate_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pem"
    bad.write_text("not a certificate")
    result = subprocess.run(
        [sys.executable, "-m", "backend", "serve", "--port", "0",
         "--ssl-certfile", str(bad), "--ssl-keyfile", str(bad)],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2
    assert "backend: error: cannot use the TLS certificate and key" in result.stderr
    half = subprocess.run(
        [sys.executable, "-m", "backend", "serve", "--ssl-certfile", str(bad)],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
    )  # fmt: skip
    assert half.returncode == 2 and "ssl_certfile and ssl_keyfile go together" in half.stderr


def test_mcp_without_the_extra_says_how_to_install_it() -> None:
    hide = "import sys; sys.modules['mcp'] = None; from backend.cli import main; "
    result = subprocess.run(
        [sys.executable, "-c", hide + "sys.exit(main(['serve', '--mcp', '--port', '0']))"],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2
    assert "pip install 'chatbubble[mcp]'" in result.stderr
