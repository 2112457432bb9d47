import json

from running_story import LIBRARIES
from story_articles import CHESS, FERRY, UNRELATED, VOLCANO, WIRE_COPY
from typer.testing import CliRunner

from storybrief.cli import app

runner = CliRunner()


def write_jsonl(path, records):
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records), encoding="utf-8")
    return path


def record(r):
    return {"id": r[0], "source": r[1], "published": r[2], "text": r[3]}


def test_stories_to_jsonl(tmp_path):
    source = write_jsonl(tmp_path / "in.jsonl", [record(r) for r in FERRY + VOLCANO + CHESS + [WIRE_COPY]])
    out = tmp_path / "stories.jsonl"
    result = runner.invoke(app, ["stories", str(source), "--out", str(out), "--words", "50"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 3
    for line in lines:
        assert set(line) >= {"id", "label", "articles", "sources", "start", "end", "brief"}
        assert line["brief"]["words"] <= 50
    volcano = next(line for line in lines if "volcano-1" in line["articles"])
    assert WIRE_COPY[0] in volcano["articles"] and WIRE_COPY[1] in volcano["sources"]


def test_stories_markdown_and_text_on_stdout(tmp_path):
    source = write_jsonl(tmp_path / "in.jsonl", [record(r) for r in FERRY + CHESS])
    markdown = runner.invoke(app, ["stories", str(source), "--format", "markdown", "--words", "40"])
    assert markdown.exit_code == 0, markdown.output
    assert markdown.output.count("\n## ") + markdown.output.startswith("## ") == 2
    text = runner.invoke(app, ["stories", str(source), "--words", "40", "--no-brief"])
    assert text.exit_code == 0 and "(no brief)" in text.output


def test_bad_lines_are_notes_and_the_rest_is_grouped(tmp_path):
    lines = [record(FERRY[0]), "{oops", {"id": "blank", "text": ""}, record(FERRY[1])]
    source = write_jsonl(tmp_path / "in.jsonl", lines)
    result = runner.invoke(app, ["stories", str(source), "--format", "json", "--no-brief"])
    assert result.exit_code == 0, result.output
    assert "malformed JSON" in result.output and "blank" in result.output
    assert "2 articles in 1 story" in result.output


def test_missing_input_and_empty_feed_fail_cleanly(tmp_path):
    missing = runner.invoke(app, ["stories", str(tmp_path / "nope.rss")])
    assert missing.exit_code == 1 and "error:" in missing.output and "Traceback" not in missing.output
    feed = tmp_path / "empty.rss"
    feed.write_text('<rss version="2.0"><channel><title>Quiet</title></channel></rss>', encoding="utf-8")
    empty = runner.invoke(app, ["stories", str(feed)])
    assert empty.exit_code == 1 and "empty feed" in empty.output


def test_state_keeps_story_ids_across_runs(tmp_path):
    state = tmp_path / "state"
    first_in = write_jsonl(tmp_path / "one.jsonl", [record(r) for r in FERRY[:2] + CHESS[:1]])
    second_in = write_jsonl(tmp_path / "two.jsonl", [record(r) for r in [FERRY[2], CHESS[1], UNRELATED]])
    first_out, second_out = tmp_path / "one-out.jsonl", tmp_path / "two-out.jsonl"
    first = runner.invoke(app, ["stories", str(first_in), "--state", str(state), "--out", str(first_out), "--no-brief"])
    assert first.exit_code == 0
    result = runner.invoke(app, ["stories", str(second_in), "--state", str(state), "--out", str(second_out),
                                 "--no-brief"])
    assert result.exit_code == 0, result.output
    before = {s["id"]: set(s["articles"]) for s in map(json.loads, first_out.read_text().splitlines())}
    after = {s["id"]: set(s["articles"]) for s in map(json.loads, second_out.read_text().splitlines())}
    assert len(after) == len(before) + 1
    for story_id, ids in before.items():
        assert ids < after[story_id]
    (new_id,) = set(after) - set(before)
    assert after[new_id] == {UNRELATED[0]}
    assert "(1 new)" in result.output


def test_single_article_gets_a_story_and_a_brief(tmp_path):
    source = tmp_path / "one.txt"
    source.write_text(UNRELATED[3], encoding="utf-8")
    result = runner.invoke(app, ["stories", str(source), "--format", "json", "--words", "30"])
    assert result.exit_code == 0, result.output
    (line,) = [json.loads(x) for x in result.output.splitlines() if x.startswith("{")]
    assert line["articles"] == ["one"] and line["brief"]["sentences"]


def test_briefs_made_by_worker_processes_are_the_same(tmp_path):
    source = write_jsonl(tmp_path / "in.jsonl", [record(r) for r in FERRY + VOLCANO + CHESS + [WIRE_COPY]])
    outputs = []
    for workers in ("1", "2"):
        out = tmp_path / f"stories-{workers}.jsonl"
        result = runner.invoke(app, ["stories", str(source), "--out", str(out), "--words", "50", "--workers", workers])
        assert result.exit_code == 0, result.output
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert all(json.loads(line)["brief"]["sentences"] for line in outputs[1].decode().splitlines())


def test_negative_workers_is_a_one_line_error(tmp_path):
    source = write_jsonl(tmp_path / "in.jsonl", [record(r) for r in FERRY])
    result = runner.invoke(app, ["stories", str(source), "--workers", "-1"])
    assert result.exit_code == 1 and "--workers" in result.output


def test_a_rerun_with_state_says_what_is_new_in_a_story_that_gained_articles(tmp_path):
    state = tmp_path / "state"
    first_in = write_jsonl(tmp_path / "one.jsonl", [record(r) for r in LIBRARIES[:2]] + [record(UNRELATED)])
    second_in = write_jsonl(tmp_path / "two.jsonl", [record(LIBRARIES[2])])
    first_out, second_out = tmp_path / "one-out.jsonl", tmp_path / "two-out.jsonl"
    assert runner.invoke(app, ["stories", str(first_in), "--state", str(state), "--out", str(first_out)]).exit_code == 0
    first = {s["id"]: s for s in map(json.loads, first_out.read_text().splitlines())}
    assert all(s["update"] is None and s["timeline"] for s in first.values())
    result = runner.invoke(app, ["stories", str(second_in), "--state", str(state), "--out", str(second_out)])
    assert result.exit_code == 0, result.output
    second = {s["id"]: s for s in map(json.loads, second_out.read_text().splitlines())}
    (grown,) = [s for s in second.values() if "plan-3" in s["articles"]]
    (quiet,) = [s for s in second.values() if UNRELATED[0] in s["articles"]]
    assert quiet["update"] is None
    update = grown["update"]
    assert update["since"] == LIBRARIES[1][2] and update["sentences"]
    assert all(s["text"] in LIBRARIES[2][3] and s["sources"] == [1] for s in update["sentences"])
    earlier = {s["text"] for s in first[grown["id"]]["brief"]["sentences"]}
    assert not earlier & {s["text"] for s in update["sentences"]}
    assert {event["date"] for event in grown["timeline"]} == {"2025-04-01"}
    # The text output shows the timeline and the news.
    third_in = write_jsonl(tmp_path / "three.jsonl", [record(LIBRARIES[3])])
    shown = runner.invoke(app, ["stories", str(third_in), "--state", str(state)])
    assert shown.exit_code == 0 and "Timeline:" in shown.output
    markdown = runner.invoke(app, ["stories", str(second_in), "--state", str(state), "--format", "markdown"])
    assert markdown.exit_code == 0 and "**Timeline**" in markdown.output and "New since" not in markdown.output


QUAKE = [
    "A strong earthquake shook the coastal city of Varn, cracking walls in the old harbour district. Rescue teams "
    "searched collapsed warehouses near the port while aftershocks rattled the seafront. The regional seismology "
    "institute measured the tremor at magnitude 6.1 beneath the bay.",
    "Residents of Varn spent the night outdoors after the earthquake damaged the harbour district. The seismology "
    "institute warned of further aftershocks and engineers inspected the port cranes. Rescue teams pulled two dock "
    "workers alive from a collapsed warehouse.",
]
INQUIRY = [
    "An inquiry into the Varn earthquake found that the harbour warehouses ignored building codes. The report on the "
    "collapse of the port buildings blames inspectors who approved the warehouses. Rescue teams had searched the "
    "collapsed warehouses near the port for days after the earthquake.",
    "Inspectors approved unsafe warehouses in Varn's harbour district before the earthquake, the inquiry said. The "
    "report calls for the port buildings to be rebuilt to the building codes. The earthquake cracked walls across "
    "the harbour district and aftershocks rattled the seafront.",
]


def test_a_follow_up_months_later_is_a_related_story_in_every_output(tmp_path):
    records = [{"id": f"q{k}", "source": f"o{k}", "published": "2026-03-02", "text": t} for k, t in enumerate(QUAKE)]
    records += [{"id": f"i{k}", "source": f"o{k}", "published": "2026-06-02", "text": t} for k, t in enumerate(INQUIRY)]
    source = write_jsonl(tmp_path / "in.jsonl", records)
    result = runner.invoke(app, ["stories", str(source), "--format", "json", "--no-brief"])
    assert result.exit_code == 0, result.output
    lines = {tuple(line["articles"]): line for line in map(json.loads, result.stdout.splitlines())}
    quake, inquiry = lines[("q0", "q1")], lines[("i0", "i1")]
    assert quake["related"] == [inquiry["id"]] and inquiry["related"] == [quake["id"]]
    text = runner.invoke(app, ["stories", str(source), "--no-brief"])
    assert f"Related stories: {inquiry['id']}" in text.stdout
    markdown = runner.invoke(app, ["stories", str(source), "--no-brief", "--format", "markdown"])
    assert f"Related stories: `{quake['id']}`" in markdown.stdout
    # The deprecated hard window is still accepted; 0 is the default (no cap).
    same = runner.invoke(app, ["stories", str(source), "--format", "json", "--no-brief", "--window-days", "0"])
    assert same.exit_code == 0 and same.stdout == result.stdout
