"""The service's settings: one frozen record that `storybrief serve` and
`uvicorn --factory storybrief.service.app:create_app` both read from the same STORYBRIEF_* variables.

| field        | variable                  | default                    |
|--------------|---------------------------|----------------------------|
| db_url       | STORYBRIEF_DB             | sqlite:///./storybrief.db  |
| token        | STORYBRIEF_TOKEN          | none: writes are open      |
| words        | STORYBRIEF_WORDS          | 150                        |
| method       | STORYBRIEF_METHOD         | default                    |
| max_body     | STORYBRIEF_MAX_BODY       | 10485760 (10 MiB)          |
| allow_fetch  | STORYBRIEF_ALLOW_FETCH    | false                      |
| assigner     | STORYBRIEF_ASSIGNER       | index                      |
| host         | STORYBRIEF_HOST           | 127.0.0.1                  |
| port         | STORYBRIEF_PORT           | 8000                       |
| allowed_hosts| STORYBRIEF_ALLOWED_HOSTS  | loopback names if `host` is loopback (below), else `*` |
| docs         | STORYBRIEF_DOCS           | false: no /docs or /redoc  |

STORYBRIEF_ALLOWED_HOSTS is a comma-separated list of host names the server answers to (the `Host`
header without its port); `*` answers to any. Its default, when `host` is a loopback address, is the
loopback names: localhost, 127.0.0.1, ::1 and `host`. It is the guard against DNS rebinding: a page on
another site whose name is made to resolve to 127.0.0.1 sends its own name as `Host`, and gets 400.
/docs and /redoc load their scripts from a CDN, so they are off unless STORYBRIEF_DOCS is true
(the schema itself, /openapi.json, is always served).

`storybrief serve`'s flags (--db, --words, --max-body, --allow-fetch, --host, --port) override the
variables; an unset or empty variable means the default.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, fields

from storybrief.errors import StoryBriefError
from storybrief.service.db import DEFAULT_DB
from storybrief.service.limits import DEFAULT_MAX_BODY
from storybrief.types import DEFAULT_WORDS, MAX_BRIEF_WORDS

MIN_BODY = 1024

ENV = {
    "db_url": "STORYBRIEF_DB",
    "token": "STORYBRIEF_TOKEN",
    "words": "STORYBRIEF_WORDS",
    "method": "STORYBRIEF_METHOD",
    "max_body": "STORYBRIEF_MAX_BODY",
    "allow_fetch": "STORYBRIEF_ALLOW_FETCH",
    "assigner": "STORYBRIEF_ASSIGNER",
    "host": "STORYBRIEF_HOST",
    "port": "STORYBRIEF_PORT",
    "allowed_hosts": "STORYBRIEF_ALLOWED_HOSTS",
    "docs": "STORYBRIEF_DOCS",
}
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
TRUE, FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


class SettingsError(StoryBriefError):
    """A setting (an environment variable or a flag) has an unusable value."""


@dataclass(frozen=True)
class Settings:
    db_url: str = DEFAULT_DB
    token: str | None = None  # when set, every write needs it (Authorization: Bearer, or the form's field)
    words: int = DEFAULT_WORDS  # word budget of each story's brief
    method: str = "default"  # sentence scorer of the briefs
    max_body: int = DEFAULT_MAX_BODY  # largest request body in bytes; 413 above it
    allow_fetch: bool = False  # POST /articles may give only a URL, fetched from public addresses
    assigner: str = "index"  # story assignment: "index" or "similarity"
    host: str = "127.0.0.1"  # where `storybrief serve` listens
    port: int = 8000
    allowed_hosts: tuple[str, ...] | None = None  # Host names answered to; None: the default for `host`
    docs: bool = False  # serve /docs and /redoc (their assets come from a CDN)

    def __post_init__(self) -> None:
        if self.token == "":
            object.__setattr__(self, "token", None)
        if self.allowed_hosts is None:
            default = (*LOOPBACK_NAMES, self.host.strip("[]").lower()) if is_local(self.host) else ("*",)
            object.__setattr__(self, "allowed_hosts", tuple(dict.fromkeys(default)))
        else:
            object.__setattr__(
                self,
                "allowed_hosts",
                tuple(h.strip().strip("[]").lower().rstrip(".") for h in self.allowed_hosts if h.strip()),
            )
            if not self.allowed_hosts:
                raise SettingsError(
                    "STORYBRIEF_ALLOWED_HOSTS / allowed_hosts: no host name given (use * to answer to any)"
                )
        _check_range("words", self.words, 1, MAX_BRIEF_WORDS)
        _check_range("max_body", self.max_body, MIN_BODY, None)
        _check_range("port", self.port, 1, 65535)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides) -> Settings:
        """Defaults, then STORYBRIEF_* variables, then `overrides` (those that are not None)."""
        environ = os.environ if environ is None else environ
        values: dict[str, object] = {}
        kinds = {f.name: f.type for f in fields(cls)}
        for name, variable in ENV.items():
            raw = environ.get(variable, "").strip()
            if raw:
                values[name] = _parse(variable, raw, kinds[name])
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


def _parse(variable: str, raw: str, kind: str) -> object:
    if kind == "int":
        try:
            return int(raw)
        except ValueError:
            raise SettingsError(f"{variable}={raw!r}: expected a whole number") from None
    if kind.startswith("tuple"):
        return tuple(part for part in raw.split(","))
    if kind == "bool":
        if raw.lower() in TRUE:
            return True
        if raw.lower() in FALSE:
            return False
        raise SettingsError(f"{variable}={raw!r}: expected one of {', '.join(TRUE + FALSE)}")
    return raw


def _check_range(name: str, value: int, low: int, high: int | None) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < low or (high is not None and value > high):
        bound = f"{low}..{high}" if high is not None else f"at least {low}"
        raise SettingsError(f"{ENV[name]} / {name}: {value!r} is not a whole number {bound}")


def is_local(host: str) -> bool:
    """Whether binding to `host` keeps the server reachable from this machine only."""
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
