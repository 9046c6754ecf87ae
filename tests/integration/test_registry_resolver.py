"""A resolver that never answers is bounded by the registry deadline too.

The system resolver is pointed at a silent DNS server on 127.77.0.1:53 (a UDP
socket that reads nothing) in a private mount namespace (``unshare --mount``
with ``/etc/resolv.conf`` bind-mounted), so the real ``getaddrinfo`` stalls as
it does behind a dead DNS server. Needs root and ``unshare``: required in CI.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.test_registry_deadline import DEADLINE, MARGIN

SCRIPT = r"""
import socket, sys, threading, time
from drift.errors import RegistryUnavailable
from drift.sources.http import RegistryClient, Timeouts

silent = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
silent.bind(("127.77.0.1", 53))

# the control: the plain resolver really stalls here
done = threading.Event()
threading.Thread(
    target=lambda: (socket.getaddrinfo("control.example.test", 80), done.set()), daemon=True
).start()
print("control-stalled" if not done.wait(2.0) else "control-answered")

client = RegistryClient(
    "http://registry.example.test:8080",
    timeout=Timeouts(connect=5.0, read=10.0), retries=3, backoff=0.0, deadline=DEADLINE,
)
started = time.monotonic()
try:
    client.index()
    print("answered")
except RegistryUnavailable as exc:
    print(f"unavailable {time.monotonic() - started:.3f}")
    print(exc)
"""


def _namespace_ok() -> bool:
    return os.geteuid() == 0 and shutil.which("unshare") is not None


@pytest.mark.skipif(
    not _namespace_ok() and os.environ.get("CI") != "true",
    reason="needs root and unshare (required when CI=true)",
)
def test_a_silent_dns_server_is_bounded_by_the_deadline(tmp_path: Path) -> None:
    resolv = tmp_path / "resolv.conf"
    resolv.write_text("nameserver 127.77.0.1\noptions timeout:4 attempts:2\n")
    script = SCRIPT.replace("DEADLINE", repr(DEADLINE))
    run = subprocess.run(
        [
            "unshare", "--mount", "sh", "-c",
            'mount --bind "$0" /etc/resolv.conf && exec "$1" -c "$2"',
            str(resolv), sys.executable, script,
        ],
        capture_output=True, text=True, timeout=60,
        cwd=Path(__file__).resolve().parents[2],
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == "control-stalled", run.stdout
    assert lines[1].startswith("unavailable "), run.stdout + run.stderr
    elapsed = float(lines[1].split()[1])
    assert elapsed < DEADLINE + MARGIN, f"{elapsed:.2f}s"
    assert "registry.example.test" in run.stdout
