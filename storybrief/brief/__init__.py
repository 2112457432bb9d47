"""The summarizer, one stage a module, in pipeline order:
clean, trim, dedupe, segment, represent, support, features, score, select, order, attribute, then pipeline."""
