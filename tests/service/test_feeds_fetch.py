"""The GET under feed reading (`fetch.request`): conditional requests, the size and time limits,
and the public-address rule on every redirect, unless the operator allows private addresses."""

from __future__ import annotations

import time

import pytest
from feed_server import FeedServer

from storybrief.service import fetch as fetch_module
from storybrief.service.fetch import FetchError, request


@pytest.fixture
def server():
    found = FeedServer()
    yield found
    found.stop()


def test_a_conditional_get_is_answered_304_without_a_body(server):
    url = server.set("/feed", body=b"<rss/>", etag='"v1"', last_modified="Tue, 01 Dec 2026 10:00:00 GMT")
    first = request(url, allow_private=True)
    assert (first.status, first.body, first.headers["etag"]) == (200, b"<rss/>", '"v1"')
    again = request(url, {"If-None-Match": '"v1"'}, allow_private=True)
    assert (again.status, again.body) == (304, b"")
    assert server.hits("/feed")[1].headers["if-none-match"] == '"v1"'
    changed = request(url, {"If-None-Match": '"v0"'}, allow_private=True)
    assert changed.status == 200 and changed.content_type == "application/rss+xml"


def test_loopback_is_refused_unless_allowed(server):
    url = server.set("/feed", body=b"<rss/>")
    with pytest.raises(FetchError, match="private or loopback"):
        request(url)
    assert server.requests == []  # refused before connecting


def test_a_redirect_to_a_private_address_is_checked_again(server, monkeypatch):
    # 127.0.0.1 plays a public address here; the redirect leads to another loopback address.
    monkeypatch.setattr(fetch_module, "is_public_address", lambda address: address == "127.0.0.1")
    url = server.set("/moved", location="http://127.0.0.2:9/secret")
    with pytest.raises(FetchError, match="127.0.0.2 .*private or loopback"):
        request(url)
    assert [r.path for r in server.requests] == ["/moved"]


def test_too_large_declared_or_streamed_is_refused(server):
    declared = server.set("/big", body=b"x" * 5000)
    streamed = server.set("/stream", body=b"x" * 5000, length=False)
    with pytest.raises(FetchError, match="larger than 4 kB .*Content-Length 5000"):
        request(declared, max_bytes=4000, allow_private=True)
    with pytest.raises(FetchError, match="larger than 4 kB"):
        request(streamed, max_bytes=4000, allow_private=True)
    assert request(declared, max_bytes=5000, allow_private=True).body == b"x" * 5000


def test_a_slow_answer_or_a_slow_drip_stops_at_the_deadline(server):
    slow = server.set("/slow", body=b"<rss/>", delay=3)
    drip = server.set("/drip", body=b"y" * 20_000, drip=0.1)  # 20 pieces, 2 s in all
    for url in (slow, drip):
        began = time.monotonic()
        with pytest.raises(FetchError, match="no answer within 0.4 s"):
            request(url, timeout=0.4, allow_private=True)
        assert time.monotonic() - began < 1.5


def test_errors_name_the_status(server):
    url = server.set("/gone", body=b"", status=500, content_type="text/plain")
    with pytest.raises(FetchError, match="answered 500"):
        request(url, allow_private=True)
    with pytest.raises(FetchError, match="answered 404"):
        request(server.url("/nothing"), allow_private=True)
