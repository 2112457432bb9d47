"""Rendering the server's HTML pages (Jinja2, autoescape on)."""

from __future__ import annotations

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup, escape

from storybrief import __version__
from storybrief.service.search import MARK_END, MARK_START

PACKAGE = "storybrief.service"

templates = jinja2.Environment(loader=jinja2.PackageLoader(PACKAGE, "templates"), autoescape=True)


def article_label(article, words: int = 10) -> str:
    """What a list calls an article: its title, else its opening words (never "article 5")."""
    if article.title:
        return article.title
    opening = article.text.split()
    return " ".join(opening[:words]) + (" …" if len(opening) > words else "")


def highlight(snippet: str | None) -> Markup:
    """A search snippet escaped, with its match marks turned into <mark> elements."""
    return Markup(str(escape(snippet or "")).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))


templates.globals["article_label"] = article_label
templates.filters["highlight"] = highlight


def page(request: Request, name: str, status: int = 200, **context) -> HTMLResponse:
    settings = request.app.state.settings
    html = templates.get_template(name).render(
        token_required=settings.token is not None, version=__version__, docs=settings.docs, **context
    )
    return HTMLResponse(html, status_code=status)


def is_page(request: Request) -> bool:
    """A request for one of the pages (a browser reads the answer), not for the JSON API."""
    return request.method in ("GET", "HEAD") and (request.url.path == "/" or request.url.path.startswith("/web/"))
