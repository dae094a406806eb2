"""The one exception services raise for a change they will not make."""


class Refused(Exception):
    """A change the current state does not allow; its message is written for people to read."""
