"""Who published an article and what it is called, for readers: never a bare number.

Outlet: the `source` given, else the page's site name (trafilatura reads og:site_name and the
like), else the URL's registered domain (tldextract with the public suffix list bundled in the
package, never fetched), else nothing (the page then shows the title or "source N").
Title: the one given, else the page's (og:title, <title>) without a trailing or leading " | Site",
else the text's headline line (`storybrief.brief.clean.headline_of`, as the brief's cleaning finds it).
"""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache
from urllib.parse import urlsplit

# " | ", " - ", " – ", " — ", " :: ", " · ": how pages join a headline and the site's name.
SEPARATOR = re.compile(r"\s+(?:\||-|–|—|::|·|•)\s+")


@lru_cache(maxsize=1)
def _extractor():
    import tldextract

    # No suffix list URLs and no cache: the snapshot inside the package is used, nothing is fetched.
    # Private suffixes too: user.github.io and user.blogspot.com are outlets of their own.
    return tldextract.TLDExtract(
        suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True, include_psl_private_domains=True
    )


def registered_domain(url: str | None) -> str:
    """ "bbc.co.uk" for https://www.bbc.co.uk/news/1; "" for an IP address or no URL."""
    host = urlsplit(url or "").hostname or ""
    if not host:
        return ""
    try:
        ipaddress.ip_address(host.strip("[]"))
        return ""
    except ValueError:
        pass
    parts = _extractor()(host)
    return f"{parts.domain}.{parts.suffix}".lower() if parts.domain and parts.suffix else ""


def outlet_name(given: str, site: str, url: str | None) -> str:
    for name in (given, site):
        name = " ".join((name or "").split())
        if name and not name.isdigit():
            return name
    return registered_domain(url)


def clean_title(title: str, site: str = "", url: str | None = None) -> str:
    """A page title without the site's name joined to it ("Bridge closes | Coastal Herald")."""
    title = " ".join((title or "").split())
    parts = SEPARATOR.split(title)
    if len(parts) < 2:
        return title
    names = {n.lower() for n in (site, registered_domain(url), registered_domain(url).split(".")[0]) if n}
    while len(parts) > 1 and _is_site(parts[-1], names):
        parts.pop()
    while len(parts) > 1 and _is_site(parts[0], names):
        parts.pop(0)
    kept = parts[0] if len(parts) == 1 else _rejoin(title, parts)
    # What " | " still joins is the headline and its section ("Talks go on | World news", the site's name
    # gone) or, with no site name known, sections and the site: the headline is the first part.
    head = kept.split(" | ")[0].strip()
    return head if " | " in kept and len(head.split()) >= 3 else kept


def _is_site(part: str, names: set[str]) -> bool:
    part = part.strip().lower()
    words = part.split()
    # The site's name, its domain, or a short name that starts with the domain's label ("BBC News").
    return bool(part) and (
        part.replace(" ", "") in {n.replace(" ", "") for n in names} or (len(words) <= 3 and words[0] in names)
    )


def _rejoin(title: str, parts: list[str]) -> str:
    """The original spelling of the kept parts (separators included)."""
    start = title.find(parts[0])
    end = title.rfind(parts[-1]) + len(parts[-1])
    return title[start:end] if start >= 0 and end > start else " ".join(parts)


