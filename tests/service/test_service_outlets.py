"""Outlet names and titles a reader can use: never a bare number, titles without " | Site"."""

from __future__ import annotations

import socket

import pytest
from service_corpus import BRIDGE

from storybrief.service.outlets import clean_title, outlet_name, registered_domain


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the outlet code must not touch the network")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.mark.parametrize(
    "url, domain",
    [
        ("https://www.bbc.co.uk/news/world-1", "bbc.co.uk"),
        ("http://news.example.com/a", "example.com"),
        ("https://user.github.io/post", "user.github.io"),
        ("https://www.abc.net.au/news", "abc.net.au"),
        ("http://127.0.0.1/x", ""),
        ("http://[::1]/x", ""),
        (None, ""),
        ("", ""),
    ],
)
def test_registered_domains_come_from_the_bundled_suffix_list(no_network, url, domain):
    assert registered_domain(url) == domain


@pytest.mark.parametrize(
    "given, site, url, name",
    [
        ("Coastal Herald", "Herald Online", "https://herald.example/a", "Coastal Herald"),
        ("", "Herald Online", "https://herald.example/a", "Herald Online"),
        ("", "", "https://www.herald.co.uk/a", "herald.co.uk"),
        ("7", "", "https://www.herald.co.uk/a", "herald.co.uk"),  # a number is no outlet name
        ("", "", None, ""),
    ],
)
def test_outlet_names(no_network, given, site, url, name):
    assert outlet_name(given, site, url) == name


@pytest.mark.parametrize(
    "title, site, url, cleaned",
    [
        ("Bridge closes for repairs | Coastal Herald", "Coastal Herald", None, "Bridge closes for repairs"),
        ("Bridge closes for repairs - Coastal Herald", "coastal herald", None, "Bridge closes for repairs"),
        ("Coastal Herald :: Bridge closes for repairs", "Coastal Herald", None, "Bridge closes for repairs"),
        ("Talks - with Kyiv - continue | BBC News", "", "https://www.bbc.co.uk/news/1", "Talks - with Kyiv - continue"),
        ("Bridge closes for repairs | Local | Herald", "", None, "Bridge closes for repairs"),
        ("Covid-19 - what we know so far", "", None, "Covid-19 - what we know so far"),  # a hyphen in a headline stays
        ("Bridge closes", "Coastal Herald", None, "Bridge closes"),
        # Headline | section | site, the site's name known (trafilatura has already cut it off, or not).
        ("Talks go on in Kyiv | World news | The Guardian", "The Guardian", None, "Talks go on in Kyiv"),
        ("Talks go on in Kyiv | World news", "The Guardian", "https://www.theguardian.com/1", "Talks go on in Kyiv"),
        ("Coastal Herald | Bridge closes for repairs | Local", "Coastal Herald", None, "Bridge closes for repairs"),
        ("Live | Bridge closes", "Coastal Herald", None, "Live | Bridge closes"),  # too short to be the headline
    ],
)
def test_titles_lose_the_site_name(no_network, title, site, url, cleaned):
    assert clean_title(title, site, url) == cleaned


def page_html(title: str, site: str | None, body: str) -> str:
    meta = f'<meta property="og:site_name" content="{site}">' if site else ""
    paragraphs = "".join(f"<p>{s}.</p>" for s in body.split(". "))
    return (
        f'<html><head><title>{title}</title>{meta}<meta property="og:title" content="{title}"></head>'
        f"<body><nav>Home | World</nav><article>{paragraphs}</article></body></html>"
    )


def test_html_only_articles_get_named_outlets_and_clean_titles(client):
    posted = client.post(
        "/articles",
        json=[
            {
                "html": page_html(
                    "Harbour bridge to close for repairs | Coastal Herald", "Coastal Herald", BRIDGE[0]["text"]
                )
            },
            {
                "html": page_html("Eastport bridge shuts on Monday - Bay Courier", None, BRIDGE[1]["text"]),
                "url": "https://www.baycourier.co.uk/news/eastport-bridge",
            },
            {"text": BRIDGE[2]["text"]},
        ],
    )
    assert posted.status_code == 200, posted.text
    results = posted.json()["articles"]
    story_id = results[0]["story_id"]
    assert {r["story_id"] for r in results} == {story_id}
    story = client.get(f"/stories/{story_id}").json()
    assert [a["source"] for a in story["articles"]] == ["Coastal Herald", "baycourier.co.uk", ""]
    assert [a["title"] for a in story["articles"]][:2] == [
        "Harbour bridge to close for repairs",
        "Eastport bridge shuts on Monday",
    ]
    assert story["sources"] == ["Coastal Herald", "baycourier.co.uk"]
    names = [s["name"] for s in story["brief"]["sources"]]
    assert "Coastal Herald" in names and not any(name.isdigit() for name in names)
    # The story is named by the grouping's label: one of its articles' clean titles, never a site's name.
    assert story["title"] in [a["title"] for a in story["articles"]] and story["title"]
    page = client.get(f"/web/stories/{story_id}").text
    assert "Untitled" not in page and "Harbour bridge to close for repairs" in page
    assert not any(f"· {r['id']}<" in page or f">article {r['id']}<" in page for r in results)


def test_summarize_names_no_source_by_number(client):
    brief = client.post("/summarize", json={"articles": [{"text": t["text"]} for t in BRIDGE]}).json()
    assert brief["sources"] and all(not s["name"].isdigit() for s in brief["sources"])


def test_a_page_titled_headline_section_site_shows_the_headline(client):
    """"Headline | Section | Site" <title>s (the Guardian's kind) lose the section too, not only the site."""
    title = "Harbour bridge to close for repairs | UK news | The Guardian"
    page = page_html(title, None, BRIDGE[0]["text"]).replace(f'<meta property="og:title" content="{title}">', "")
    [result] = client.post(
        "/articles", json={"html": page, "url": "https://www.theguardian.com/uk-news/2026/bridge"}
    ).json()["articles"]
    article = client.get(f"/articles/{result['id']}").json()
    assert (article["title"], article["source"]) == ("Harbour bridge to close for repairs", "theguardian.com")
