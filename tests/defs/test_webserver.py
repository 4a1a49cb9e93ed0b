"""The Dagster UI's server starts on loopback and its GraphQL API lists the assets and their checks."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.conftest import PROJECT_ROOT

STARTUP_SECONDS = 180
QUERY = """
{
  assetNodes {
    assetKey { path }
    isPartitioned
    assetChecksOrError { ... on AssetChecks { checks { name } } }
  }
}
"""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def post(url: str, query: str) -> dict:
    request = urllib.request.Request(url, data=json.dumps({"query": query}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def wait_until_up(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        assert server.poll() is None, f"the webserver exited with {server.returncode}"
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(1)
    raise AssertionError(f"the webserver did not answer within {STARTUP_SECONDS} s")


def test_webserver_lists_assets_and_checks(tmp_path: Path) -> None:
    home = tmp_path / "dagster_home"
    home.mkdir()
    port = free_port()
    webserver = Path(sys.executable).with_name("dagster-webserver")
    log = open(tmp_path / "webserver.log", "w+b")  # closed in finally
    server = subprocess.Popen(
        [str(webserver), "-m", "pipeline.definitions", "-h", "127.0.0.1", "-p", str(port)],
        cwd=PROJECT_ROOT, env={**os.environ, "DAGSTER_HOME": str(home)}, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True)  # its own process group: the code server it starts goes down with it
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(f"{base}/server_info", server)
        nodes = post(f"{base}/graphql", QUERY)["data"]["assetNodes"]
    finally:
        try:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=30)
        except ProcessLookupError:
            pass
        log.seek(0)
        output = log.read().decode(errors="replace")
        log.close()

    assets = {"/".join(node["assetKey"]["path"]): node for node in nodes}
    assert set(assets) == {"file_extractions", "documents", "actors",
                           "actor_mentions", "events", "event_actors", "event_reports", "forecasts",
                           "refused_figures", "observations", "document_texts", "quarantine", "coverage", "removed",
                           "curation_log", "id_redirects", "release"}, output[-2000:]
    assert [name for name, node in assets.items() if node["isPartitioned"]] == ["file_extractions"]
    checks = {name: {check["name"] for check in node["assetChecksOrError"].get("checks", [])}
              for name, node in assets.items()}
    assert {"events_matches_schema", "events_keys_unique"} <= checks["events"]
    assert "offsets_slice_body" in checks["actor_mentions"]
    assert "references_resolve" in checks["forecasts"]
    assert checks["release"] == {"checksums_match"}
