"""What the routers take from the running app (`app.state`), as FastAPI dependencies."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request

from storybrief.service.db import Database
from storybrief.service.security import bearer_matches
from storybrief.service.settings import Settings
from storybrief.service.store import Store


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_store(request: Request) -> Store:
    return request.app.state.store


def get_database(request: Request) -> Database:
    return request.app.state.database


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Store, Depends(get_store)]
DatabaseDep = Annotated[Database, Depends(get_database)]


def require_token(request: Request) -> None:
    """Writes of the JSON API: `Authorization: Bearer <token>` when the server has a token."""
    token = request.app.state.settings.token
    if token is not None and not bearer_matches(request, token):
        raise HTTPException(
            401,
            "this server needs 'Authorization: Bearer <token>' for writes (the STORYBRIEF_TOKEN it was started with)",
            headers={"WWW-Authenticate": "Bearer"},
        )
