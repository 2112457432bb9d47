"""Screenshots of the service's pages for docs/screenshots/ (desktop 1280 px and mobile 390 px,
the index, a story, and the story with a citation's evidence open), in the system Chromium through
Playwright.

    python -m bench.measure.service_screenshots      # writes docs/screenshots/*.png

The pages show the bundled example (four reports of one story, one of them an HTML page) and the
first few Multi-News validation clusters ($STORYBRIEF_DATA, default ../shared/data), on a
throwaway SQLite database.
"""

from __future__ import annotations

import gzip
import json
import os
import socket
import tempfile
import threading
import time
import urllib.request

from bench.data import ROOT, multinews

OUT = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("STORYBRIEF_CHROMIUM", "/usr/bin/chromium")
SIZES = {"desktop": (1280, 900), "mobile": (390, 844)}


def post(base: str, body) -> list[dict]:
    request = urllib.request.Request(
        base + "/articles", data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=300) as response:
        return json.loads(response.read())["articles"]


def load(base: str) -> int:
    """The example's story id, after loading everything."""
    for n, line in enumerate(gzip.open(multinews("val"), "rt", encoding="utf-8")):
        if n == 6:
            break
        post(base, [{"text": document} for document in json.loads(line)["documents"][:4] if document.strip()])
    example = []
    for path in sorted((ROOT / "storybrief" / "examples" / "harbour-bridge").iterdir()):
        outlet = " ".join(path.stem.split("-")[1:]).title()
        key = "html" if path.suffix == ".html" else "text"
        example.append({key: path.read_text(encoding="utf-8"), "source": outlet})
    return post(base, example)[0]["story_id"]


def main() -> None:
    import uvicorn
    from playwright.sync_api import sync_playwright

    from storybrief.service.app import create_app
    from storybrief.service.settings import Settings

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    folder = tempfile.mkdtemp()
    app = create_app(Settings(db_url=f"sqlite:///{folder}/screens.db"))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    story = load(base)
    app.state.store.wait_for_briefs(timeout=600)  # so the pages show briefs made in the background
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        for name, (width, height) in SIZES.items():
            page = browser.new_page(viewport={"width": width, "height": height})
            for label, path in (("index", "/"), ("story", f"/web/stories/{story}")):
                page.goto(base + path)
                page.screenshot(path=str(OUT / f"{label}-{name}.png"), full_page=False)
                print(OUT / f"{label}-{name}.png")
            # A citation's evidence, open as a hover, a tab or a tap leaves it (the marker has the focus).
            page.locator("main > article > .brief .checkable").first.focus()
            page.wait_for_timeout(400)  # its fade-in
            page.screenshot(path=str(OUT / f"evidence-{name}.png"), full_page=False)
            print(OUT / f"evidence-{name}.png")
        browser.close()
    server.should_exit = True


if __name__ == "__main__":
    main()
