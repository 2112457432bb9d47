"""Scripts that build derived benchmark data (kept out of git where the source text may not be redistributed)."""
