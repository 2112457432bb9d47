import gzip
import json

import pytest
from story_articles import CHESS, FERRY, VOLCANO

from storybrief.errors import InputError
from storybrief.io.pile import html_to_text, normalise_date, read_pile

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
<title>Bay Courier &amp; Friends</title><link>https://baycourier.example/</link>
<item>
  <title>Ferry strike &ndash; day one</title>
  <link>https://baycourier.example/ferry-strike</link>
  <guid>https://baycourier.example/ferry-strike</guid>
  <pubDate>Mon, 03 Mar 2025 11:30:00 +0000</pubDate>
  <description><![CDATA[<p>{text}</p><script>alert("tracking")</script>\
<p>Caf&eacute; owners &amp; shop keepers were &quot;worried&quot;.</p>]]></description>
</item>
<item>
  <title>Empty teaser</title>
  <link>https://baycourier.example/empty</link>
  <description></description>
</item>
</channel></rss>
""".format(text=FERRY[1][3])

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Northern Press Agency</title>
  <entry>
    <title>Skarvatn erupts</title>
    <id>urn:npa:volcano-1</id>
    <link href="https://npa.example/volcano"/>
    <updated>2025-03-03T09:00:00Z</updated>
    <content type="html">&lt;p&gt;{text}&lt;/p&gt;&lt;script&gt;document.write('ad')&lt;/script&gt;</content>
  </entry>
</feed>
""".format(text=VOLCANO[0][3])


def test_rss_entities_and_scripts(tmp_path):
    feed = tmp_path / "courier.rss"
    feed.write_text(RSS, encoding="utf-8")
    pile = read_pile([feed])
    (entry,) = pile.articles
    assert entry.id == "https://baycourier.example/ferry-strike"
    assert entry.title == "Ferry strike – day one"
    assert entry.source == "Bay Courier & Friends"
    assert entry.published == "2025-03-03T11:30:00Z"
    assert 'Café owners & shop keepers were "worried".' in entry.text
    assert "alert" not in entry.text and "tracking" not in entry.text and "<" not in entry.text
    assert any("Empty teaser" in n and "no text" in n for n in pile.notes)


def test_atom_feed_in_a_folder_with_text_files(tmp_path):
    (tmp_path / "npa.atom").write_text(ATOM, encoding="utf-8")
    (tmp_path / "chess.txt").write_text(CHESS[0][3], encoding="utf-8")
    pile = read_pile([tmp_path])
    by_id = {a.id: a for a in pile.articles}
    assert set(by_id) == {"urn:npa:volcano-1", "chess"}
    assert "document.write" not in by_id["urn:npa:volcano-1"].text
    assert by_id["urn:npa:volcano-1"].source == "Northern Press Agency"


def test_empty_feed_is_a_clear_error_when_it_is_all_there_is(tmp_path):
    feed = tmp_path / "empty.xml"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title></channel></rss>', encoding="utf-8"
    )
    with pytest.raises(InputError, match="empty feed"):
        read_pile([feed])
    blank = tmp_path / "blank.rss"
    blank.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="no articles"):
        read_pile([blank])


def test_empty_feed_beside_good_input_is_a_note(tmp_path):
    (tmp_path / "empty.rss").write_text(
        '<rss version="2.0"><channel><title>Quiet</title></channel></rss>', encoding="utf-8"
    )
    (tmp_path / "chess.txt").write_text(CHESS[0][3], encoding="utf-8")
    pile = read_pile([tmp_path])
    assert [a.id for a in pile.articles] == ["chess"]
    assert any("empty feed" in n for n in pile.notes)


def test_jsonl_bad_lines_are_skipped_and_named(tmp_path):
    lines = [
        json.dumps(
            {
                "id": FERRY[0][0],
                "text": FERRY[0][3],
                "url": "https://www.herald.example/a",
                "published": "Mon, 03 Mar 2025 08:00:00 GMT",
            }
        ),
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"id": "no-text", "title": "Only a title"}),
        "",
        json.dumps({"id": FERRY[1][0], "text": FERRY[1][3], "source": "Bay Courier"}),
    ]
    path = tmp_path / "articles.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as stream:
        stream.write("\n".join(lines) + "\n")
    pile = read_pile([path])
    assert [a.id for a in pile.articles] == ["ferry-1", "ferry-2"]
    assert pile.articles[0].source == "herald.example"
    assert pile.articles[0].published == "2025-03-03T08:00:00Z"
    assert any(":2: malformed JSON" in n for n in pile.notes)
    assert any(":3: expected a JSON object" in n for n in pile.notes)
    assert any(":4:" in n and "no-text" in n for n in pile.notes)


def test_duplicate_ids_renamed_exact_repeats_kept_once(tmp_path):
    path = tmp_path / "a.jsonl"
    records = [
        {"id": "x", "text": FERRY[0][3]},
        {"id": "x", "text": FERRY[0][3]},
        {"id": "x", "text": CHESS[0][3]},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    pile = read_pile([path])
    assert [a.id for a in pile.articles] == ["x", "x~2"]
    assert any("kept once" in n for n in pile.notes) and any("renamed x~2" in n for n in pile.notes)


def test_missing_path_is_an_error(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_pile([tmp_path / "nope.jsonl"])


def test_html_to_text_and_dates():
    assert html_to_text("<p>One &amp; two</p><style>p{}</style><p>three</p>") == "One & two\nthree"
    assert html_to_text("caf&eacute;") == "café"
    assert normalise_date("2025-03-03") == "2025-03-03T00:00:00Z"
    assert normalise_date("2025-03-03T10:00:00+02:00") == "2025-03-03T08:00:00Z"
    assert normalise_date("last Tuesday") == ""
