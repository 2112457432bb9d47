"""Short made-up news articles for the service tests: three stories, several outlets each."""

BRIDGE = [
    {
        "title": "Harbour bridge to close for repairs",
        "source": "Coastal Herald",
        "url": "https://herald.example/bridge",
        "text": "The harbour bridge in Eastport will close for six weeks of repairs starting Monday, "
        "the city council said. "
        "Engineers found cracks in two steel girders during an inspection last month. "
        "Commuters will be diverted to the ferry, which will run every fifteen minutes during the closure. "
        "The council estimates that the bridge repairs will cost 4.2 million dollars.",
    },
    {
        "title": "Eastport bridge shuts on Monday",
        "source": "Bay Courier",
        "url": "https://courier.example/eastport-bridge",
        "text": "Eastport's harbour bridge closes on Monday for six weeks, city officials announced on Friday. "
        "An inspection last month found cracks in two steel girders of the bridge, according to the engineers. "
        "Extra ferries will run every fifteen minutes to carry commuters across the harbour. "
        "Shop owners near the bridge said they feared losing customers during the repairs.",
    },
    {
        "title": "Cracked girders force bridge closure",
        "source": "Radio Ellison",
        "text": "Cracked steel girders will keep the Eastport harbour bridge closed for six weeks from Monday. "
        "The city council said engineers spotted the cracks in an inspection last month. "
        "Ferries across the harbour will run every fifteen minutes while the bridge is repaired.",
    },
]

CHESS = [
    {
        "title": "Teenager wins national chess title",
        "source": "Northern Press",
        "url": "https://northern.example/chess",
        "text": "A sixteen-year-old from Millbrook won the national chess championship on Sunday "
        "after a tense final round. "
        "Amira Costa beat the defending champion with the black pieces in a game lasting five hours. "
        "She is the youngest player ever to win the national title, the chess federation said. "
        "Costa will represent the country at the world youth olympiad in September.",
    },
    {
        "title": "Millbrook player is youngest chess champion",
        "source": "Valley Times",
        "text": "Amira Costa, sixteen, became the youngest national chess champion in history on Sunday. "
        "The Millbrook teenager defeated the defending champion in a five-hour final game. "
        "The chess federation confirmed she will play at the world youth olympiad in September.",
    },
]

DROUGHT = [
    {
        "title": "Farmers warn of drought losses",
        "source": "Rural Weekly",
        "text": "Wheat farmers in the southern plains expect their harvest to fall by a third "
        "after the driest spring in forty years. "
        "Reservoirs in the region are at twenty percent of capacity, the water authority reported. "
        "The agriculture ministry promised emergency loans for farms hit by the drought.",
    },
]

# One long saga in two stories (as tests/stories/test_time.py): an earthquake in March and, two
# months later, the inquiry into it; the orchard frost is unrelated. `published` carries the time.
QUAKE = [
    {"title": "Earthquake shakes Varn harbour", "source": "Coastal Herald", "published": "2026-03-02T09:00:00Z",
     "text": "A strong earthquake shook the coastal city of Varn on Monday, cracking walls in the old harbour "
     "district. "
     "Rescue teams searched collapsed warehouses near the port while aftershocks rattled the seafront. "
     "The regional seismology institute measured the tremor at magnitude 6.1 beneath the bay."},
    {"title": "Varn residents sleep outdoors", "source": "Bay Courier", "published": "2026-03-02T15:00:00Z",
     "text": "Residents of Varn spent the night outdoors after the earthquake damaged the harbour district. "
     "The seismology institute warned of further aftershocks and engineers inspected the port cranes. "
     "Rescue teams pulled two dock workers alive from a collapsed warehouse."},
    {"title": "Harbour district worst hit", "source": "Radio Ellison", "published": "2026-03-03T08:00:00Z",
     "text": "Varn's harbour district was the worst hit by the earthquake, the mayor said, as rescue teams "
     "cleared rubble from warehouses along the port. Aftershocks continued through the morning and the "
     "seismology institute kept its warning for the bay in place."},
]
INQUIRY = [
    {"title": "Inquiry blames inspectors for Varn collapse", "source": "Coastal Herald",
     "published": "2026-05-11T09:00:00Z",
     "text": "An inquiry into the Varn earthquake found that the harbour warehouses ignored building codes. "
     "The report on the collapse of the port buildings blames inspectors who approved the warehouses. "
     "Families of dock workers asked the seismology institute to publish its aftershock data. "
     "Rescue teams had searched the collapsed warehouses near the port for days after the earthquake."},
    {"title": "Varn report calls for new inspectors", "source": "Bay Courier", "published": "2026-05-11T12:00:00Z",
     "text": "Inspectors approved unsafe warehouses in Varn's harbour district before the earthquake, the inquiry "
     "said. "
     "The report calls for the port buildings to be rebuilt to the building codes and for new inspectors. "
     "Dock workers' families welcomed the inquiry's findings on the collapse. "
     "The earthquake cracked walls across the harbour district and aftershocks rattled the seafront."},
]
ORCHARD = [
    {"title": "Frost destroys apple blossom", "source": "Valley News", "published": "2026-03-03T10:00:00Z",
     "text": "A late frost destroyed most of the apple blossom in the Vell valley, growers said. "
     "Farmers expect this year's apple harvest to be less than half of a normal year."},
    {"title": "Apple growers count the cost", "source": "Farm Weekly", "published": "2026-03-03T16:00:00Z",
     "text": "Apple growers in the Vell valley are counting the cost of a spring frost that killed the blossom. "
     "Cider makers warned that apple prices could rise sharply in the autumn harvest."},
]
