"""`python -m app …` is `talentpool …` (how `talentpool run` starts its children)."""

from app.cli import main

main()
