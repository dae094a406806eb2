"""Pieces every part of Kettle leans on: text, tokens, headers, errors, privacy."""
