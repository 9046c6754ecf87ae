"""Real local servers for the telemetry tests: redis-server and prometheus-pushgateway.

Fixtures imported by tests/integration/conftest.py (integration tests only). Each
server is started once per session on 127.0.0.1 and a free port, and stopped
by PID at the end. When ``CI=true`` a missing program fails the test;
otherwise the test is skipped with the reason.

Fixtures: ``require_program`` (name -> path), ``redis_server``,
``pushgateway_server`` (``.url``, ``.port``, ``.pid``), ``closed_port`` (a port
on 127.0.0.1 that refuses connections), ``silent_port`` (accepts TCP
connections, never answers).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

STARTUP_SECONDS = 20.0


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def find_program(name: str) -> str:
    """The program's path; fails under CI=true, skips otherwise, when it is missing."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (needed for this test)"
        if in_ci():
            pytest.fail(f"{message}; CI=true requires it")
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def require_program() -> Callable[[str], str]:
    return find_program


@dataclass(frozen=True)
class LocalServer:
    pid: int
    port: int
    url: str


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    os.kill(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def _start(
    make_args: Callable[[int], list[str]], ready: Callable[[int], bool], log: Path
) -> tuple[subprocess.Popen[bytes], int]:
    """Start on a free port (three attempts, the port may be taken in between)."""
    for _ in range(3):
        port = free_port()
        with log.open("ab") as out:
            proc = subprocess.Popen(make_args(port), stdout=out, stderr=subprocess.STDOUT)
        limit = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < limit and proc.poll() is None:
            if ready(port):
                return proc, port
            time.sleep(0.05)
        stop(proc)
    pytest.fail(f"{make_args(0)[0]} did not start; see {log}")


def _redis_ready(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _http_ready(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/-/ready", timeout=0.5) as answer:
            return int(answer.status) == 200
    except OSError:
        return False


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalServer]:
    program = find_program("redis-server")
    workdir = tmp_path_factory.mktemp("redis")

    def args(port: int) -> list[str]:
        return [
            program, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
            "--appendonly", "no", "--dir", str(workdir), "--daemonize", "no",
        ]  # fmt: skip

    proc, port = _start(args, _redis_ready, workdir / "redis.log")
    try:
        yield LocalServer(proc.pid, port, f"redis://127.0.0.1:{port}/0")
    finally:
        stop(proc)


def start_pushgateway(log: Path) -> tuple[subprocess.Popen[bytes], int]:
    """A throwaway gateway: in-memory only (Debian's default persistence file is
    ``/var/lib/prometheus/pushgateway.data``, which would load earlier runs' groups)."""
    program = find_program("prometheus-pushgateway")

    def args(port: int) -> list[str]:
        return [program, f"--web.listen-address=127.0.0.1:{port}", "--persistence.file="]

    return _start(args, _http_ready, log)


@pytest.fixture(scope="session")
def pushgateway_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalServer]:
    workdir = tmp_path_factory.mktemp("pushgateway")
    proc, port = start_pushgateway(workdir / "pushgateway.log")
    try:
        yield LocalServer(proc.pid, port, f"http://127.0.0.1:{port}")
    finally:
        stop(proc)


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A port bound (so nobody else takes it) but not listening: connections are refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        yield int(sock.getsockname()[1])


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A listening port that never accepts: connects succeed, requests get no answer."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        yield int(sock.getsockname()[1])
