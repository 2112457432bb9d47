import sys
from pathlib import Path

# The story test articles live in tests/story_articles.py.
sys.path.insert(0, str(Path(__file__).parent))
