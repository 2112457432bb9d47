"""Related stories in the database (table `story_links`): stories of one long saga, linked and never
merged. The grouping decides the links (`StoryIndexAssigner.links`, from `StoryIndex` sagas); the
store keeps them in step after each ingest (`record`) and reads a story's (`related`)."""

from __future__ import annotations

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from storybrief.service.db import StoryLinkRow, StoryRow, utcnow

Pairs = set[tuple[int, int]]  # (lower story id, higher story id)


def record(session: Session, held: set[int], pairs: Pairs) -> None:
    """Make the stored links agree with the grouping's: for the stories it holds (`held`) it is the
    authority (a link it no longer makes goes), the others keep theirs. Never links to a story that
    is gone (another process may have deleted one the grouping still holds)."""
    link = StoryLinkRow
    stored = {tuple(row) for row in session.execute(
        select(link.story_id, link.related_id).where(link.story_id < link.related_id))}
    for a, b in stored - pairs:
        if a in held and b in held:
            session.execute(delete(link).where(or_((link.story_id == a) & (link.related_id == b),
                                                   (link.story_id == b) & (link.related_id == a))))
    new = pairs - stored
    ids = {story_id for pair in new for story_id in pair}
    alive = set(session.scalars(select(StoryRow.id).where(StoryRow.id.in_(ids)))) if ids else set()
    now = utcnow()
    for a, b in sorted(p for p in new if p[0] in alive and p[1] in alive):
        session.add_all([link(story_id=x, related_id=y, created_at=now) for x, y in ((a, b), (b, a))])
    session.flush()


def forget(session: Session, story_id: int) -> None:
    """Remove a story's links (the story is being deleted)."""
    session.execute(delete(StoryLinkRow).where(
        or_(StoryLinkRow.story_id == story_id, StoryLinkRow.related_id == story_id)))


def related(session: Session, story_id: int) -> list[StoryRow]:
    """The stories linked to this one, oldest first."""
    return list(session.scalars(
        select(StoryRow).join(StoryLinkRow, StoryLinkRow.related_id == StoryRow.id)
        .where(StoryLinkRow.story_id == story_id).order_by(StoryRow.created_at, StoryRow.id)))


class Recorder:
    """`record` after each ingest, in its transaction, with what the assigner's `links()` says; skipped
    while that is what this process stored last (another process stores its own changes). An assigner
    without `links` (SimilarityAssigner) makes none. `reset` after a rollback or a delete."""

    def __init__(self) -> None:
        self.last: Pairs | None = None

    def __call__(self, session: Session, assigner) -> None:
        found = getattr(assigner, "links", None)
        if found is None:
            return
        held, pairs = found()
        if pairs != self.last:
            record(session, held, pairs)
            self.last = pairs

    def reset(self) -> None:
        self.last = None
