"""Error answers: always JSON with one readable line in `error`."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import IntegrityError, OperationalError
from starlette.exceptions import HTTPException

from storybrief.errors import StoryBriefError, first_line
from storybrief.service.pages import is_page, page
from storybrief.service.security import add_security_headers


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(StoryBriefError, bad_input)
    # Starlette's class, not FastAPI's subclass: the router's own 404 and 405 are Starlette's.
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(IntegrityError, conflict)
    app.add_exception_handler(OperationalError, database_down)
    app.add_exception_handler(Exception, internal_error)


async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
    details = [clean_error(e) for e in exc.errors()]
    summary = "; ".join(f"{d['where']}: {d['message']}" if d["where"] else d["message"] for d in details[:5])
    if len(details) > 5:
        summary += f"; and {len(details) - 5} more"
    if is_page(request):  # a browser: a page saying what is wrong, not raw JSON
        if any(d["where"].startswith("path.") for d in details):
            return page(request, "error.html", status=404, error="There is no such page here.")
        return page(request, "error.html", status=422, error=f"That address is not quite right ({summary}).")
    return JSONResponse({"error": summary, "detail": details}, status_code=422)


async def bad_input(_request: Request, exc: StoryBriefError) -> JSONResponse:
    return JSONResponse({"error": str(exc)}, status_code=422)


async def http_error(request: Request, exc: HTTPException) -> Response:
    message = str(exc.detail)
    if exc.status_code == 404 and message == "Not Found":  # the router's: no route has this path
        message = f"nothing at {request.url.path}"
    elif exc.status_code == 405 and message == "Method Not Allowed":
        allowed = (exc.headers or {}).get("Allow", "")
        message = f"{request.method} is not allowed on {request.url.path}" + (
            f" (allowed: {allowed})" if allowed else ""
        )
    elif exc.status_code == 400 and message == "There was an error parsing the body":
        message = "the request body cannot be read (JSON must be UTF-8 text)"
    if is_page(request) and exc.status_code == 404:
        return page(request, "error.html", status=404, error="There is no such page here.")
    return JSONResponse({"error": message}, status_code=exc.status_code, headers=exc.headers)


async def conflict(_request: Request, exc: IntegrityError) -> JSONResponse:
    return JSONResponse(
        {"error": "conflicts with a stored article (same id, url or text) written meanwhile; send it again"},
        status_code=409,
    )


async def database_down(_request: Request, exc: OperationalError) -> JSONResponse:
    return JSONResponse({"error": "the database is unavailable; try again"}, status_code=503)


async def internal_error(request: Request, exc: Exception) -> JSONResponse:
    """A bug: one line to the client (the traceback goes to the server's log), with the usual headers,
    which this answer does not get from the middleware (it is made outside of it)."""
    response = JSONResponse({"error": "internal server error; the server's log has the details"}, status_code=500)
    add_security_headers(request, response)
    return response


def clean_error(error: dict) -> dict:
    """A validation error without the echoed input (which may be megabytes of article)."""
    loc = list(error.get("loc", ()))
    if len(loc) > 1 and loc[0] == "body" and loc[1] in ("single", "list"):
        del loc[1]  # the tag of the one-or-many union says nothing the client needs
    where = ".".join(str(part) for part in loc)
    message = str(error.get("msg", "invalid"))
    message = message.removeprefix("Value error, ")
    if error.get("type") == "json_invalid":
        message = f"malformed JSON ({error.get('ctx', {}).get('error', 'cannot parse')})"
    return {"where": where, "message": message, "type": error.get("type", "")}


def one_line(exc: Exception) -> str:
    """A pydantic ValidationError's first errors, or any exception's first line."""
    if hasattr(exc, "errors"):
        return "; ".join(
            f"{'.'.join(map(str, e['loc']))}: {e['msg'].removeprefix('Value error, ')}"
            if e["loc"]
            else e["msg"].removeprefix("Value error, ")
            for e in exc.errors()[:5]
        )
    return first_line(exc)
