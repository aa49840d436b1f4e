"""The real process, as `make run` starts it: migrate, serve, answer ready."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

SCRIPT = Path(sys.executable).parent / "wizamart"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_answers_ready_after_upgrade(tmp_path: Path, empty_database_url: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WIZAMART_", "CORE_"))}
    env |= {"WIZAMART_DATABASE_URL": empty_database_url, "WIZAMART_LOG_FORMAT": "json"}
    upgrade = subprocess.run(
        [str(SCRIPT), "db", "upgrade"], cwd=tmp_path, env=env, capture_output=True, text=True, check=False
    )
    assert upgrade.returncode == 0, upgrade.stderr
    port = free_port()
    server = subprocess.Popen(
        [str(SCRIPT), "serve", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        response = None
        while time.monotonic() < deadline:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/health/ready", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        assert response is not None, "server did not start"
        assert response.status_code == 200, response.text
        assert response.headers["x-request-id"]
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=15)
    assert '"event": "request"' in output and '"path": "/health/ready"' in output  # JSON access log
