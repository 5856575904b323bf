"""A real PostgreSQL for the store's tests: Debian's ``postgresql`` binaries, a cluster made by
``initdb`` in a fresh temp dir, listening on a free 127.0.0.1 port and a socket in that dir; no
system service. Started once per test session (``postgres`` fixture in tests/conftest.py); each
test gets its own database (``PostgresServer.new_database``).

PostgreSQL refuses to run as root: under root (CI) the cluster belongs to the ``postgres`` user
the Debian package creates."""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.servers import free_port
from tests.waiting import wait_until


def _newest_bin() -> Path:
    """Debian's binaries of the newest PostgreSQL installed (15 on bookworm, 17 on trixie)."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0,
    )
    return found[-1] if found else Path("/usr/lib/postgresql/missing/bin")


BIN = _newest_bin()
USER = "chatbubble"
PASSWORD = "s3cret-Pg-pass"


def available() -> bool:
    return all((BIN / name).exists() for name in ("initdb", "pg_ctl", "postgres", "psql"))


class PostgresServer:
    def __init__(self) -> None:
        # Not under pytest's base temp: that dir is root's and closed to the postgres user.
        self.directory = Path(tempfile.mkdtemp(prefix="chatbubble-pg-", dir="/tmp"))
        self.port = free_port()
        self.data = self.directory / "data"
        self.log = self.directory / "postgres.log"
        self._as: dict[str, int] = {}
        if os.getuid() == 0:
            account = pwd.getpwnam("postgres")
            os.chown(self.directory, account.pw_uid, account.pw_gid)
            self._as = {"user": account.pw_uid, "group": account.pw_gid}
        secret = self.directory / "password"
        secret.write_text(PASSWORD)
        if self._as:
            os.chown(secret, self._as["user"], self._as["group"])
        self._run(
            str(BIN / "initdb"), "-D", str(self.data), "-U", USER, "--pwfile", str(secret),
            "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--no-sync",
        )  # fmt: skip
        self._run(
            str(BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w", "start",
            "-o", f"-h 127.0.0.1 -p {self.port} -k {self.directory} -c fsync=on "
            "-c max_connections=200",
        )  # fmt: skip
        self._names = itertools.count()
        wait_until(lambda: self.psql("SELECT 1").strip() == "1", self._failure)

    def _failure(self) -> str:
        return f"PostgreSQL did not start:\n{self.log.read_text() if self.log.exists() else ''}"

    def _run(self, *command: str) -> str:
        done = subprocess.run(
            command, capture_output=True, text=True, cwd=self.directory, **self._as
        )  # type: ignore[call-overload]
        if done.returncode != 0:
            raise RuntimeError(f"{command[0]} failed: {done.stdout}{done.stderr}")
        return str(done.stdout)

    def psql(self, sql: str, database: str = "postgres") -> str:
        return self._run(
            str(BIN / "psql"), "-h", str(self.directory), "-p", str(self.port), "-U", USER,
            "-d", database, "-At", "-c", sql,
        )  # fmt: skip

    def new_database(self) -> str:
        """A fresh empty database; its URL (with the password, over TCP)."""
        name = f"test_{next(self._names)}"
        self.psql(f"CREATE DATABASE {name}")
        return f"postgresql://{USER}:{PASSWORD}@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        try:
            self._run(str(BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.directory, ignore_errors=True)
