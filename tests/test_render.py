import json

from storybrief.types import Brief, BriefSentence, Source


def _brief():
    return Brief(
        sentences=[
            BriefSentence("The bridge closed on Tuesday.", [1, 2], 2, {"article": 1, "index": 0}),
            BriefSentence("Shops fear <b>losses</b> [see](http://x).", [2], 1, {"article": 2, "index": 3}),
        ],
        sources=[Source(1, "Bridge shut", "a.txt", 300), Source(2, "", "b.txt", 200, name="Radio")],
        words=10,
        method="centroid",
        budget=50,
        disagreements=[{"sentence": 0, "source": 2, "text": "It closed on Monday.", "figures": [["1"], ["2"]]}],
    )


def test_json_schema_is_stable():
    data = json.loads(_brief().to_json())
    assert set(data) >= {"sentences", "sources", "words", "method"}
    assert data["sentences"][0] == {
        "text": "The bridge closed on Tuesday.",
        "sources": [1, 2],
        "support": 2,
        "origin": {"article": 1, "index": 0},
        "cut": False,
        "evidence": {},
        "date": "",
    }
    assert data["off_topic"] == []
    assert data["sources"][1] == {"id": 2, "title": "", "path": "b.txt", "words": 200, "name": "Radio"}
    assert data["single_source"] == [1]


def test_text_lists_citations_sources_and_single_source_facts():
    text = _brief().to_text()
    assert "The bridge closed on Tuesday. [1, 2]" in text
    assert "[1] Bridge shut (a.txt)" in text and "[2] Radio" in text
    assert "one source only: sentence 2" in text
    assert "Sources differ on sentence 1" in text


def test_markdown_footnotes_and_untrusted_text_is_escaped():
    md = _brief().to_markdown()
    assert "- The bridge closed on Tuesday. [^1][^2]" in md
    assert "[^1]: Bridge shut (a.txt)" in md
    assert "<b>" not in md and "\\<b\\>" in md and "\\[see\\]" in md
    assert "*(one source)*" in md


def test_from_dict_inverts_to_dict():
    brief = _brief()
    brief.warnings = ["one article only"]
    assert Brief.from_dict(json.loads(brief.to_json())) == brief


def test_a_sentence_its_source_cut_off_is_shown_with_an_ellipsis_and_kept_verbatim_in_data():
    brief = _brief()
    brief.sentences.append(
        BriefSentence("The repairs will cost the city about", [1], 1, {"article": 1, "index": 9}, cut=True)
    )
    assert "The repairs will cost the city about… [1]" in brief.to_text()
    assert "- The repairs will cost the city about… [^1]" in brief.to_markdown()
    assert "The bridge closed on Tuesday. [1, 2]" in brief.to_text()  # whole sentences unchanged
    data = json.loads(brief.to_json())
    assert data["sentences"][-1]["text"] == "The repairs will cost the city about" and data["sentences"][-1]["cut"]
    assert Brief.from_dict(data) == brief


def test_a_stored_brief_from_before_the_cut_flag_still_loads():
    data = json.loads(_brief().to_json())
    for sentence in data["sentences"]:
        del sentence["cut"]
    assert Brief.from_dict(data) == _brief()


def test_off_topic_articles_are_listed_and_kept_through_json():
    brief = _brief()
    brief.sources.append(Source(3, "Frog found in Borneo", "c.txt", 100))
    brief.off_topic = [3]
    assert "Set aside as off topic (no sentence taken): [3] Frog found in Borneo (c.txt)" in brief.to_text()
    assert "Set aside as off topic" in brief.to_markdown() and "Frog found in Borneo" in brief.to_markdown()
    assert Brief.from_dict(json.loads(brief.to_json())).off_topic == [3]
    assert "off topic" not in _brief().to_text()


def test_a_day_is_shown_where_it_changes():
    brief = _brief()
    brief.sentences[0].date, brief.sentences[1].date = "2016-11-14", "2017-01-21"
    brief.sentences.append(BriefSentence("Talks were planned.", [1], 1, {"article": 1, "index": 2}, date="2017-01-21"))
    lines = brief.to_text().splitlines()
    assert lines[0].startswith("(14 Nov 2016) The bridge closed")
    assert lines[1].startswith("(21 Jan 2017) Shops fear")
    assert lines[2].startswith("Talks were planned.")
    assert "- **14 Nov 2016:** The bridge closed" in brief.to_markdown()
    assert Brief.from_dict(json.loads(brief.to_json())).sentences[1].date == "2017-01-21"
    assert not _brief().to_text().startswith("(")  # undated briefs show no day


def _evidence_brief():
    brief = _brief()
    brief.sentences[0].evidence = {
        1: {"article": 1, "index": 0, "text": "The bridge closed on Tuesday."},
        2: {"article": 2, "index": 4, "text": "On Tuesday the *bridge* was shut."},
    }
    brief.disagreements = [
        {
            "sentence": 0,
            "source": 2,
            "text": "It closed after 162 people were hurt.",
            "kind": "figures",
            "values": [["about 180 people"], ["162 people"]],
            "claim_source": 1,
            "published": {"1": "1998-10-30", "2": "1998-10-31"},
        }
    ]
    return brief


def test_evidence_travels_in_json_and_back():
    data = json.loads(_evidence_brief().to_json())
    expected = {"article": 2, "index": 4, "text": "On Tuesday the *bridge* was shut."}
    assert data["sentences"][0]["evidence"]["2"] == expected
    again = Brief.from_dict(data)
    assert again.sentences[0].evidence[2]["index"] == 4 and again.sentences[1].evidence == {}


def test_evidence_is_shown_on_request_only():
    brief = _evidence_brief()
    assert "sentence 5" not in brief.to_text()
    text = brief.to_text(evidence=True)
    assert "    [2] sentence 5: On Tuesday the *bridge* was shut." in text
    md = brief.to_markdown(evidence=True)
    assert "    - [2] sentence 5: On Tuesday the \\*bridge\\* was shut." in md


def test_a_disagreement_says_who_says_what_and_when():
    text = _evidence_brief().to_text()
    assert "[2] (1998-10-31) says 162 people, [1] (1998-10-30) says about 180 people (figures)" in text
