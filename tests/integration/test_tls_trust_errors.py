"""A CA bundle that cannot be loaded (SSL_CERT_FILE) is a configuration error naming the
variable and the file, exit 2, on both HTTP paths (the standard library's first GET and
httpx's, taken when a proxy is set), never a bare ``[Errno 2]`` or a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

URL = "https://127.0.0.1:1"  # never reached: the trust store is loaded before connecting


def drift(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    environ.pop("SSL_CERT_DIR", None)
    return subprocess.run(
        [sys.executable, "-m", "drift", *args, "--registry-url", URL],
        cwd=cwd,
        env={**environ, "DRIFT_CACHE_DIR": str(cwd / "cache"), **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("command", ["check-drift", "fetch-schemas"])
@pytest.mark.parametrize(
    "proxy", [{}, {"HTTPS_PROXY": "http://127.0.0.1:9"}], ids=["direct", "proxy"]
)
@pytest.mark.parametrize("bundle", ["missing.pem", "not-a-bundle.pem"])
def test_a_bad_ssl_cert_file_is_named_exit_2(
    tmp_path: Path, command: str, proxy: dict[str, str], bundle: str
) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.drift]\nrepo = "svc"\n', encoding="utf-8")
    (tmp_path / "not-a-bundle.pem").write_text("no certificate here\n", encoding="utf-8")
    path = tmp_path / bundle
    run = drift(tmp_path, command, SSL_CERT_FILE=str(path), **proxy)
    assert run.returncode == 2, run.stderr
    assert f"SSL_CERT_FILE={path}: cannot load the CA certificates" in run.stderr
    assert "Traceback" not in run.stderr
