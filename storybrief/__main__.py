from storybrief.cli import run

run()
