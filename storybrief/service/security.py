"""The security rules every answer and every write passes: headers, the token, the form's origin, safe links."""

from __future__ import annotations

import hmac
import json
from urllib.parse import urlsplit

from fastapi import Request, Response
from starlette.types import ASGIApp, Receive, Scope, Send

# The page needs no script at all; forbidding it makes any markup that slipped through inert.
PAGE_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)


def token_matches(given: str, token: str) -> bool:
    """Constant-time comparison, so the time taken says nothing about how much of a guess was right."""
    return hmac.compare_digest(given.encode(), token.encode())


def bearer_matches(request: Request, token: str) -> bool:
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and token_matches(given.strip(), token)


async def security_headers(request: Request, call_next):
    response = await call_next(request)
    add_security_headers(request, response)
    return response


def add_security_headers(request: Request, response: Response) -> None:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    # same-origin, not no-referrer: with no-referrer browsers send "Origin: null" on form posts,
    # which the form's same-origin check must refuse.
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if response.headers.get("content-type", "").startswith("text/html") and not request.url.path.startswith(
        ("/docs", "/redoc")
    ):
        response.headers["Content-Security-Policy"] = PAGE_CSP
        response.headers["X-Frame-Options"] = "DENY"


def same_origin(request: Request) -> bool:
    """Browsers send Origin on cross-site posts; a form from another site must not add articles."""
    origin = request.headers.get("origin") or request.headers.get("referer")
    if not origin:
        return True  # not a browser (curl, scripts): the token rule still applies
    if origin == "null":
        return False  # sandboxed or file:// pages
    return urlsplit(origin).netloc == request.headers.get("host", "")


def safe_link(url: str | None) -> str | None:
    """Only http(s) addresses become links (a `javascript:` URL must never be clickable)."""
    if url and urlsplit(url).scheme.lower() in ("http", "https"):
        return url
    return None


def host_name(header: str) -> str:
    """The name in a Host header, without the port: "[::1]:8000" -> "::1", "Example.com.:80" -> "example.com"."""
    header = header.strip().lower()
    if header.startswith("[") and "]" in header:
        name, _, rest = header[1:].partition("]")
        return name if rest == "" or (rest[:1] == ":" and rest[1:].isdigit()) else header
    if header.count(":") == 1:
        name, _, port = header.partition(":")
        return name.rstrip(".") if port.isdigit() else header  # anything but a port number: no name we know
    return header.rstrip(".")


class HostAllowlist:
    """Answer only requests whose Host is one of `hosts` ("*": any), as a JSON 400 otherwise.

    Against DNS rebinding: a page on another site can make its own name resolve to 127.0.0.1, and
    the browser then lets it read this server's answers; but its requests carry its name as Host.
    """

    def __init__(self, app: ASGIApp, hosts: tuple[str, ...]) -> None:
        self.app = app
        self.any = "*" in hosts
        self.hosts = frozenset(hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.any or scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        given = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1")
        if host_name(given) in self.hosts:
            await self.app(scope, receive, send)
            return
        message = (
            f"this server does not answer to the host name {host_name(given)[:100]!r} (a guard against DNS "
            "rebinding); set STORYBRIEF_ALLOWED_HOSTS to the names it is reached by"
        )
        await send_json(send, 400, message)


async def send_json(send: Send, status: int, message: str) -> None:
    """An {"error": message} answer sent from an ASGI middleware, before the app saw the request."""
    payload = json.dumps({"error": message}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})
