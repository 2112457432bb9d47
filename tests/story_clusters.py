"""Hand-made story clusters with reference summaries, for the evaluation tests.

The stories are invented; each has several outlets' articles and a reference summary that
shares facts (and words) with some sentences but not others, so rankings differ.
"""

from __future__ import annotations

import json
from pathlib import Path

FERRY = {
    "id": "ferry",
    "documents": [
        "A passenger ferry ran aground off Kessel Island on Tuesday morning with 212 people on board. "
        "All passengers were taken safely to the harbour by lifeboats within three hours. "
        "The coastguard said thick fog had covered the strait since dawn. "
        "The ferry operator has suspended the route until the hull can be inspected. "
        "Local cafes reported a busy afternoon as stranded travellers waited for news.",
        "The Kessel Island ferry struck a sandbank in dense fog on Tuesday, officials said. "
        "Lifeboat crews brought all 212 passengers ashore without serious injuries. "
        "An investigation into the grounding will begin next week, the maritime agency announced. "
        "The island's mayor thanked the volunteers who staffed the lifeboats.",
        "Fog was blamed for the grounding of a ferry carrying 212 people near Kessel Island. "
        "Two passengers were treated for mild hypothermia at the island clinic. "
        "The vessel was refloated on the evening tide and towed to port for repairs. "
        "Ticket holders will be offered refunds or seats on a replacement boat.",
    ],
    "summary": "A ferry with 212 people on board ran aground in thick fog off Kessel Island on Tuesday. "
    "Lifeboats brought all the passengers safely to the harbour. "
    "The maritime agency will investigate the grounding, and the operator has suspended the route.",
}

LIBRARY = {
    "id": "library",
    "documents": [
        "The city library on Marlow Street reopened on Saturday "
        "after a two-year renovation costing 14 million dollars. "
        "The building now has a rooftop reading garden and a children's wing. "
        "Hundreds of residents queued before the doors opened at nine o'clock. "
        "The head librarian said membership applications had tripled in a week.",
        "Marlow Street's library welcomed visitors again on Saturday following a lengthy renovation. "
        "The project, paid for by a city bond, added solar panels and a new lift. "
        "Opening hours will be extended to ten in the evening on weekdays. "
        "A local choir performed on the front steps during the opening ceremony.",
    ],
    "summary": "The Marlow Street city library reopened on Saturday after a two-year, 14 million dollar renovation. "
    "It adds a rooftop reading garden, a children's wing and longer opening hours on weekdays.",
}

ORCHARD = {
    "id": "orchard",
    "documents": [
        "A late frost destroyed most of the apple blossom in the Vell valley last week, growers said. "
        "Farmers expect this year's harvest to be less than half of a normal year. "
        "Some orchards lit fires between the rows overnight in an attempt to keep the buds warm. "
        "The regional government is considering emergency grants for the worst-hit farms.",
        "Apple growers in the Vell valley are counting the cost of an unusual spring frost. "
        "Temperatures fell to minus four degrees on two consecutive nights. "
        "Cider makers warned that prices could rise sharply in the autumn. "
        "A spokesman for the growers' union asked for emergency support from the regional government.",
        "Frost has wiped out much of the blossom in the valley's orchards. "
        "The harvest is now forecast at under half the usual size. "
        "Beekeepers said their hives had been moved out of the valley before the cold snap.",
    ],
    "summary": "A late spring frost destroyed most apple blossom in the Vell valley, "
    "where temperatures fell to minus four degrees. "
    "Growers expect less than half a normal harvest and have asked the regional government for emergency grants. "
    "Cider prices could rise in the autumn.",
}

CLUSTERS = [FERRY, LIBRARY, ORCHARD]


def write_jsonl(path: Path, records: list, raw_lines: dict[int, str] | None = None) -> Path:
    """Write records one a line; `raw_lines` puts a literal (possibly broken) line at an index."""
    lines = [json.dumps(r) for r in records]
    for index, raw in sorted((raw_lines or {}).items()):
        lines.insert(index, raw)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
