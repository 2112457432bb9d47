"""The security rules every answer and every write passes: headers, the token, the form's origin, safe links."""

from __future__ import annotations

import hmac
from urllib.parse import urlsplit

from fastapi import Request

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
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    # same-origin, not no-referrer: with no-referrer browsers send "Origin: null" on form posts,
    # which the form's same-origin check must refuse.
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if response.headers.get("content-type", "").startswith("text/html") and not request.url.path.startswith(
        ("/docs", "/redoc")
    ):
        response.headers["Content-Security-Policy"] = PAGE_CSP
        response.headers["X-Frame-Options"] = "DENY"
    return response


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
