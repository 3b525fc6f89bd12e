"""`python -m privbot` runs the CLI."""

from privbot.cli import main

main()
