"""Keeper links: the private way back to a post made without an account."""
