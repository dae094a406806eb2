"""Topics people ask in, and the curated list of content notes."""
