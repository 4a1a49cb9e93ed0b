"""One safe HTTP GET: http(s) only, no private addresses, bounded time, size and redirects.

Built on http.client rather than urllib so that every limit is enforced here: the address checked is the
one the socket actually connected to (a name that resolves to a public address at first and a private one
later gains nothing), redirects are followed by hand and each hop is checked again, the body is read in
chunks up to the cap and within a deadline (a server that drips bytes cannot hold a fetch forever).
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

USER_AGENT = "chipgeo-fetch/1.0 (+https://github.com/chipgeo; polite: robots.txt, rate-limited)"
CHUNK = 64 * 1024
REDIRECTS = (301, 302, 303, 307, 308)


class FetchError(Exception):
    """Why a URL could not be fetched, in words for a one-line message."""


@dataclass(frozen=True)
class Limits:
    timeout: float = 15.0  # seconds for connecting, for each read, and for the whole body
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    allow_private: bool = False


@dataclass(frozen=True)
class Response:
    url: str  # after redirects
    status: int
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    body: bytes = b""


def check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError(f"only http and https URLs are fetched, not {parts.scheme or 'a relative URL'!r}")
    if not parts.hostname:
        raise FetchError("the URL has no host")


# IPv6 prefixes that carry an IPv4 address in their last 32 bits, which is where the packets go: NAT64
# (RFC 6052, RFC 8215) and the deprecated IPv4-compatible form.
_EMBEDDING_IPV4 = tuple(ipaddress.ip_network(n) for n in ("64:ff9b::/96", "64:ff9b:1::/48", "::/96"))


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if ip.version == 6:
        embedded = ip.ipv4_mapped or ip.sixtofour or (
            ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF) if any(ip in net for net in _EMBEDDING_IPV4) else None)
        if embedded is not None and not _public(str(embedded)):
            return False
    return ip.is_global and not ip.is_multicast


class _Guard:
    """Refuses a connection whose peer is not a public address (unless private ones are allowed)."""

    allow_private: bool

    def _check_peer(self) -> None:
        peer = self.sock.getpeername()[0]
        if not self.allow_private and not _public(peer):
            self.sock.close()
            raise FetchError(f"{self.host} is at {peer}, a private, loopback or reserved address "
                             "(--allow-private fetches from those)")


class _HTTP(_Guard, http.client.HTTPConnection):
    def connect(self) -> None:
        super().connect()
        self._check_peer()


class _HTTPS(_Guard, http.client.HTTPSConnection):
    def connect(self) -> None:
        # Check the peer before the TLS handshake: nothing is sent to a refused address.
        http.client.HTTPConnection.connect(self)
        self._check_peer()
        self.sock = self._context.wrap_socket(self.sock, server_hostname=self.host)


def _connection(url: str, limits: Limits) -> http.client.HTTPConnection:
    parts = urlsplit(url)
    if parts.scheme == "https":
        connection = _HTTPS(parts.hostname, parts.port, timeout=limits.timeout, context=ssl.create_default_context())
    else:
        connection = _HTTP(parts.hostname, parts.port, timeout=limits.timeout)
    connection.allow_private = limits.allow_private
    return connection


def _read_body(response: http.client.HTTPResponse, limits: Limits) -> bytes:
    length = response.getheader("Content-Length")
    if length and length.isdigit() and int(length) > limits.max_bytes:
        raise FetchError(f"{length} bytes announced, over the size cap of {limits.max_bytes}")
    chunks, size = [], 0
    while chunk := response.read1(CHUNK):
        size += len(chunk)
        if size > limits.max_bytes:
            raise FetchError(f"over the size cap of {limits.max_bytes} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


class _Deadline:
    """Cuts the connection when the whole request (connect, headers, body) has taken ``seconds``: the socket's
    own timeout bounds each read only, and a server that sends a header line or a byte now and then would hold
    the fetch for ever."""

    def __init__(self, connection: http.client.HTTPConnection, seconds: float):
        self.connection, self.passed = connection, False
        self.timer = threading.Timer(seconds, self._cut)
        self.timer.daemon = True
        self.timer.start()

    def _cut(self) -> None:
        self.passed = True
        if self.connection.sock is not None:
            with contextlib.suppress(OSError):
                self.connection.sock.shutdown(socket.SHUT_RDWR)


def _once(url: str, headers: dict[str, str], limits: Limits) -> Response:
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection = _connection(url, limits)
    deadline = _Deadline(connection, limits.timeout)
    late = FetchError(f"no answer within {limits.timeout} s")
    try:
        connection.request("GET", target, headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity",
                                                   **headers})
        response = connection.getresponse()
        status = response.status
        found = {name.lower(): value for name, value in response.getheaders()}
        body = b"" if status in REDIRECTS or status == 304 else _read_body(response, limits)
        if deadline.passed:  # the cut ends a body early, as if it were whole
            raise late
        return Response(url, status, found, body)
    except FetchError:
        raise
    except (OSError, http.client.HTTPException) as error:
        if deadline.passed or isinstance(error, TimeoutError):  # a cut connection fails in any of these ways
            raise late from None
        if isinstance(error, ssl.SSLError):
            raise FetchError(f"TLS failed: {error.reason or error}") from None
        raise FetchError(f"{type(error).__name__}: {error}") from None
    finally:
        deadline.timer.cancel()
        connection.close()


def get(url: str, limits: Limits, headers: dict[str, str] | None = None,
        allowed=lambda url: None) -> Response:
    """GET a URL, following at most ``limits.max_redirects`` redirects; raises FetchError.

    ``allowed(url)`` raises FetchError for a URL that may not be fetched (robots.txt); it is asked of every
    hop, as is the scheme check.
    """
    seen = []
    for _ in range(limits.max_redirects + 1):
        check_url(url)
        allowed(url)
        response = _once(url, headers or {}, limits)
        if response.status not in REDIRECTS:
            return response
        location = response.headers.get("location")
        if not location:
            raise FetchError(f"a {response.status} redirect without a Location")
        seen.append(url)
        url = urljoin(url, location)
        if url in seen:
            raise FetchError(f"a redirect loop ({' -> '.join([*seen, url])[:300]})")
    raise FetchError(f"more than {limits.max_redirects} redirects")
