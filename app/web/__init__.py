"""Plumbing used only by create_app: headers, errors, privacy, the database and limits."""
