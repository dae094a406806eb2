"""Read-only JSON of what any visitor may see."""
