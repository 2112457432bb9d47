import numpy as np
from story_articles import CHESS, FERRY, VOLCANO, WIRE_COPY

from storybrief.brief.dedupe import copy_lsh
from storybrief.stories.copies import copy_index, find_copy, restore_signature, signature


def saved(texts):
    return np.array([signature(t).hashvalues for t in texts], dtype=np.uint64)


def test_a_saved_signature_is_restored_to_the_same_minhash():
    found = signature(FERRY[0][3])
    restored = restore_signature(saved([FERRY[0][3]])[0])
    assert np.array_equal(restored.hashvalues, found.hashvalues)
    assert restored.jaccard(found) == 1.0
    assert restored.jaccard(signature(FERRY[1][3])) < 0.5


def test_a_copy_is_found_among_saved_rows_and_among_this_batch():
    signatures = saved([FERRY[0][3], VOLCANO[0][3]])
    lsh = copy_index(signatures)
    copy = signature(WIRE_COPY[3])  # VOLCANO[0] with a line added
    assert find_copy(copy, signatures, lsh, copy_lsh(), []) == 1
    assert find_copy(signature(CHESS[0][3]), signatures, lsh, copy_lsh(), []) is None  # a different story
    assert find_copy(signature(FERRY[1][3]), signatures, lsh, copy_lsh(), []) is None  # same story, own words
    fresh_lsh, fresh = copy_lsh(), [signature(CHESS[0][3])]
    fresh_lsh.insert(0, fresh[0])
    repeated = signature(CHESS[0][3] + " Updated.")
    assert find_copy(repeated, signatures, lsh, fresh_lsh, fresh) == -1  # the first of this batch's new ones
