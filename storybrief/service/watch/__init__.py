"""`storybrief watch`: read RSS/Atom feeds on a schedule into the service's database.

feedlist (the FEEDS file: OPML or one address a line), client (one request at a time per host, a
pause between, through the service's fetch guard), entries (feedparser: keys, fingerprints, text,
dates; HTML pages refused), state (feed validators and entries seen, in the database), watcher
(the cycle and the schedule).
"""
