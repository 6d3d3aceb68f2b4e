"""Models: see README.md."""
