"""Scripts that measure a stage against a labelled set."""
