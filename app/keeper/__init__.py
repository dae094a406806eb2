"""The keeper pages: what the holder of a keeper link can see and do."""
