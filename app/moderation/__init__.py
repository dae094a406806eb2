"""Moderation: reports, cases, actions, the public log and appeals (DESIGN.md principles 5, 6)."""
