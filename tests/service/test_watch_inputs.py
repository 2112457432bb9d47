"""The inputs of `storybrief watch`: the FEEDS file (OPML or a list), --every, and the command's
one-line errors."""

from __future__ import annotations

import pytest
from feed_server import FeedServer, rss
from service_corpus import BRIDGE
from typer.testing import CliRunner

from storybrief import cli
from storybrief.errors import StoryBriefError
from storybrief.service.watch.feedlist import read_feed_list
from storybrief.service.watch.watcher import parse_every

OPML = """<?xml version="1.0"?>
<!DOCTYPE opml [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<opml version="2.0"><head><title>My feeds</title></head><body>
  <outline text="News">
    <outline text="Herald" type="rss" xmlUrl="https://herald.example/rss"/>
    <outline text="Courier" type="rss" xmlurl="https://courier.example/feed.xml"/>
    <outline text="Herald again" xmlUrl="https://herald.example/rss"/>
    <outline text="Local file" xmlUrl="file:///etc/passwd"/>
    <outline text="Entity" xmlUrl="https://x.example/&amp;secret;"/>
  </outline>
</body></opml>"""


def test_opml_outlines_with_feed_addresses(tmp_path):
    path = tmp_path / "feeds.opml"
    path.write_text(OPML)
    found = read_feed_list(path)
    assert found.urls == ["https://herald.example/rss", "https://courier.example/feed.xml",
                          "https://x.example/&secret;"]
    assert len(found.notes) == 1 and "file:///etc/passwd" in found.notes[0]


def test_a_text_list_skips_comments_and_says_what_it_skipped(tmp_path):
    path = tmp_path / "feeds.txt"
    path.write_text("# my feeds\nhttps://herald.example/rss\n\n  https://courier.example/feed.xml  \nftp://old.example/\n")
    found = read_feed_list(path)
    assert found.urls == ["https://herald.example/rss", "https://courier.example/feed.xml"]
    assert found.notes == [f"{path}, line 5: 'ftp://old.example/' is not an http(s) address, skipped"]


@pytest.mark.parametrize("content, message", [
    (None, "no such file"),
    ("# nothing here\n", "no feed addresses"),
    ("<opml><body><outline", "not readable OPML"),
    # An external entity is refused, never read.
    ('<!DOCTYPE opml [<!ENTITY s SYSTEM "file:///etc/hostname">]><opml><body><outline xmlUrl="&s;"/></body></opml>',
     "not readable OPML .*external entity"),
])
def test_unusable_lists_are_one_line_errors(tmp_path, content, message):
    path = tmp_path / "feeds"
    if content is not None:
        path.write_text(content)
    with pytest.raises(StoryBriefError, match=message):
        read_feed_list(path)


@pytest.mark.parametrize("value, seconds", [("15m", 900), ("1h30m", 5400), ("90s", 90), ("600", 600), ("2h", 7200),
                                            ("0.5m", 30)])
def test_every(value, seconds):
    assert parse_every(value) == seconds


@pytest.mark.parametrize("value", ["", "soon", "15 minutes", "m", "-5m"])
def test_every_refuses_what_is_not_a_duration(value):
    with pytest.raises(StoryBriefError, match="give a duration"):
        parse_every(value)


def test_the_command_reads_feeds_once(tmp_path, monkeypatch):
    server = FeedServer()
    try:
        url = server.set("/feed", body=rss("Coastal Herald", [
            {"title": BRIDGE[0]["title"], "guid": "b0", "link": "http://127.0.0.1/b0", "content": BRIDGE[0]["text"]}]))
        feeds = tmp_path / "feeds.txt"
        feeds.write_text(url + "\n")
        db = f"sqlite:///{tmp_path / 'watch.db'}"
        runner = CliRunner()
        refused = runner.invoke(cli.app, ["watch", str(feeds), "--db", db, "--once"])
        assert refused.exit_code == 0 and "private or loopback" in refused.output and "Traceback" not in refused.output
        result = runner.invoke(cli.app, ["watch", str(feeds), "--db", db, "--once", "--allow-private"])
        assert result.exit_code == 0, result.output
        assert "1 new articles" in result.output
    finally:
        server.stop()


@pytest.mark.parametrize("args, message", [
    (["missing.txt"], "no such file"),
    (["{feeds}", "--every", "soon"], "give a duration"),
    (["{feeds}", "--every", "5s"], "at least 10 s"),
    (["{feeds}", "--db", "mysql://x/y"], "unsupported database"),
])
def test_the_command_fails_in_one_line(tmp_path, args, message):
    feeds = tmp_path / "feeds.txt"
    feeds.write_text("https://herald.example/rss\n")
    result = CliRunner().invoke(cli.app, ["watch", *[a.format(feeds=feeds) for a in args]])
    assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output
