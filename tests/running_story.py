"""An invented running story for the timeline and update tests."""

# An invented running story in three developments: a proposal, a protest a week later, a vote a
# week after that. Every article names the council, the libraries and the budget.
LIBRARIES = [
    ("plan-1", "Harbour Gazette", "2025-04-01T09:00:00Z",
     "Brackenfold council proposed closing four branch libraries to save 1.2 million pounds in next year's budget. "
     "The finance committee said the libraries in Eastmoor, Dunsby, Holt and Ashwell would shut in the autumn. "
     "Council leader Maria Okafor said the budget gap left no painless choices."),
    ("plan-2", "Valley Courier", "2025-04-01T15:30:00Z",
     "Four branch libraries in Brackenfold face closure under a council budget plan published on Tuesday. "
     "The finance committee wants to save 1.2 million pounds by shutting Eastmoor, Dunsby, Holt and Ashwell libraries. "
     "Opposition councillors called the proposal short-sighted."),
    ("plan-3", "Radio Brack", "2025-04-02T07:00:00Z",
     "The Brackenfold council budget plan would close the Eastmoor, Dunsby, Holt and Ashwell branch libraries. "
     "Finance officers estimated the closures would save 1.2 million pounds a year. "
     "Library staff unions said forty jobs were at risk."),
    ("march-1", "Harbour Gazette", "2025-04-09T18:00:00Z",
     "Around two thousand people marched through Brackenfold on Saturday carrying books and placards to protest "
     "against the library closures. Children read aloud on the steps of the town hall while marchers chanted. "
     "Organisers handed the council a petition with eighteen thousand signatures."),
    ("march-2", "Valley Courier", "2025-04-10T08:00:00Z",
     "Marchers filled the square outside Brackenfold town hall, where organisers delivered a petition of eighteen "
     "thousand signatures against closing the libraries. Authors and teachers spoke from a stage. "
     "Police said the protest march was peaceful."),
    ("vote-1", "Radio Brack", "2025-04-16T21:00:00Z",
     "Brackenfold councillors voted thirty to twelve on Wednesday night to keep all four branch libraries open. "
     "The council will instead raise parking charges and delay road resurfacing to close the budget gap. "
     "Maria Okafor said the petition had changed minds."),
    ("vote-2", "Harbour Gazette", "2025-04-17T07:30:00Z",
     "The four threatened libraries in Brackenfold were saved when councillors voted to raise parking charges "
     "instead. The vote, thirty to twelve, followed the march and petition. Staff unions welcomed the decision."),
]

# Three days after the proposal, on the same sub-topic: the same story, another event.
CONSULTATION = (
    "plan-4", "Valley Courier", "2025-04-05T10:00:00Z",
    "The Brackenfold council plan to close the Eastmoor, Dunsby, Holt and Ashwell branch libraries went out to public "
    "consultation on Saturday. The finance committee still wants to save 1.2 million pounds from the library budget. "
    "Residents queued at the town hall to fill in consultation forms about the four libraries.",
)
