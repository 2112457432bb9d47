"""Measuring briefs: ROUGE against references, side by side with peer summarizers."""
