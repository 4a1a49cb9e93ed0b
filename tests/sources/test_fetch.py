"""`pipeline fetch` against a real HTTP server on loopback: feeds and their items, politeness, limits."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.fetch.client import Limits, _public
from pipeline.fetch.run import feed_urls, fetch_urls
from pipeline.sources.ingest import ingest
from tests.sources.server import BIG_BYTES, FEED_ETAG, serve

LIMITS = Limits(timeout=1.0, max_bytes=BIG_BYTES // 2, max_redirects=5, allow_private=True)


@pytest.fixture()
def site():
    with serve() as running:
        yield running


def files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()
                  and not p.relative_to(folder).as_posix().startswith(".fetch"))


def test_a_feed_and_its_items_are_fetched_once_and_robots_txt_is_respected(site, tmp_path: Path) -> None:
    (tmp_path / "feeds.yaml").write_text(f"feeds:\n  - {site.url('/feed.xml')}\n", encoding="utf-8")
    lines: list[str] = []
    first = fetch_urls(tmp_path, [], LIMITS, interval=0.0, say=lines.append)
    assert len(first.saved) == 3  # the feed's kept copy and the pages of its two allowed items
    pages = [p for p in files(tmp_path) if p.startswith("fetched/")]
    assert len(pages) == 2 and all(p.startswith("fetched/127.0.0.1-") and p.endswith(".html") for p in pages)
    assert any("2025-06-05-fab" in p for p in pages)  # named from the URL
    assert site.requests["/private/memo"] == 0
    assert [line for line in lines if "/private/memo" in line] == [
        f"failed: {site.url('/private/memo')}: robots.txt forbids this URL"]

    second = fetch_urls(tmp_path, [], LIMITS, interval=0.0, say=lines.append)
    assert second.saved == []  # nothing new
    assert site.conditional == [("/feed.xml", None), ("/feed.xml", FEED_ETAG)]  # the second costs one 304
    assert site.requests["/news/tools"] == 1 and site.requests["/news/2025/06/05/fab"] == 1

    log = [json.loads(line) for line in (tmp_path / ".fetch" / "fetch_log.jsonl").read_text().splitlines()]
    assert [entry["outcome"] for entry in log].count("saved") == 3
    assert {"not_modified", "failed"} <= {entry["outcome"] for entry in log}

    result = ingest(tmp_path)  # the fetched pages are sources; feeds.yaml and .fetch/ are not
    assert sorted(d.format for d in result.documents) == ["html", "html"]
    assert all(d.published_date and d.published_source == "format_metadata" for d in result.documents)
    assert result.problems == ()


def test_a_page_naming_no_url_is_dated_by_the_url_it_was_fetched_from(site, tmp_path: Path) -> None:
    url = site.url("/2025/07/14/plain")
    assert fetch_urls(tmp_path, [url], LIMITS, interval=0.0, say=lambda line: None).saved
    [document] = ingest(tmp_path).documents
    assert (document.url, document.published_date, document.published_source) == (
        url, dt.date(2025, 7, 14), "url_path")


def test_an_item_link_relative_to_its_feed_is_fetched(site, tmp_path: Path) -> None:
    outcome = fetch_urls(tmp_path, [site.url("/relative.xml")], LIMITS, interval=0.0, say=lambda line: None)
    assert outcome.failed == [] and site.requests["/news/tools"] == 1


@pytest.mark.parametrize(("path", "reason"), [
    ("/slow", "no answer within 1.0 s"),
    ("/drip", "no answer within 1.0 s"),  # headers trickling in keep each read, not the request, short
    ("/big", f"over the size cap of {BIG_BYTES // 2}"),
    ("/loop-a", "a redirect loop"),
    ("/archive.zip", "content type 'application/zip' is not a page, feed or PDF"),
    ("/missing", "HTTP 404"),
    ("/always-304", "HTTP 304 (not modified) without a kept copy of it"),
])
def test_each_failure_is_one_line_and_the_other_urls_are_fetched(site, tmp_path: Path, path: str,
                                                                   reason: str) -> None:
    lines: list[str] = []
    outcome = fetch_urls(tmp_path, [site.url(path), site.url("/news/tools")], LIMITS, interval=0.0,
                         say=lines.append)
    assert len(outcome.failed) == 1 and outcome.failed[0].startswith(f"{site.url(path)}: ")
    assert reason in outcome.failed[0], outcome.failed
    assert lines == [f"failed: {outcome.failed[0]}"]
    assert len(outcome.saved) == 1


def test_loopback_and_other_schemes_are_refused_by_default(site, tmp_path: Path) -> None:
    outcome = fetch_urls(tmp_path, [site.url("/news/tools"), "file:///etc/passwd", "ftp://example.org/a"],
                         Limits(timeout=1.0), interval=0.0, say=lambda line: None)
    assert outcome.saved == []
    assert "private, loopback or reserved address" in outcome.failed[0]
    assert "only http and https" in outcome.failed[1] and "only http and https" in outcome.failed[2]
    assert site.requests["/news/tools"] == 0


def test_the_fetch_command(site, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    code = main(["fetch", "--sources", str(tmp_path), "--allow-private", "--interval", "0",
                 site.url("/news/2025/06/05/fab"), site.url("/missing")])
    captured = capsys.readouterr()
    assert code == 1  # one URL failed
    assert captured.out.strip() == f"fetched into {tmp_path}: 1 new or changed file(s), 0 unchanged, 1 failed"
    assert captured.err.strip() == f"failed: {site.url('/missing')}: HTTP 404"


def test_the_schedule_fetches_the_feeds_and_the_sensor_finds_the_new_files(site, tmp_path: Path) -> None:
    import dagster as dg

    from pipeline.definitions import build_definitions
    from pipeline.defs.fetching import SCHEDULE_NAME, fetch_feeds_job
    from pipeline.defs.resources import ReleaseSettings
    from pipeline.defs.sensors import folder_changes

    settings = ReleaseSettings(sources_dir=str(tmp_path), output_dir=str(tmp_path / "out"), fetch_allow_private=True)
    definitions = build_definitions(settings)
    assert definitions.resolve_schedule_def(SCHEDULE_NAME).job_name == fetch_feeds_job.name
    (tmp_path / "feeds.yaml").write_text(f"- {site.url('/feed.xml')}\n", encoding="utf-8")
    with dg.instance_for_test() as instance:
        assert definitions.resolve_job_def(fetch_feeds_job.name).execute_in_process(instance=instance).success
        result, found = folder_changes(instance, None, tmp_path)
    assert found == "2 new or changed file(s), 0 removed"
    assert sorted(result.run_requests[0].tags.values()) == sorted(p for p in files(tmp_path) if p != "feeds.yaml")


def _self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 that no authority signed, and its key."""
    x509 = pytest.importorskip("cryptography.x509")
    import datetime as dt
    import ipaddress

    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(x509.oid.NameOID.COMMON_NAME, "127.0.0.1")])
    start = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(1).not_valid_before(start).not_valid_after(start.replace(year=2090))
                   .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                                  critical=False)
                   .sign(key, hashes.SHA256()))
    cert, key_file = folder / "cert.pem", folder / "key.pem"
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert, key_file


def test_https_checks_the_address_before_tls_and_verifies_the_certificate(tmp_path: Path) -> None:
    import ssl
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    cert, key = _self_signed(tmp_path)
    server = ThreadingHTTPServer(("127.0.0.1", 0), SimpleHTTPRequestHandler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"https://127.0.0.1:{server.server_address[1]}/page.html"
    try:
        refused = fetch_urls(tmp_path / "a", [url], Limits(timeout=2.0), interval=0.0, say=lambda line: None)
        unverified = fetch_urls(tmp_path / "b", [url], LIMITS, interval=0.0, say=lambda line: None)
    finally:
        server.shutdown()
        server.server_close()
    assert "private, loopback or reserved address" in refused.failed[0]
    # robots.txt is asked first: its TLS failure forbids the host, naming the certificate
    assert "CERTIFICATE_VERIFY_FAILED" in unverified.failed[0], unverified.failed


@pytest.mark.parametrize(("address", "public"), [
    ("8.8.8.8", True), ("2606:4700::1111", True), ("64:ff9b::808:808", True),
    ("127.0.0.1", False), ("10.1.2.3", False), ("::1", False), ("::ffff:10.0.0.1", False),
    # IPv6 forms that carry a private IPv4 address to where it leads: NAT64, IPv4-compatible, 6to4
    ("64:ff9b::7f00:1", False), ("64:ff9b::a9fe:a9fe", False), ("::7f00:1", False), ("2002:7f00:1::1", False),
])
def test_an_address_is_public_only_if_where_it_leads_is(address: str, public: bool) -> None:
    assert _public(address) is public


def test_a_feeds_file_that_is_no_yaml_is_one_line_naming_it(tmp_path: Path) -> None:
    (tmp_path / "feeds.yaml").write_text("feeds:\n  - http://a.example/feed\n - [\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"feeds\.yaml:3: not a valid YAML list of feed URLs"):
        feed_urls(tmp_path)


def test_a_url_and_its_fragments_are_one_file(site, tmp_path: Path) -> None:
    url = site.url("/news/tools")
    outcome = fetch_urls(tmp_path, [url, url + "#comments", url + "#top"], LIMITS, interval=0.0, say=lambda line: None)
    assert len(outcome.saved) == 1 and len(outcome.unchanged) == 2  # asked again, the same file
    assert len([p for p in files(tmp_path) if p.startswith("fetched/")]) == 1
