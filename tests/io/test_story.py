import codecs
import gzip
import json
from pathlib import Path

import pytest

from storybrief.errors import InputError
from storybrief.io.story import decode, load, read_path, split_multinews
from storybrief.types import Article

PROSE = "The council met on Monday to discuss the new budget. Members agreed to raise spending on schools."


def test_multinews_separator_gives_one_article_per_part():
    articles = load(f"{PROSE} ||||| Second outlet wrote about the same budget vote today. |||||  ")
    assert [a.id for a in articles] == ["1", "2"]
    assert articles[1].text.startswith("Second outlet")
    assert split_multinews("a ||||| ||||| b") == ["a", "b"]


def test_folder_reads_text_markdown_and_html_sorted(tmp_path: Path):
    (tmp_path / "b.md").write_text(PROSE)
    (tmp_path / "a.txt").write_text(PROSE)
    (tmp_path / "c.html").write_text(
        "<html><head><title>Budget vote</title></head><body><article><h1>Budget vote</h1>"
        f"<p>{PROSE}</p><p>The mayor welcomed the decision and thanked the members for their work.</p>"
        "</article></body></html>"
    )
    (tmp_path / "image.png").write_bytes(b"\x89PNG\x00\x00")
    (tmp_path / ".hidden.txt").write_text(PROSE)
    articles = read_path(tmp_path)
    assert [Path(a.path).name for a in articles] == ["a.txt", "b.md", "c.html"]
    html = articles[2]
    assert html.title == "Budget vote"
    assert "<p>" not in html.text and "raise spending on schools" in html.text


@pytest.mark.parametrize(
    "data, expected",
    [
        ("café crème".encode("utf-8"), "café crème"),
        (codecs.BOM_UTF8 + "naïve".encode("utf-8"), "naïve"),
        ("über 20 Grad".encode("utf-16"), "über 20 Grad"),
        ("déjà vu, façade".encode("cp1252"), "déjà vu, façade"),
        ("“quoted” – dash".encode("cp1252"), "“quoted” – dash"),
    ],
)
def test_decode_detects_encodings(data: bytes, expected: str):
    assert decode(data) == expected


def test_binary_and_empty_files_are_refused(tmp_path: Path):
    (tmp_path / "blob.txt").write_bytes(bytes(range(256)) * 20)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("  \n\n ")
    with pytest.raises(InputError, match="binary"):
        read_path(tmp_path / "blob.txt")
    for name in ("empty.txt", "blank.txt"):
        with pytest.raises(InputError, match="empty"):
            read_path(tmp_path / name)


def test_missing_path_and_empty_folder(tmp_path: Path):
    with pytest.raises(InputError, match="no such file"):
        read_path(tmp_path / "missing.txt")
    with pytest.raises(InputError, match="no .txt"):
        read_path(tmp_path)


def test_oversized_file_is_refused_with_its_size(tmp_path: Path, monkeypatch):
    monkeypatch.setattr("storybrief.io.story.MAX_BYTES", 1000)
    big = tmp_path / "big.txt"
    big.write_text(PROSE * 50)
    with pytest.raises(InputError, match=r"too large.*STORYBRIEF_MAX_BYTES"):
        read_path(big)


def test_jsonl_articles_and_gzip(tmp_path: Path):
    lines = [
        json.dumps({"id": "x1", "text": PROSE, "title": "Vote", "source": "Gazette"}),
        "",
        json.dumps({"documents": [PROSE, PROSE + " Again."], "id": "c"}),
    ]
    path = tmp_path / "arts.jsonl.gz"
    with gzip.open(path, "wt") as f:
        f.write("\n".join(lines))
    articles = read_path(path)
    assert [a.id for a in articles] == ["x1", "c#1", "c#2"]
    assert articles[0].title == "Vote" and articles[0].source == "Gazette"


def test_malformed_jsonl_names_the_line(tmp_path: Path):
    path = tmp_path / "arts.jsonl"
    path.write_text(json.dumps({"text": PROSE}) + "\n{not json\n")
    with pytest.raises(InputError, match=r"arts.jsonl:2: malformed JSON"):
        read_path(path)


def test_ids_are_unique_and_articles_pass_through():
    mine = Article(text=PROSE, id="same")
    articles = load([mine, Article(text=PROSE, id="same"), PROSE])
    assert [a.id for a in articles] == ["same", "same~2", "3"]
    assert articles[0] is mine


def test_a_renamed_id_never_takes_an_id_given_in_the_input():
    articles = load([Article(text=PROSE, id="x"), Article(text=PROSE, id="x~2"), Article(text=PROSE, id="x")])
    assert [a.id for a in articles] == ["x", "x~2", "x~3"]


def test_nothing_to_load():
    with pytest.raises(InputError):
        load(["   ", "|||||"])


def test_markdown_is_read_as_prose(tmp_path: Path):
    (tmp_path / "story.md").write_text(
        "# Council backs budget\n\n![chart](img.png)\n\n"
        "The council **approved** the budget on [Monday](http://example.org/monday).\n\n"
        "- Schools get more money this year than last year.\n\n---\n\n"
        "> The mayor called it _a fair deal_ for the town.\n"
    )
    [article] = read_path(tmp_path / "story.md")
    assert article.title == "Council backs budget"
    assert "The council approved the budget on Monday." in article.text
    assert "Schools get more money" in article.text and "The mayor called it a fair deal for the town." in article.text
    for syntax in ("**", "](", "![", "# ", "---", "> "):
        assert syntax not in article.text


def test_short_texts_are_not_mistaken_for_paths(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "Watch").write_text("a file that shares its name with a one-word article")
    (tmp_path / "story.txt").write_text(PROSE)
    articles = load([".", "Watch", "story.txt", str(tmp_path)])
    assert [a.text for a in articles[:2]] == [".", "Watch"]
    assert articles[2].path == "story.txt"
    assert sorted(Path(a.path).name for a in articles[3:]) == ["Watch", "story.txt"]
