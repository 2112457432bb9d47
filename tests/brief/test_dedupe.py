from storybrief.brief.dedupe import copy_groups, merge_copies, shingles
from storybrief.types import Article

STORY = (
    "Heavy rain flooded the lower town of Marrow on Sunday, forcing about 300 residents from their homes. "
    "The river Tessel rose more than two metres overnight and broke through a temporary barrier near the mill. "
    "Rescue crews used boats to reach families trapped on upper floors, and no deaths were reported."
)
OTHER = (
    "The national football team beat its rivals two goals to one in a tense final on Saturday night. "
    "The winning goal came in the last minute from a substitute who had only been on the pitch for ten minutes."
)


def test_wire_copies_with_small_edits_are_grouped():
    edited = STORY.replace("Sunday", "Sunday morning") + " Share this story."
    groups = copy_groups([STORY, OTHER, edited])
    assert sorted(map(sorted, groups)) == [[0, 2], [1]]


def test_merge_keeps_the_longest_and_remembers_every_copy():
    longer = STORY + " Forecasters expect the rain to ease on Tuesday, but warned that rivers would stay high."
    articles = [Article(STORY, id="a"), Article(OTHER, id="b"), Article(longer, id="c"), Article(STORY, id="d")]
    merged = merge_copies(articles)
    assert [a.id for a in merged] == ["b", "c"] or [a.id for a in merged] == ["c", "b"]
    kept = next(a for a in merged if a.id == "c")
    assert sorted(kept.copies) == ["a", "d"]
    assert next(a for a in merged if a.id == "b").copies == []


def test_different_stories_on_one_topic_stay_apart():
    follow_up = (
        "A day after the flood in Marrow, volunteers began clearing mud from homes and shops in the lower town. "
        "The mayor said insurance assessors would visit every damaged property by the end of the week."
    )
    assert len(merge_copies([Article(STORY, id="a"), Article(follow_up, id="b")])) == 2


def test_short_texts_still_get_a_signature():
    assert shingles("two words") == {b"two words"}
    assert shingles("") == set()


def test_many_articles_go_through_lsh_and_find_the_same_copies():
    import random

    rng = random.Random(3)
    words = "rain river town mayor council bridge school road police court game team vote price bank fire".split()
    texts = [" ".join(rng.choice(words) + str(rng.randrange(1000)) for _ in range(60)) for _ in range(100)]
    texts.append(texts[10] + " Shared by a second outlet.")
    texts.append(texts[50].replace(texts[50].split()[3], "changed"))
    groups = copy_groups(texts)
    assert len(texts) >= 64  # the LSH path
    grouped = {tuple(sorted(g)) for g in groups if len(g) > 1}
    assert grouped == {(10, 100), (50, 101)}
