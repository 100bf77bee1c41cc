"""Fixtures of the fault tests: a throwaway Redis this test starts and stops (never the machine's),
a second database connection that holds locks and terminates backends, a real worker's settings.

The machine's Redis on 6379 is shared with other developers and CI: a test that needs Redis to
go away starts its own `redis-server` on a free port and stops that one.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
from pathlib import Path

import psycopg
import pytest
import redis as redis_client
from django.db import connection

from tests.conftest import REQUIRE_SERVICES

# Fixtures of other folders used here: the webhook receiver, a small B2B edition; and a polling helper.
from tests.exhibitors.conftest import receiver, wait_until  # noqa: F401
from tests.networking.conftest import edition  # noqa: F401


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ThrowawayRedis:
    """A `redis-server` of this test alone, on a free port, started and stopped at will."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis_client.Redis(port=self.port, socket_connect_timeout=0.5)
        assert wait_until(lambda: self._answers(client), timeout=10, step=0.05), "redis-server did not start"

    def stop(self) -> None:
        """Gone at once, as a crashed Redis is (SIGKILL: no goodbye to its clients)."""
        if self.process is not None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)
            self.process = None

    @staticmethod
    def _answers(client) -> bool:
        try:
            return client.ping()
        except redis_client.RedisError:
            return False


@pytest.fixture
def throwaway_redis(tmp_path):
    if shutil.which("redis-server") is None:
        message = "redis-server is not installed (apt-get install redis-server)"
        if REQUIRE_SERVICES:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    server = ThrowawayRedis(tmp_path)
    server.start()
    yield server
    server.stop()


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def worker_env(*, redis_url: str, mail_dir: Path | None = None, **extra: str) -> dict:
    """The environment of a real `celery worker` on this test's database and broker."""
    env = {"REDIS_URL": redis_url, "DATABASE_URL": database_url(), "WEBHOOKS_ALLOW_PRIVATE_ADDRESSES": "1"}
    if mail_dir is not None:
        env["EMAIL_URL"] = f"file://{mail_dir}"
    return {**env, **extra}


@contextlib.contextmanager
def other_connection():
    """A second PostgreSQL session, in autocommit: holds locks in explicit transactions, sees commits."""
    db = connection.settings_dict
    with psycopg.connect(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"], dbname=db["NAME"],
                         autocommit=True) as conn:  # fmt: skip
        yield conn


def backends_waiting_on(conn, timeout: float = 15) -> list[int]:
    """Wait until some backend is blocked by a lock that `conn` holds; their process ids."""
    found: list[int] = []

    def blocked() -> bool:
        # pg_locks, not pg_stat_activity: statistics views are a snapshot taken once per transaction.
        rows = conn.execute("SELECT DISTINCT pid FROM pg_locks WHERE NOT granted AND %s = ANY(pg_blocking_pids(pid))",
                            [conn.info.backend_pid]).fetchall()  # fmt: skip
        found[:] = [row[0] for row in rows]
        return bool(found)

    assert wait_until(blocked, timeout=timeout, step=0.02), "nothing ever waited on the lock"
    return found


def mails_in(folder: Path) -> list[str]:
    """The emails a worker wrote with EMAIL_URL=file://folder (one file per connection, messages split)."""
    if not folder.exists():
        return []
    messages = []
    for path in sorted(folder.glob("*.log")):
        messages += [part for part in path.read_text().split("-" * 79) if part.strip()]
    return messages


def kill_now(process: subprocess.Popen) -> None:
    """kill -9: the worker gets no chance to clean up, as when a machine dies or the OOM killer strikes."""
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
