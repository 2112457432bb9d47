"""Pages for reading: compact index cards, sorting, the story page's legend, disagreements, cited sources
and paginated articles."""

from __future__ import annotations

import re

from service_corpus import BRIDGE, CHESS, DROUGHT

from storybrief.service.routers import web

DISAGREEING = dict(
    BRIDGE[1], text=BRIDGE[1]["text"] + " The council estimates that the bridge repairs will cost 5.1 million dollars."
)


def cards(html: str) -> list[str]:
    return re.findall(r'<article class="story card".*?</article>', html, flags=re.S)


def test_index_cards_show_two_sentences_and_link_to_the_rest(client):
    story_id = client.post("/articles", json=BRIDGE).json()["articles"][0]["story_id"]
    sentences = client.get(f"/stories/{story_id}").json()["brief"]["sentences"]
    assert len(sentences) > 2
    [card] = cards(client.get("/").text)
    assert card.count('<li class="sentence') == 2
    assert f'href="/web/stories/{story_id}">Read the whole brief' in card
    assert "3 articles · Coastal Herald, Bay Courier, Radio Ellison" in card


def test_the_index_is_paged_and_each_card_says_when(client, monkeypatch):
    client.post("/articles", json=[CHESS[0]])
    client.post("/articles", json=[DROUGHT[0]])
    monkeypatch.setattr(web, "PER_PAGE", 1)
    first, second = client.get("/").text, client.get("/?page=2").text
    titles = [re.search(r"<h2><a [^>]*>([^<]*)</a>", c).group(1) for html in (first, second) for c in cards(html)]
    assert titles == [DROUGHT[0]["title"], CHESS[0]["title"]]
    assert "page 1 of 2" in first and 'href="/?q=&amp;sort=newest&amp;page=2"' in first
    assert "page 2 of 2" in second and 'href="/?q=&amp;sort=newest&amp;page=1"' in second
    # The card's time line: the day (or span of days) and when it was last updated.
    assert re.search(r"1 article · Northern Press · \d\d \w{3} \d{4}(?: – \d\d \w{3} \d{4})?, updated \d\d:\d\d UTC",
                     cards(second)[0])


def test_sorting_by_size(client):
    client.post("/articles", json=[CHESS[0]])
    client.post("/articles", json=BRIDGE)
    client.post("/articles", json=[DROUGHT[0]])
    newest = [re.search(r"<h2><a [^>]*>([^<]*)</a>", c).group(1) for c in cards(client.get("/").text)]
    biggest = [re.search(r"<h2><a [^>]*>([^<]*)</a>", c).group(1) for c in cards(client.get("/?sort=biggest").text)]
    bridge_titles = {b["title"] for b in BRIDGE}  # the story is named by the grouping's label, one of them
    assert newest[0] == DROUGHT[0]["title"] and biggest[0] in bridge_titles
    assert client.get("/?sort=loudest").status_code == 422
    assert [s["title"] for s in client.get("/stories", params={"sort": "biggest", "briefs": False}).json()["stories"]][
        0
    ] == biggest[0]


def test_the_story_page_shows_disagreements_and_the_single_source_legend(client):
    story_id = client.post("/articles", json=[BRIDGE[0], DISAGREEING, BRIDGE[2]]).json()["articles"][0]["story_id"]
    brief = client.get(f"/stories/{story_id}").json()["brief"]
    assert brief["disagreements"] and any(s["single_source"] for s in brief["sentences"])
    page = client.get(f"/web/stories/{story_id}").text
    assert "Where the sources disagree" in page
    # Which of the two figures the brief states is the scorer's choice; the other outlet is the disagreement.
    assert re.search(r"Bay Courier</a>\s*says 5\.1 where the brief says 4\.2", page) or re.search(
        r"Coastal Herald</a>\s*says 4\.2 where the brief says 5\.1", page)
    assert 'class="legend"' in page and "reported by one source only" in page


def test_sources_of_the_brief_are_the_cited_ones_and_articles_are_paged(make_client, monkeypatch):
    client = make_client(words=12)  # a one-sentence brief: not every article is cited
    # A fourth report of the closure that shares no fact with the others: whichever sentence the
    # brief takes, some article does not carry it.
    traders = {
        "title": "Harbour bridge closure worries Eastport traders",
        "source": "Eastport Shopper",
        "text": "Shops near the harbour bridge in Eastport expect fewer customers while the bridge is closed "
        "for repairs, the traders' association said. Several cafes by the bridge plan discounts for ferry "
        "passengers during the closure.",
    }
    results = client.post("/articles", json=[*BRIDGE, traders]).json()["articles"]
    assert len({r["story_id"] for r in results}) == 1
    story_id = results[0]["story_id"]
    data = client.get(f"/stories/{story_id}").json()["brief"]
    cited = {n for s in data["sentences"] for n in s["sources"]}
    assert 0 < len(cited) < len(data["sources"])
    page = client.get(f"/web/stories/{story_id}").text
    listed = re.search(r'<ol class="sources">(.*?)</ol>', page, flags=re.S).group(1)
    assert listed.count("<li") == len(cited)
    monkeypatch.setattr(web, "ARTICLES_PER_PAGE", 2)
    first = client.get(f"/web/stories/{story_id}").text
    second = client.get(f"/web/stories/{story_id}?page=2").text
    articles = lambda html: re.findall(r'<ul class="articles">(.*?)</ul>', html, flags=re.S)[0].count("<li>")  # noqa: E731
    assert (articles(first), articles(second)) == (2, 2)
    assert "articles page 1 of 2" in first and f'href="/web/stories/{story_id}?page=2#articles"' in first


def test_the_favicon_is_served(client):
    assert 'rel="icon" href="/static/favicon.svg"' in client.get("/").text
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200 and icon.text.startswith("<svg")


def test_the_article_page_shows_the_cleaned_text_and_the_raw_behind_a_link(client):
    raw = (
        "Home / News / Local\n\nHarbour bridge shut for six weeks\n\n"
        + BRIDGE[0]["text"]
        + "\n\nShow Comments\n\nAsia & AmericasEurope & RussiaNews"
    )
    [result] = client.post("/articles", json={"text": raw, "source": "Coastal Herald"}).json()["articles"]
    assert client.get(f"/articles/{result['id']}").json()["title"] == "Harbour bridge shut for six weeks"
    cleaned = client.get(f"/web/articles/{result['id']}").text
    body = re.search(r'<div class="text">(.*?)</div>', cleaned, flags=re.S).group(1)
    assert "steel girders" in body and "Show Comments" not in body and "Home / News" not in body
    assert f'href="/web/articles/{result["id"]}?raw=1"' in cleaned
    received = re.search(
        r'<div class="text">(.*?)</div>', client.get(f"/web/articles/{result['id']}?raw=1").text, flags=re.S
    ).group(1)
    assert "Show Comments" in received and "Home / News / Local" in received
