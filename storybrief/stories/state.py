"""Save a story index's state (`IndexState`) to a folder and read it back, so later runs extend the
same stories.

The folder holds three files, each replaced whole (written aside, then renamed) so an
interrupted save leaves the previous state readable:

- `state.json`: settings, story records (id, vector rows, internal similarity, cached brief),
  the article id and story of each vector row, copies, the next story number, hashed column
  -> term (for labels);
- `articles.jsonl`: every article seen, copies included (text and metadata), one a line;
- `vectors.npz`: the raw log-tf rows (CSR), document frequencies, publication times, MinHash
  signatures and highest similarities to other rows (`top_similar`) of the vector rows.

Story records may hold `timeline` (the events made with the brief) and `brief_articles` (the ids
the brief was made from, what the next update brief leaves out); folders without them read as
before (the brief's articles are then recovered from its key). Version 2 added `top_similar`
(mutual-neighbour linkage). Version 3 (no hard time window; related stories) added the time and
saga settings, the saga graph and related links (`state.json`, "sagas") and every saga pair
(`vectors.npz`: saga_low, saga_high, saga_similarity); a version 1 or 2 folder reads with `sagas`
None (the index re-derives them from the vectors) and its saved window of 7 days, the old
default, as no window. A version 1 folder reads with
`top_similar` None (the index recomputes it from the vectors), and a threshold saved as version
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
from storybrief.stories.agglomerate import MUTUAL_BOOST, THRESHOLD
from storybrief.stories.copies import SIGNATURE_SCHEME
from storybrief.stories.neighbours import MUTUAL_K
from storybrief.stories.records import IndexState, StoryRecord
from storybrief.stories.vectors import N_FEATURES
from storybrief.types import Article

FORMAT = "storybrief-stories"
VERSION = 3
V1_DEFAULT_THRESHOLD = 0.12
OLD_DEFAULT_WINDOW_DAYS = 7.0  # versions 1 and 2's hard window: now none, time acts through the decay


TIME_SETTINGS = ("tau_days", "recency_days", "link_threshold", "saga_rebuild")


def save_state(state: IndexState, folder: str | Path) -> None:
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{folder}: cannot create the state folder ({exc.strerror or exc})") from exc
    saved = {
        "format": FORMAT,
        "version": VERSION,
        "settings": {
            "threshold": state.threshold, "window_days": state.window_days, "mutual_boost": state.mutual_boost,
            "n_features": N_FEATURES, "minhash": SIGNATURE_SCHEME, **state.time_settings,
        },
        "sagas": state.sagas,
        "next_story": state.next_story,
        "idf_docs": state.idf_docs,
        "rows": state.row_ids,
        "row_story": state.row_story,
        "copies": {str(row): ids for row, ids in state.copies.items()},
        "stories": [
            {"id": r.id, "rows": r.rows, "internal": r.internal, "brief": r.brief, "brief_key": r.brief_key,
             "timeline": r.timeline, "brief_articles": r.brief_articles}
            for r in state.stories
        ],
        "terms": {str(c): t for c, t in state.terms.items()},
    }
    empty = np.zeros(0, np.int64)
    saga_low, saga_high, saga_similarity = state.saga_pairs or (empty, empty, np.zeros(0, np.float32))
    nonzero = np.flatnonzero(state.df)
    tf = state.tf
    try:
        _replace(folder / "state.json", lambda f: f.write(json.dumps(saved, ensure_ascii=False).encode()))
        _replace(
            folder / "articles.jsonl",
            lambda f: f.writelines(json.dumps(asdict(a), ensure_ascii=False).encode() + b"\n" for a in state.articles),
        )
        _replace(
            folder / "vectors.npz",
            lambda f: np.savez_compressed(
                f, data=tf.data, indices=tf.indices, indptr=tf.indptr,
                df_columns=nonzero, df_counts=state.df[nonzero], times=state.times, signatures=state.signatures,
                top_similar=state.top_similar, saga_low=saga_low, saga_high=saga_high, saga_similarity=saga_similarity,
            ),
        )
    except OSError as exc:
        raise InputError(f"{folder}: cannot write the state ({exc.strerror or exc})") from exc


def _replace(path: Path, write) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    with open(temporary, "wb") as stream:
        write(stream)
    os.replace(temporary, path)


def load_state(folder: str | Path) -> IndexState | None:
    """The state saved in `folder`; None when the folder is missing or empty."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder}: not a folder (the state is a folder)")
    if not (folder / "state.json").exists():
        if folder.exists() and any(p for p in folder.iterdir() if not p.name.startswith(".")):
            raise InputError(f"{folder}: has files but no state.json; not a story state folder")
        return None
    try:
        saved = json.loads((folder / "state.json").read_text(encoding="utf-8"))
        if saved.get("format") != FORMAT:
            raise InputError(f"{folder}/state.json: not a story state file")
        version = saved.get("version")
        if version not in (1, 2, VERSION):
            raise InputError(f"{folder}/state.json: state version {version}, this StoryBrief reads 1 to {VERSION}")
        settings = saved["settings"]
        if settings["n_features"] != N_FEATURES:
            raise InputError(
                f"{folder}: saved with {settings['n_features']} hashed features, this StoryBrief uses {N_FEATURES}"
            )
        if settings.get("minhash") != SIGNATURE_SCHEME:
            raise InputError(f"{folder}: copy signatures use MinHash scheme {settings.get('minhash')}, "
                             f"this StoryBrief uses {SIGNATURE_SCHEME}")
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
            saga_pairs = (
                (arrays["saga_low"].astype(np.int64), arrays["saga_high"].astype(np.int64),
                 arrays["saga_similarity"].astype(np.float32)) if version >= 3 else None
            )
        threshold = settings["threshold"]
        state = IndexState(
            threshold=THRESHOLD if version == 1 and threshold == V1_DEFAULT_THRESHOLD else threshold,
            window_days=0.0 if version < 3 and settings["window_days"] == OLD_DEFAULT_WINDOW_DAYS
            else settings["window_days"],
            mutual_boost=settings.get("mutual_boost", MUTUAL_BOOST),  # version 1 had none: the current default
            articles=articles,
            row_ids=list(saved["rows"]),
            row_story=list(saved["row_story"]),
            copies={int(row): list(ids) for row, ids in saved["copies"].items()},
            stories=[StoryRecord(r["id"], list(r["rows"]), r["internal"], r["brief"], r["brief_key"],
                                 r.get("timeline"), r.get("brief_articles"))
                     for r in saved["stories"]],
            next_story=saved["next_story"],
            idf_docs=saved["idf_docs"],
            terms={int(c): t for c, t in saved["terms"].items()},
            tf=tf, df=df, times=times, signatures=signatures,
            top_similar=None if top_similar is None else top_similar.astype(np.float32),
            time_settings={k: settings[k] for k in TIME_SETTINGS if k in settings},
            sagas=saved.get("sagas") if version >= 3 else None,
            saga_pairs=saga_pairs,
        )
    except InputError:
        raise
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"{folder}: unreadable story state ({type(exc).__name__}: {exc})") from exc
    rows = len(state.row_ids)
    if any(n != rows for n in (tf.shape[0], len(times), len(signatures))) or (
        top_similar is not None and top_similar.shape != (rows, MUTUAL_K)
    ) or (saga_pairs is not None and len(saga_pairs[0]) and max(saga_pairs[0].max(), saga_pairs[1].max()) >= rows):
        raise InputError(f"{folder}: story state files disagree (were they written by different runs?)")
    return state
