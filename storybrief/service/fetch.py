"""Fetch an article page by URL, only when the operator enabled it, and never from inside the network.

Every address the host name resolves to must be public (not private, loopback, link-local,
multicast or reserved), and the connection goes to the checked address itself, so DNS cannot
swap in an internal one between check and connect. Redirects are followed by hand (a few at
most), each one checked the same way. `request` is the GET under it all (conditional headers, 304,
a deadline for the whole exchange, a size cap); `fetch` reads one article page with it.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from storybrief import __version__
from storybrief.errors import StoryBriefError
from storybrief.io.story import decode

MAX_FETCH_BYTES = 5 * 1024 * 1024
TIMEOUT_S = 10
MAX_REDIRECTS = 3
USER_AGENT = f"storybrief/{__version__}"


class FetchError(StoryBriefError):
    """The URL may not or could not be fetched; `status`: the server's answer, when it gave one."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


# IPv6 forms that carry an IPv4 address in their last 32 bits: NAT64's well-known prefix (a
# gateway forwards to the IPv4 inside), SIIT's IPv4-translated form, and the old IPv4-compatible one.
EMBEDDING_NETWORKS = tuple(ipaddress.IPv6Network(n) for n in ("64:ff9b::/96", "::ffff:0:0:0/96", "::/96"))
LOCAL_NAT64 = ipaddress.IPv6Network("64:ff9b:1::/48")  # RFC 8215 local-use translation: never public


def embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address stands for: mapped, NAT64, translated, compatible, 6to4, Teredo."""
    found = [ip.ipv4_mapped] if ip.ipv4_mapped is not None else []
    if any(ip in network for network in EMBEDDING_NETWORKS):
        found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    if ip.sixtofour is not None:
        found.append(ip.sixtofour)
    if ip.teredo is not None:
        found.extend(ip.teredo)
    return found


def is_public_address(address: str) -> bool:
    """Whether connecting to `address` reaches the public internet only; an IPv6 address that
    embeds an IPv4 one (the connection may end there) is judged by the IPv4 address inside."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if ip in LOCAL_NAT64:
            return False
        inside = embedded_ipv4(ip)
        if inside:
            return all(v4.is_global and not v4.is_multicast for v4 in inside)
    return ip.is_global and not ip.is_multicast


def public_address(host: str, port: int) -> str:
    """One address of `host`, after checking that all of them are public."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"{host}: cannot resolve the host name") from exc
    addresses = [info[4][0] for info in infos]
    for address in addresses:
        if not is_public_address(address):
            raise FetchError(f"{host} resolves to {address}, a private or loopback address; refusing to fetch it")
    if not addresses:
        raise FetchError(f"{host}: no address")
    return addresses[0]


@dataclass
class Response:
    """An answer to a GET: 200 with its body, or 304 (not modified) without one."""

    status: int
    headers: dict[str, str]  # names in lower case
    body: bytes
    url: str  # after redirects

    @property
    def content_type(self) -> str:
        """The media type without parameters, lower case ("" when the server sent none)."""
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()


def request(url: str, headers: dict[str, str] | None = None, *, max_bytes: int = MAX_FETCH_BYTES,
            timeout: float = TIMEOUT_S, allow_private: bool = False) -> Response:
    """GET an http(s) URL: 200 (body read up to `max_bytes`) or 304; any other answer is a FetchError.

    `timeout` bounds the whole exchange, redirects and a slowly dripping body included. Each
    redirect is checked like the first address. `allow_private` lifts the public-address rule
    (for an operator who means to read feeds on the local network)."""
    deadline = time.monotonic() + timeout
    for _ in range(MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(f"{url}: only http:// and https:// addresses can be fetched")
        try:
            port = parts.port or (443 if scheme == "https" else 80)
        except ValueError:
            raise FetchError(f"{url}: not a valid port") from None
        address = any_address(parts.hostname, port) if allow_private else public_address(parts.hostname, port)
        connection = None
        try:
            sock = socket.create_connection((address, port), timeout=_left(deadline, url, timeout))
            if scheme == "https":
                sock = ssl.create_default_context().wrap_socket(sock, server_hostname=parts.hostname)
            connection = http.client.HTTPConnection(parts.hostname, port, timeout=timeout)
            connection.sock = sock  # pinned to the checked address
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            connection.request("GET", path, headers={"User-Agent": USER_AGENT, **(headers or {})})
            response = connection.getresponse()
            answer = {name.lower(): value for name, value in response.getheaders()}
            if response.status in (301, 302, 303, 307, 308) and answer.get("location"):
                url = urljoin(url, answer["location"])
                continue
            if response.status == 304:
                return Response(304, answer, b"", url)
            if response.status != 200:
                raise FetchError(f"{url}: the server answered {response.status} {response.reason}", response.status)
            declared = answer.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(f"{url}: larger than {_megabytes(max_bytes)} (Content-Length {declared})")
            body = _read(response, sock, max_bytes, deadline, url, timeout)
        except socket.timeout:
            raise FetchError(f"{url}: no answer within {timeout:g} s") from None
        except (OSError, http.client.HTTPException) as exc:
            raise FetchError(f"{url}: cannot fetch ({exc})") from exc
        finally:
            if connection is not None:
                connection.close()
        return Response(200, answer, body, url)
    raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects")


def _left(deadline: float, url: str, timeout: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchError(f"{url}: no answer within {timeout:g} s")
    return left


def _read(response: http.client.HTTPResponse, sock: socket.socket, max_bytes: int, deadline: float, url: str,
          timeout: float) -> bytes:
    """The body, chunk by chunk, so that neither its size nor a slow drip can pass the limits."""
    chunks, size = [], 0
    while True:
        sock.settimeout(_left(deadline, url, timeout))
        chunk = response.read1(65536)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"{url}: larger than {_megabytes(max_bytes)}")
        chunks.append(chunk)


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.0f} MB" if size >= 1_000_000 else f"{size / 1000:.0f} kB"


def any_address(host: str, port: int) -> str:
    """One address of `host`, private or not (`allow_private`)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"{host}: cannot resolve the host name") from exc
    if not infos:
        raise FetchError(f"{host}: no address")
    return infos[0][4][0]


def fetch(url: str, max_bytes: int = MAX_FETCH_BYTES, timeout: float = TIMEOUT_S) -> tuple[str, str]:
    """(page text, final URL) of an http(s) URL at a public address."""
    response = request(url, {"Accept": "text/html, text/plain"}, max_bytes=max_bytes, timeout=timeout)
    return decode(response.body, url), response.url
