"""Save a `StoryIndex` to a folder and read it back, so later runs extend the same stories.

The folder holds three files, each replaced whole (written aside, then renamed) so an
interrupted save leaves the previous state readable:

- `state.json`: settings, story records (id, vector rows, internal similarity, cached brief),
  the article id and story of each vector row, copies, the next story number, hashed column
  -> term (for labels);
- `articles.jsonl`: every article seen, copies included (text and metadata), one a line;
- `vectors.npz`: the raw log-tf rows (CSR), document frequencies, publication times, MinHash
  signatures and highest similarities to other rows (`top_similar`) of the vector rows.

Version 2 added `top_similar` (mutual-neighbour linkage). A version 1 folder is upgraded on
load: the similarities are recomputed from the saved vectors, and a threshold saved as version
1's default (0.12, tuned without the mutual boost) becomes the current default.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from storybrief.errors import InputError
from storybrief.types import Article

FORMAT = "storybrief-stories"
VERSION = 2
V1_DEFAULT_THRESHOLD = 0.12


def save_index(index, folder: str | Path) -> None:
    from storybrief.stories.index import N_FEATURES, SIGNATURE_SCHEME

    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{folder}: cannot create the state folder ({exc.strerror or exc})") from exc
    state = {
        "format": FORMAT,
        "version": VERSION,
        "settings": {
            "threshold": index.threshold, "window_days": index.window_days, "mutual_boost": index.mutual_boost,
            "n_features": N_FEATURES, "minhash": SIGNATURE_SCHEME,
        },
        "next_story": index.next_story,
        "idf_docs": index.idf_docs,
        "rows": index.row_ids,
        "row_story": index.row_story,
        "copies": {str(row): ids for row, ids in index.copies.items()},
        "stories": [
            {"id": r.id, "rows": r.rows, "internal": r.internal, "brief": r.brief, "brief_key": r.brief_key}
            for r in index.stories.values()
        ],
        "terms": {str(c): t for c, t in index.terms.items()},
    }
    nonzero = np.flatnonzero(index.df)
    try:
        _replace(folder / "state.json", lambda f: f.write(json.dumps(state, ensure_ascii=False).encode()))
        _replace(
            folder / "articles.jsonl",
            lambda f: f.writelines(json.dumps(asdict(a), ensure_ascii=False).encode() + b"\n" for a in index.articles.values()),
        )
        _replace(
            folder / "vectors.npz",
            lambda f: np.savez_compressed(
                f, data=index.tf.data, indices=index.tf.indices, indptr=index.tf.indptr,
                df_columns=nonzero, df_counts=index.df[nonzero], times=index.times, signatures=index.signatures,
                top_similar=index.top_similar,
            ),
        )
    except OSError as exc:
        raise InputError(f"{folder}: cannot write the state ({exc.strerror or exc})") from exc


def _replace(path: Path, write) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    with open(temporary, "wb") as stream:
        write(stream)
    os.replace(temporary, path)


def load_index(folder: str | Path, threshold: float | None = None, window_days: float | None = None):
    """The index saved in `folder`; a new one when the folder is missing or empty.

    `threshold` and `window_days`, when given, replace the saved settings for what is added next.
    """
    from storybrief.stories.index import MUTUAL_BOOST, MUTUAL_K, N_FEATURES, SIGNATURE_SCHEME, THRESHOLD, WINDOW_DAYS, StoryIndex, _StoryRecord

    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder}: not a folder (the state is a folder)")
    if not (folder / "state.json").exists():
        if folder.exists() and any(p for p in folder.iterdir() if not p.name.startswith(".")):
            raise InputError(f"{folder}: has files but no state.json; not a story state folder")
        return StoryIndex(
            threshold=THRESHOLD if threshold is None else threshold,
            window_days=WINDOW_DAYS if window_days is None else window_days,
        )
    try:
        state = json.loads((folder / "state.json").read_text(encoding="utf-8"))
        if state.get("format") != FORMAT:
            raise InputError(f"{folder}/state.json: not a story state file")
        version = state.get("version")
        if version not in (1, VERSION):
            raise InputError(f"{folder}/state.json: state version {version}, this StoryBrief reads 1 and {VERSION}")
        settings = state["settings"]
        if settings["n_features"] != N_FEATURES:
            raise InputError(f"{folder}: saved with {settings['n_features']} hashed features, this StoryBrief uses {N_FEATURES}")
        if settings.get("minhash") != SIGNATURE_SCHEME:
            raise InputError(f"{folder}: copy signatures use MinHash scheme {settings.get('minhash')}, this StoryBrief uses {SIGNATURE_SCHEME}")
        with open(folder / "articles.jsonl", encoding="utf-8") as stream:
            articles = [Article(**json.loads(line)) for line in stream if line.strip()]
        with np.load(folder / "vectors.npz") as arrays:
            tf = sp.csr_matrix(
                (arrays["data"], arrays["indices"], arrays["indptr"]), shape=(len(arrays["indptr"]) - 1, N_FEATURES)
            )
            df = np.zeros(N_FEATURES, dtype=np.int32)
            df[arrays["df_columns"]] = arrays["df_counts"]
            times = arrays["times"]
            signatures = arrays["signatures"]
            top_similar = arrays["top_similar"] if version >= 2 else None
    except InputError:
        raise
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"{folder}: unreadable story state ({type(exc).__name__}: {exc})") from exc
    saved_threshold = settings["threshold"]
    if version == 1 and saved_threshold == V1_DEFAULT_THRESHOLD:
        saved_threshold = THRESHOLD
    index = StoryIndex(
        threshold=saved_threshold if threshold is None else threshold,
        window_days=settings["window_days"] if window_days is None else window_days,
        mutual_boost=settings.get("mutual_boost", MUTUAL_BOOST),  # version 1 had none: the current default
    )
    index.articles = {a.id: a for a in articles}
    index.row_ids = list(state["rows"])
    index.row_story = list(state["row_story"])
    index.row_of = {article_id: row for row, article_id in enumerate(index.row_ids)}
    index.copies = {int(row): list(ids) for row, ids in state["copies"].items()}
    for row, ids in index.copies.items():
        for article_id in ids:
            index.row_of[article_id] = row
    index.stories = {
        s["id"]: _StoryRecord(id=s["id"], rows=list(s["rows"]), internal=s["internal"], brief=s["brief"], brief_key=s["brief_key"])
        for s in state["stories"]
    }
    index.next_story = state["next_story"]
    index.idf_docs = state["idf_docs"]
    index.terms = {int(c): t for c, t in state["terms"].items()}
    index.tf, index.df, index.times, index.signatures = tf, df, times, signatures
    if tf.shape[0] != len(index.row_ids) or len(times) != len(index.row_ids) or len(signatures) != len(index.row_ids):
        raise InputError(f"{folder}: story state files disagree (were they written by different runs?)")
    if top_similar is None:  # version 1: recomputed from the vectors, as `add` would have noted them
        index.top_similar = np.zeros((len(index.row_ids), MUTUAL_K), dtype=np.float32)
        if index.row_ids:
            index._note_similar(*index._unique_pairs(index.neighbours(0)))
    elif top_similar.shape != (len(index.row_ids), MUTUAL_K):
        raise InputError(f"{folder}: story state files disagree (were they written by different runs?)")
    else:
        index.top_similar = top_similar.astype(np.float32)
    return index
