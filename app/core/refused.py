"""The one exception services raise for a change they will not make."""


class Refused(Exception):
    """A change the current state does not allow; its message is written for people to read.

    `field` names the one form field the refusal is about ("handle", "pseudonym",
    "password", ...), so a page can show it there (see core.forms.refusal_on). It is None
    when the refusal is about no one field, or when naming one would tell too much: a
    failed sign-in names neither the login name nor the password.
    """

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field
