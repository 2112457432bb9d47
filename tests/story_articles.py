"""Small invented news stories for the grouping tests: distinct vocabulary per story, one wire copy."""

from storybrief.types import Article

FERRY = [
    (
        "ferry-1",
        "Coastal Herald",
        "2025-03-03T08:00:00Z",
        "Ferry crews walked off the job on Monday, halting every crossing between Port Alder and Gullwick Island. "
        "The ferry union said its deckhands and engineers would strike for three days over rosters and pay. "
        "Island residents queued at the Port Alder terminal as the ferry operator cancelled forty sailings. "
        "The operator called the ferry strike regrettable and urged the union to return to talks.",
    ),
    (
        "ferry-2",
        "Bay Courier",
        "2025-03-03T11:30:00Z",
        "Gullwick Island was cut off from the mainland after ferry workers began a three-day strike. "
        "Union leaders said deckhands had worked unpaid overtime on the Port Alder crossing for months. "
        "The ferry operator said forty sailings were cancelled and "
        "freight for the island shops was stranded at the terminal. "
        "Talks between the union and the operator are due to resume on Wednesday.",
    ),
    (
        "ferry-3",
        "Radio Ellison",
        "2025-03-04T07:15:00Z",
        "On the second day of the ferry strike, Gullwick Island shops ran short of milk and bread. "
        "The deckhands union picketed the Port Alder terminal while "
        "the operator chartered a small boat for medical trips. "
        "Union officials said the strike over rosters would end on "
        "Wednesday unless the ferry operator improved its pay offer. "
        "Island councillors asked both sides to settle before the weekend sailings.",
    ),
]
VOLCANO = [
    (
        "volcano-1",
        "Northern Press Agency",
        "2025-03-03T09:00:00Z",
        "The Skarvatn volcano erupted overnight, sending an ash plume eight kilometres into the sky. "
        "Seismologists recorded a swarm of earthquakes beneath the caldera hours before the eruption began. "
        "Airlines rerouted flights around the ash cloud and the civil aviation office closed two airports. "
        "Lava fountains lit the glacier, and meltwater floods were expected in the valleys below the volcano.",
    ),
    (
        "volcano-2",
        "Coastal Herald",
        "2025-03-03T14:00:00Z",
        "Ash from the Skarvatn eruption drifted east as airlines cancelled hundreds of flights. "
        "Volcanologists said the caldera had been swelling since "
        "January and the earthquake swarm gave a clear warning. "
        "Farmers in the valleys moved livestock away from rivers as glacier meltwater rose. "
        "The aviation office said the airports would stay closed while the ash plume remained above six kilometres.",
    ),
    (
        "volcano-3",
        "Bay Courier",
        "2025-03-04T10:00:00Z",
        "Lava kept pouring from the Skarvatn fissure on Tuesday, though the ash plume sank to four kilometres. "
        "Seismologists counted fewer earthquakes under the caldera, and volcanologists said the eruption was settling. "
        "Airlines resumed some flights once the aviation office reopened one airport. "
        "Meltwater floods damaged a bridge in the valley below the glacier.",
    ),
]
CHESS = [
    (
        "chess-1",
        "Radio Ellison",
        "2025-03-03T18:00:00Z",
        "Grandmaster Ilse Varga won the twelfth game of the world chess championship with a daring knight sacrifice. "
        "Her opponent, the defending champion Tomas Reyes, resigned after forty-one moves of the Sicilian opening. "
        "The championship match is now level at six points each, "
        "with two classical games left before any rapid tiebreak.",
    ),
    (
        "chess-2",
        "Northern Press Agency",
        "2025-03-04T18:00:00Z",
        "Tomas Reyes answered with a win in game thirteen of the world chess championship, "
        "pressing an endgame with rook and bishop. "
        "Ilse Varga defended for six hours before resigning, "
        "and the defending champion now leads the match by one point. "
        "Commentators said the knight sacrifice of game twelve had shaken the grandmaster less than expected.",
    ),
]
# The Northern Press Agency wire story on the volcano, re-published by another outlet with its own headline.
WIRE_COPY = (
    "volcano-1-gazette",
    "Valley Gazette",
    "2025-03-03T09:40:00Z",
    VOLCANO[0][3] + " More updates will follow.",
)
UNRELATED = (
    "cheese-1",
    "Valley Gazette",
    "2025-03-05T12:00:00Z",
    "The annual cheese festival in Lowmarsh drew a record crowd of twelve thousand visitors on Saturday. "
    "Dairy farmers sold aged goat cheese, smoked cheddar and blue cheese from forty stalls on the market square. "
    "A cheesemonger from Brackenfold won the prize for the best washed-rind cheese of the festival.",
)

STORIES = {"ferry": FERRY, "volcano": VOLCANO, "chess": CHESS}


def article(record) -> Article:
    article_id, source, published, text = record
    return Article(text=text, id=article_id, source=source, published=published)


def all_articles(with_copy: bool = True) -> list[Article]:
    records = FERRY + VOLCANO + CHESS + ([WIRE_COPY] if with_copy else [])
    return [article(r) for r in records]


def truth() -> dict[str, str]:
    found = {r[0]: name for name, records in STORIES.items() for r in records}
    found[WIRE_COPY[0]] = "volcano"
    return found
