"""Files shipped inside the package: the trained models and the bundled example story."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).parent
MODELS = PACKAGE / "models"
EXAMPLE_STORY = PACKAGE / "examples" / "harbour-bridge"
