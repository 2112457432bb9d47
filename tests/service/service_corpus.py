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
