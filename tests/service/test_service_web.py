"""The server-rendered page: untrusted article text stays text, citations link to articles, the form adds articles."""

from __future__ import annotations

import re

from markupsafe import escape
from service_corpus import BRIDGE, CHESS

HOSTILE = {
    "title": "<script>alert(1)</script> Bridge <b>news</b>",
    "source": "<img src=x onerror=alert(2)>",
    "url": "https://evil.example/a?x=<script>",
    "text": BRIDGE[0]["text"] + " Officials said <script>alert(1)</script> the ferry timetable is final.",
}


def test_article_text_is_escaped_everywhere(client):
    story_id = client.post("/articles", json=[HOSTILE, BRIDGE[1]]).json()["articles"][0]["story_id"]
    article_id = client.get(f"/stories/{story_id}").json()["articles"][0]["id"]
    for path in ("/", f"/web/stories/{story_id}", f"/web/articles/{article_id}", "/?q=%3Cscript%3E"):
        page = client.get(path)
        assert page.status_code == 200
        assert "<script>" not in page.text and "<img src=x" not in page.text and "<b>news" not in page.text
        assert "default-src 'none'" in page.headers["content-security-policy"]
    article = client.get(f"/web/articles/{article_id}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in article
    assert 'href="https://evil.example/a?x=&lt;script&gt;"' in article


def test_citations_show_their_evidence_and_link_to_the_articles_of_the_story(client):
    """Each citation marker carries its evidence (the cited article's sentence, escaped) and a link to
    that article; the marker is keyboard-focusable and described by the evidence."""
    hostile = dict(BRIDGE[0], text=BRIDGE[0]["text"] + " Officials said <script>alert(1)</script> the ferry is late.")
    results = client.post("/articles", json=[hostile, *BRIDGE[1:]]).json()["articles"]
    story = client.get(f"/stories/{results[0]['story_id']}").json()
    page = client.get(f"/web/stories/{story['id']}").text
    markers = re.findall(r'<span class="cite checkable" tabindex="0" aria-describedby="([^"]+)">\[(\d+)\]'
                         r'<span class="evidence" id="([^"]+)">(.*?)</span></span>', page)
    cited = sum(len(s["sources"]) for s in story["brief"]["sentences"])
    assert len(markers) == cited  # every citation of the brief has its evidence on the page
    numbered = {s["id"]: s["article_id"] for s in story["brief"]["sources"]}
    for (described, number, own, shown), sentence in zip(markers, [
            (s, n) for s in story["brief"]["sentences"] for n in s["sources"]]):
        data, cited_number = sentence
        assert described == own and int(number) == cited_number
        evidence = data["evidence"][str(cited_number)]["text"]
        assert escape(evidence) in shown
        assert f'<a href="/web/articles/{numbered[cited_number]}">' in shown
    assert len({m[0] for m in markers}) == len(markers)  # ids are unique on the page
    assert any("&lt;script&gt;alert(1)&lt;/script&gt;" in m[3] for m in markers)
    assert "<script>" not in page
    links = {int(n) for n in re.findall(r'<a href="/web/articles/(\d+)">Read the article</a>', page)}
    assert links and links <= {r["id"] for r in results}
    for article_id in links:
        assert client.get(f"/web/articles/{article_id}").status_code == 200


def test_search_box_filters_the_page(client):
    client.post("/articles", json=[BRIDGE[0], CHESS[0]])
    page = client.get("/", params={"q": "chess"}).text
    assert CHESS[0]["title"] in page and BRIDGE[0]["title"] not in page


def test_only_http_urls_become_links(client):
    from storybrief.service.security import safe_link

    assert safe_link("https://a.example/x") == "https://a.example/x"
    assert (
        safe_link("javascript:alert(1)") is None and safe_link("data:text/html,x") is None and safe_link(None) is None
    )


def test_the_form_adds_pasted_text_and_uploaded_files(client):
    response = client.post(
        "/web/articles",
        data={"text": BRIDGE[0]["text"], "title": BRIDGE[0]["title"], "source": "Coastal Herald"},
        files=[
            ("files", ("courier.txt", BRIDGE[1]["text"].encode(), "text/plain")),
            (
                "files",
                (
                    "radio.html",
                    f"<html><body><article><h1>Radio</h1><p>{BRIDGE[2]['text']}</p></article></body></html>".encode(),
                    "text/html",
                ),
            ),
        ],
        follow_redirects=False,
    )
    assert response.status_code == 303
    story_id = int(response.headers["location"].rsplit("/", 1)[1])
    story = client.get(f"/stories/{story_id}").json()
    assert story["article_count"] == 3
    assert "courier" in story["sources"]
    assert client.get(response.headers["location"]).status_code == 200


def test_the_form_refuses_empty_and_binary_input(client):
    empty = client.post("/web/articles", data={"text": "  "})
    assert empty.status_code == 422 and "Nothing to add" in empty.text
    binary = client.post("/web/articles", files=[("files", ("x.txt", b"\x00\x01\x02" * 100, "text/plain"))])
    assert binary.status_code == 422 and "binary" in binary.text


def test_the_form_refuses_posts_from_other_sites(client):
    response = client.post(
        "/web/articles", data={"text": BRIDGE[0]["text"]}, headers={"Origin": "https://attacker.example"}
    )
    assert response.status_code == 403
    sandboxed = client.post("/web/articles", data={"text": BRIDGE[0]["text"]}, headers={"Origin": "null"})
    assert sandboxed.status_code == 403
    assert client.get("/health").json()["articles"] == 0
    same_site = client.post(
        "/web/articles",
        data={"text": BRIDGE[0]["text"]},
        headers={"Origin": "http://testserver"},
        follow_redirects=False,
    )
    assert same_site.status_code == 303


def test_the_form_needs_the_token_when_one_is_set(make_client):
    client = make_client(token="s3cret")
    assert 'name="token"' in client.get("/").text
    assert client.post("/web/articles", data={"text": BRIDGE[0]["text"]}).status_code == 401
    assert client.post("/web/articles", data={"text": BRIDGE[0]["text"], "token": "nope"}).status_code == 401
    ok = client.post("/web/articles", data={"text": BRIDGE[0]["text"], "token": "s3cret"}, follow_redirects=False)
    assert ok.status_code == 303


def test_missing_pages_are_404(client):
    assert client.get("/web/stories/42").status_code == 404
    assert client.get("/web/articles/42").status_code == 404


def test_the_schema_is_served_and_the_cdn_docs_only_when_asked_for(make_client):
    client = make_client()
    schema = client.get("/openapi.json").json()
    assert {"/articles", "/stories", "/stories/{story_id}", "/summarize", "/health"} <= set(schema["paths"])
    for path in ("/docs", "/redoc"):  # their scripts come from a CDN: blank offline, so off by default
        off = client.get(path)
        assert off.status_code == 404 and "error" in off.json()
    assert 'href="/openapi.json"' in client.get("/").text and 'href="/docs"' not in client.get("/").text
    on = make_client(docs=True)
    assert on.get("/docs").status_code == 200 and on.get("/redoc").status_code == 200
    assert 'href="/docs"' in on.get("/").text


def test_the_form_has_the_same_size_limit(make_client):
    client = make_client(max_body=4096)
    response = client.post("/web/articles", files=[("files", ("big.txt", b"word " * 2000, "text/plain"))])
    assert response.status_code == 413 and "larger than the limit" in response.json()["error"]


def test_a_sentence_its_source_cut_off_ends_in_an_ellipsis_on_the_page_and_is_flagged_in_the_api(client):
    cut = dict(
        BRIDGE[2], text=BRIDGE[2]["text"] + " The ferry company said it would add two more boats to its fleet by"
    )
    story_id = client.post("/articles", json=[BRIDGE[0], cut]).json()["articles"][0]["story_id"]
    sentences = client.get(f"/stories/{story_id}").json()["brief"]["sentences"]
    flagged = [s["text"] for s in sentences if s["cut"]]
    assert flagged == ["The ferry company said it would add two more boats to its fleet by"]
    assert not any(s["cut"] for s in sentences if s["text"] != flagged[0])
    page = client.get(f"/web/stories/{story_id}").text
    assert flagged[0] + '<span class="cut" title="the source stops here">…</span>' in page
