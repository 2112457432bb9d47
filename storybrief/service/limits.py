"""Request body size limit: a clear 413 before the body reaches any parser."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from storybrief.service.security import send_json

DEFAULT_MAX_BODY = 10 * 1024 * 1024


class BodyLimit:
    """Reject bodies over `max_bytes` with 413, whether declared (Content-Length) or streamed.

    The body is buffered here (it is small by construction) and replayed to the app, so no
    size error has to travel through the framework's own exception handling.
    """

    def __init__(self, app: ASGIApp, max_bytes: int = DEFAULT_MAX_BODY) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._too_large(send)
            return
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body = message.get("body", b"")
            size += len(body)
            if size > self.max_bytes:
                await self._too_large(send)
                return
            chunks.append(body)
            if not message.get("more_body"):
                break
        replayed = False

        async def replay() -> dict:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _too_large(self, send: Send) -> None:
        limit = self.max_bytes
        message = (f"request body is larger than the limit of {limit} bytes ({limit / 1e6:.1f} MB); "
                   "send fewer articles per request, or start the server with a larger --max-body")
        await send_json(send, 413, message)
