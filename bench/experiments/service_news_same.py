"""The service's answers for one fixed sequence of requests, timestamps blanked, to compare two
versions of the code (docs/design-service.md, the news made only where it is shown).

    S=bench/experiments/service_news_same.py  # run by path: the old checkout need not have it
    PYTHONPATH=<old checkout> python $S [--db URL] > old.txt
    PYTHONPATH=<new checkout> python $S [--db URL] > new.txt && cmp old.txt new.txt

36 Multi-News validation articles (dated over a week, so stories have several events) are posted
one at a time; after each, the story list is read, and every third time the story, every fifth
its page; at the end every story. The background brief writer is off: the reads alone decide
which briefs are made, so both runs make the same ones. `--db`: a PostgreSQL URL (its tables are
dropped first); default a SQLite file in a temp dir.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import tempfile

os.environ.setdefault("OMP_NUM_THREADS", "1")

from bench.data import multinews  # noqa: E402

TIMESTAMP = re.compile(r'"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[^"]*)"')


def articles(count: int = 36) -> list[dict]:
    found = []
    with gzip.open(multinews("val"), "rt", encoding="utf-8") as stream:
        for n, line in enumerate(stream):
            for k, text in enumerate(json.loads(line)["documents"]):
                if len(text.split()) >= 40:
                    found.append({"text": text[:6000], "source": f"outlet {k + 1}", "title": "", "id": f"{n}-{k}",
                                  "published": f"2026-01-{1 + 3 * (k % 3):02d}T10:00:00Z"})
            if len(found) >= count:
                return found
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="")
    args = parser.parse_args()
    from fastapi.testclient import TestClient
    from sqlalchemy import create_engine

    from storybrief.service.app import create_app
    from storybrief.service.settings import Settings
    from storybrief.service.store import Store

    Store._brief_later = lambda self, story_ids: None  # no background writer
    db = args.db or f"sqlite:///{tempfile.mkdtemp()}/storybrief.db"
    if db.startswith("postgresql"):
        engine = create_engine(db)
        with engine.begin() as connection:
            connection.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
            connection.exec_driver_sql("CREATE SCHEMA public")
        engine.dispose()
    posts = articles()
    out = []

    def record(tag, response) -> None:
        out.append(tag + " " + TIMESTAMP.sub('"T"', json.dumps(response.json(), sort_keys=True)))

    with TestClient(create_app(Settings(db_url=db, allowed_hosts=("testserver",)))) as client:
        for step, i in enumerate(sorted(range(len(posts)), key=lambda i: (i * 7) % len(posts))):
            story_id = client.post("/articles", json=posts[i]).json()["articles"][0]["story_id"]
            record("list", client.get("/stories", params={"per_page": 10}))
            if step % 3 == 0:
                record(f"story {story_id}", client.get(f"/stories/{story_id}"))
            if step % 5 == 0:
                page = client.get(f"/web/stories/{story_id}").text
                out.append(f"page {story_id} " + re.sub(r"\d\d:\d\d", "", page))
        for story in sorted(s["id"] for s in client.get("/stories", params={"per_page": 100}).json()["stories"]):
            record(f"final {story}", client.get(f"/stories/{story}"))
    print("\n".join(out))


if __name__ == "__main__":
    main()
