"""People's accounts and pseudonyms, and the one place that knows who is posting."""
