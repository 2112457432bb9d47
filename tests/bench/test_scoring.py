import random

import pytest

from bench.scoring import bcubed, bcubed_by_id


def test_bcubed_on_a_known_case():
    truth = {"a": "1", "b": "1", "c": "2", "d": "2"}
    assert bcubed_by_id({k: "x" for k in truth}, truth) == pytest.approx((0.5, 1.0, 2 / 3))
    precision, recall, f1 = bcubed_by_id({"a": "x", "b": "y", "c": "z", "d": "z", "e": "extra"}, truth)
    assert (precision, recall) == pytest.approx((1.0, 0.75))  # only the items of the truth count


def test_bcubed_of_labels_is_the_definition():
    rng = random.Random(7)
    truth = [rng.randrange(6) for _ in range(60)]
    predicted = [f"s{rng.randrange(9)}" for _ in range(60)]
    n = len(truth)
    precision = recall = 0.0
    for i in range(n):
        mine = {j for j in range(n) if predicted[j] == predicted[i]}
        theirs = {j for j in range(n) if truth[j] == truth[i]}
        precision += len(mine & theirs) / len(mine) / n
        recall += len(mine & theirs) / len(theirs) / n
    assert bcubed(predicted, truth) == pytest.approx((precision, recall, 2 * precision * recall / (precision + recall)))
