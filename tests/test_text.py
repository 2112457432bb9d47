"""The shared text primitives that are more than a pattern."""

from storybrief.text import unique_id


def test_unique_id_walks_past_taken_ids_and_stops_at_the_same_article():
    taken = {"x": "one", "x~2": "two", "y": "three"}
    assert unique_id("z", taken) == ("z", False)
    assert unique_id("x", taken) == ("x~3", False)  # without `mine` every holder is another article
    assert unique_id("x", taken, "two") == ("x~2", True)
    assert unique_id("x", taken, "four") == ("x~3", False)
    assert unique_id("y", {"y": {"text": "three"}}, "three", key=lambda held: held["text"]) == ("y", True)
    assert unique_id("x", {"x", "x~2"}) == ("x~3", False)  # a set of ids will do when nothing is compared
