from running_story import LIBRARIES
from story_articles import CHESS, FERRY, article

from storybrief.engines import SerialEngine
from storybrief.stories.briefs import BRIEF_CHUNK, article_fields, brief_key, brief_stories, make_briefs
from storybrief.stories.records import StoryRecord
from storybrief.types import Article

FURNITURE = Article(id="furniture", text="Advertisement\nShow Comments\nShare this article on Facebook")


class CountingEngine(SerialEngine):
    def __init__(self):
        self.chunks = []

    def submit(self, fn, chunk):
        self.chunks.append(chunk)
        return fn(chunk)


class DyingEngine(SerialEngine):
    """Every worker dies: each story comes back through `lost`."""

    def submit(self, fn, chunk):
        return chunk

    def result(self, handle):
        raise RuntimeError("killed")

    def lost_worker(self, exc):
        return True


def test_the_key_changes_with_the_budget_and_the_articles():
    ferry = [article(r) for r in FERRY]
    assert brief_key(60, ferry) == brief_key(60, [article(r) for r in FERRY])
    assert brief_key(60, ferry) != brief_key(40, ferry)
    assert brief_key(60, ferry) != brief_key(60, ferry[:2])
    assert article_fields(ferry[0]) == {"text": FERRY[0][3], "id": "ferry-1", "title": "", "source": "Coastal Herald",
                                        "path": "", "url": "", "published": FERRY[0][2]}


def test_briefs_are_kept_in_their_records_and_made_again_only_when_stale():
    ferry, chess = StoryRecord("s1", rows=[0]), StoryRecord("s2", rows=[1])
    jobs = [(ferry, [article(r) for r in FERRY]), (chess, [article(r) for r in CHESS])]
    engine = CountingEngine()
    first = list(make_briefs(jobs, 50, engine))
    assert [(story_id, error) for story_id, _, error in first] == [("s1", ""), ("s2", "")]
    assert all(made.words <= 50 and made.sentences for _, made, _ in first)
    assert ferry.brief == first[0][1].to_dict() and ferry.brief_key == brief_key(50, jobs[0][1])
    engine.chunks.clear()
    assert list(make_briefs(jobs, 50, engine)) == first  # from the records
    assert engine.chunks == []
    stale = [(ferry, jobs[0][1][:2]), jobs[1]]
    again = list(make_briefs(stale, 50, engine))
    assert [[job[0] for job in chunk] for chunk in engine.chunks] == [["s1"]]  # only the story that changed
    assert again[1] == first[1] and ferry.brief_key == brief_key(50, stale[0][1])


def test_stories_are_sent_in_chunks_and_failures_come_back_as_reasons():
    records = [StoryRecord(f"s{k}", rows=[k]) for k in range(BRIEF_CHUNK + 1)]
    engine = CountingEngine()
    jobs = [(r, [article(FERRY[0])]) for r in records[:-1]] + [(records[-1], [FURNITURE])]
    made = list(make_briefs(jobs, 40, engine))
    assert [len(chunk) for chunk in engine.chunks] == [BRIEF_CHUNK, 1]
    story_id, brief, reason = made[-1]
    assert story_id == records[-1].id and brief is None and reason and records[-1].brief is None
    [(_, none, why)] = brief_stories([("s9", 40, [article_fields(FURNITURE)])])
    assert none is None and why == reason


def test_a_story_whose_worker_dies_gets_a_reason_not_an_exception():
    record = StoryRecord("s1", rows=[0])
    [(story_id, brief, reason)] = list(make_briefs([(record, [article(r) for r in FERRY])], 40, DyingEngine()))
    assert (story_id, brief) == ("s1", None) and "worker died" in reason and "killed" in reason


def test_a_brief_comes_with_its_timeline_and_an_update_once_the_story_gains_articles():
    plan = [Article(id=i, source=s, published=p, text=t) for i, s, p, t in LIBRARIES[:3]]
    record = StoryRecord("s1", rows=[0])
    [(_, first, _)] = make_briefs([(record, plan[:2])], 60)
    assert record.brief_articles == ["plan-1", "plan-2"] and record.update is None  # nothing earlier
    assert [event["articles"] for event in record.timeline] == [["plan-1", "plan-2"]]
    [(_, second, _)] = make_briefs([(record, plan)], 60)
    update = record.update
    assert update is not None and update["since"] == "2025-04-01T15:30:00Z"  # the newest article read before
    # Only what the new article says, cited to it, and nothing the first brief said.
    assert update["sentences"] and all(s["text"] in LIBRARIES[2][3] for s in update["sentences"])
    assert [s["name"] for s in update["sources"]] == ["Radio Brack"]
    assert not {s["text"] for s in update["sentences"]} & {s.text for s in first.sentences}
    assert record.brief_articles == ["plan-1", "plan-2", "plan-3"] and second.sentences
    make_briefs_again = list(make_briefs([(record, plan)], 40))  # another budget, no new article: no news
    assert make_briefs_again[0][1] is not None and record.update is None


def test_a_kept_brief_without_a_timeline_is_made_again_with_one():
    ferry = [article(r) for r in FERRY]
    record = StoryRecord("s1", rows=[0])
    list(make_briefs([(record, ferry)], 50))
    record.timeline = None  # as a state folder saved before timelines existed
    engine = CountingEngine()
    list(make_briefs([(record, ferry)], 50, engine))
    assert len(engine.chunks) == 1 and record.timeline and record.update is None
