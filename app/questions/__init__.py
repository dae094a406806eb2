"""Asking questions and offering perspectives."""
