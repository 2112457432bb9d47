"""Fetch an article page by URL, only when the operator enabled it, and never from inside the network.

Every address the host name resolves to must be public (not private, loopback, link-local,
multicast or reserved), and the connection goes to the checked address itself, so DNS cannot
swap in an internal one between check and connect. Redirects are followed by hand (a few at
most), each one checked the same way.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from urllib.parse import urljoin, urlsplit

from storybrief.errors import StoryBriefError
from storybrief.io.story import decode

MAX_FETCH_BYTES = 5 * 1024 * 1024
TIMEOUT_S = 10
MAX_REDIRECTS = 3


class FetchError(StoryBriefError):
    """The URL may not or could not be fetched."""


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


def fetch(url: str, max_bytes: int = MAX_FETCH_BYTES, timeout: float = TIMEOUT_S) -> tuple[str, str]:
    """(page text, final URL) of an http(s) URL."""
    for _ in range(MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(f"{url}: only http:// and https:// addresses can be fetched")
        port = parts.port or (443 if scheme == "https" else 80)
        address = public_address(parts.hostname, port)
        try:
            sock = socket.create_connection((address, port), timeout=timeout)
            if scheme == "https":
                sock = ssl.create_default_context().wrap_socket(sock, server_hostname=parts.hostname)
            connection = http.client.HTTPConnection(parts.hostname, port, timeout=timeout)
            connection.sock = sock  # pinned to the checked address
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            connection.request("GET", path, headers={"User-Agent": "storybrief", "Accept": "text/html, text/plain"})
            response = connection.getresponse()
            if response.status in (301, 302, 303, 307, 308) and response.getheader("Location"):
                url = urljoin(url, response.getheader("Location"))
                connection.close()
                continue
            if response.status != 200:
                raise FetchError(f"{url}: the server answered {response.status} {response.reason}")
            data = response.read(max_bytes + 1)
            connection.close()
        except (OSError, http.client.HTTPException) as exc:
            raise FetchError(f"{url}: cannot fetch ({exc})") from exc
        if len(data) > max_bytes:
            raise FetchError(f"{url}: the page is larger than {max_bytes // 1_000_000} MB")
        return decode(data, url), url
    raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects")
