"""Inputs for the batch tests, written here (no dataset text), and a job that kills its worker."""

from __future__ import annotations

import json
import os
from pathlib import Path

from storybrief.batch import BriefJob

TOWNS = ["Alderbury", "Brightwater", "Colmstead", "Dunmere", "Eastwick", "Fernhollow", "Greyport", "Hallowmere"]


def cluster(k: int) -> dict:
    town = TOWNS[k % len(TOWNS)]
    n = 3 + k % 3
    documents = []
    for a in range(n):
        documents.append(
            f"The council of {town} approved a new budget of {100 + k} million dollars on Tuesday after a long debate. "
            f"Officials in {town} said the plan would repair {10 + k + a} "
            f"bridges and several schools over {2 + a} years. "
            f"Residents who spoke at the meeting in {town} asked for more money for public transport and parks. "
            f"The mayor told reporters that the vote was the most important decision of her term so far. "
            f"Critics argued that the spending would raise local taxes for families within the next decade. "
            f"Outlet number {a} also noted that the previous budget had been rejected twice by the same council."
        )
    return {"id": f"story-{k}", "documents": documents}


def write_input(path: Path, count: int, extra: dict[int, str] | None = None) -> list[str]:
    """`count` good clusters, with raw lines from `extra` inserted at the given positions; returns the good ids."""
    lines, ids = [], []
    for k in range(count):
        if extra and k in extra:
            lines.append(extra[k])
        record = cluster(k)
        lines.append(json.dumps(record))
        ids.append(record["id"])
    text = "\n".join(lines) + "\n"
    if path.suffix == ".gz":
        import gzip

        with gzip.open(path, "wt", encoding="utf-8") as out:
            out.write(text)
    else:
        path.write_text(text, encoding="utf-8")
    return ids


class CrashingJob(BriefJob):
    """Briefs like the real job, but a line whose id holds 'CRASH' kills the worker process outright."""

    def one(self, number: int, line: str):
        if "CRASH" in line:
            os._exit(3)
        return super().one(number, line)


class RaisingJob(BriefJob):
    """A line whose id holds 'BUG' raises an unexpected exception inside the pipeline."""

    def one(self, number: int, line: str):
        if "BUG" in line:
            import storybrief.batch as batch

            original = batch.brief_line
            batch.brief_line = lambda *a, **k: (_ for _ in ()).throw(ZeroDivisionError("boom"))
            try:
                return super().one(number, line)
            finally:
                batch.brief_line = original
        return super().one(number, line)
