"""Reading articles: one story, strictly (story), or a tolerant pile of feeds, JSONL and folders (pile)."""
