"""URL fetching: off unless enabled, and never to private or loopback addresses."""

from __future__ import annotations

import http.server
import threading

import pytest
from service_corpus import BRIDGE

from storybrief.service import fetch as fetch_module
from storybrief.service.fetch import FetchError, is_public_address


@pytest.mark.parametrize(
    "address, public",
    [
        ("8.8.8.8", True),
        ("2606:4700:4700::1111", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("192.168.0.1", False),
        ("172.16.5.4", False),
        ("169.254.169.254", False),
        ("::1", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("::ffff:127.0.0.1", False),
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("100.64.0.1", False),
    ],
)
def test_public_addresses(address, public):
    assert is_public_address(address) is public


@pytest.mark.parametrize(
    "address, public",
    [
        # NAT64 (64:ff9b::/96): the gateway connects to the IPv4 address in the last 32 bits.
        ("64:ff9b::7f00:1", False),
        ("64:ff9b::a00:1", False),
        ("64:ff9b::a9fe:a9fe", False),
        ("64:ff9b::808:808", True),
        ("64:ff9b:1::a00:1", False),  # local-use NAT64 prefix
        # 6to4 (2002::/16): the IPv4 address in bits 16-48.
        ("2002:7f00:1::1", False),
        ("2002:c0a8:101::", False),
        ("2002:808:808::1", True),
        # IPv4-compatible (::a.b.c.d) and IPv4-translated (::ffff:0:a.b.c.d).
        ("::127.0.0.1", False),
        ("::10.0.0.1", False),
        ("::8.8.8.8", True),
        ("::ffff:0:127.0.0.1", False),
        ("::ffff:0:8.8.8.8", True),
        # IPv4-mapped, in both spellings.
        ("::ffff:169.254.169.254", False),
        ("::ffff:a9fe:a9fe", False),
        ("::ffff:8.8.8.8", True),
        # Teredo: the client address is XOR-obfuscated; 127.0.0.1 here.
        ("2001:0:4136:e378:8000:63bf:80ff:fffe", False),
    ],
)
def test_ipv6_forms_that_embed_ipv4_are_judged_by_the_ipv4_inside(address, public):
    assert is_public_address(address) is public


def test_loopback_and_private_hosts_are_refused(monkeypatch):
    with pytest.raises(FetchError, match="private or loopback"):
        fetch_module.fetch("http://127.0.0.1:9/x")
    with pytest.raises(FetchError, match="private or loopback"):
        fetch_module.fetch("http://localhost/")
    with pytest.raises(FetchError, match="only http"):
        fetch_module.fetch("file:///etc/passwd")


@pytest.fixture
def page_server():
    body = (
        "<html><head><title>Bridge page</title></head><body><article><h1>Bridge page</h1>"
        f"<p>{BRIDGE[0]['text']}</p></article></body></html>"
    ).encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path == "/moved":
                self.send_response(302)
                self.send_header("Location", "/article")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_the_api_refuses_to_fetch_loopback_even_when_enabled(make_client, page_server):
    client = make_client(allow_fetch=True)
    response = client.post("/articles", json={"url": f"{page_server}/article"})
    assert response.status_code == 422 and "private or loopback" in response.json()["error"]


def test_an_enabled_fetch_reads_the_page(make_client, page_server, monkeypatch):
    # The test server is on loopback; pretend it is public to see the whole fetch path work.
    monkeypatch.setattr(fetch_module, "is_public_address", lambda address: True)
    client = make_client(allow_fetch=True)
    [result] = client.post("/articles", json={"url": f"{page_server}/moved", "source": "Herald"}).json()["articles"]
    article = client.get(f"/articles/{result['id']}").json()
    assert "steel girders" in article["text"] and article["title"] == "Bridge page"
    assert article["url"] == f"{page_server}/moved"
