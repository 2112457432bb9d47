"""Shared fixtures: small stories written for the tests (no scraped text)."""

from __future__ import annotations

import pytest

from storybrief.types import Article

FLOOD_WIRE = (
    "Heavy rain flooded the lower town of Marrow on Sunday, forcing about 300 residents from their homes, "
    "the regional fire service said.\n"
    "The river Tessel rose more than two metres overnight and broke through a temporary barrier near the old mill.\n"
    "Rescue crews used boats to reach families trapped on upper floors, and no deaths were reported.\n"
    "Forecasters expect the rain to ease on Tuesday, but warned that the ground is saturated.\n"
)


@pytest.fixture
def flood_story() -> list[Article]:
    """Four outlets on one flood: a wire story, a copy of it, and two independent reports."""
    return [
        Article(
            id="wire",
            source="Wire Agency",
            text="River Tessel floods Marrow\n" + FLOOD_WIRE + "Share this article\nShow Comments\n",
        ),
        Article(
            id="copy",
            source="Daily Copy",
            text="Marrow flooded as river breaks barrier\n" + FLOOD_WIRE + "Advertisement\n",
        ),
        Article(
            id="local",
            source="Marrow Gazette",
            text=(
                "About 300 residents were forced from their homes in Marrow on Sunday "
                "after heavy rain flooded the lower town, the fire service said.\n"
                "The mayor, Ada Quill, opened the sports hall as an "
                "emergency shelter and asked volunteers to bring blankets.\n"
                '"We have never seen the Tessel this high," said Piet Walen, '
                "who has run the bakery by the bridge for 30 years.\n"
                "Insurers said it was too early to estimate the cost of the damage.\n"
            ),
        ),
        Article(
            id="radio",
            source="Radio North",
            text=(
                "Boats were used by rescue crews to reach families trapped "
                "on upper floors in Marrow, and there were no deaths.\n"
                "The regional government said it would release emergency funds for the town on Monday.\n"
                "Schools in the lower town will stay closed until Wednesday.\n"
            ),
        ),
    ]
