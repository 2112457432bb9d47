"""Error answers: always JSON with one readable line in `error`."""

from __future__ import annotations

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError, OperationalError

from storybrief.errors import StoryBriefError, first_line


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(StoryBriefError, bad_input)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(IntegrityError, conflict)
    app.add_exception_handler(OperationalError, database_down)


async def invalid_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
    details = [clean_error(e) for e in exc.errors()]
    summary = "; ".join(f"{d['where']}: {d['message']}" if d["where"] else d["message"] for d in details[:5])
    if len(details) > 5:
        summary += f"; and {len(details) - 5} more"
    return JSONResponse({"error": summary, "detail": details}, status_code=422)


async def bad_input(_request: Request, exc: StoryBriefError) -> JSONResponse:
    return JSONResponse({"error": str(exc)}, status_code=422)


async def http_error(_request: Request, exc: HTTPException) -> JSONResponse:
    return JSONResponse({"error": str(exc.detail)}, status_code=exc.status_code, headers=exc.headers)


async def conflict(_request: Request, exc: IntegrityError) -> JSONResponse:
    return JSONResponse(
        {"error": "conflicts with a stored article (same id, url or text) written meanwhile; send it again"},
        status_code=409,
    )


async def database_down(_request: Request, exc: OperationalError) -> JSONResponse:
    return JSONResponse({"error": "the database is unavailable; try again"}, status_code=503)


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
