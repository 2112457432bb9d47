"""The shared text primitives that are more than a pattern."""

import re

from storybrief.text import ignorecase_lower, unique_id


def test_unique_id_walks_past_taken_ids_and_stops_at_the_same_article():
    taken = {"x": "one", "x~2": "two", "y": "three"}
    assert unique_id("z", taken) == ("z", False)
    assert unique_id("x", taken) == ("x~3", False)  # without `mine` every holder is another article
    assert unique_id("x", taken, "two") == ("x~2", True)
    assert unique_id("x", taken, "four") == ("x~3", False)
    assert unique_id("y", {"y": {"text": "three"}}, "three", key=lambda held: held["text"]) == ("y", True)
    assert unique_id("x", {"x", "x~2"}) == ("x~3", False)  # a set of ids will do when nothing is compared


def test_ignorecase_lower_holds_every_ascii_letter_a_case_blind_regex_would_match():
    everything = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    for letter in "abcdefghijklmnopqrstuvwxyz":
        matched = re.findall(letter, everything, re.I)
        assert len(matched) >= 2 and all(ignorecase_lower(char) == letter for char in matched), letter
