"""Who may do what, beside identity: the one place a view asks before it acts.

`signed_in` hands a view the signed-in account and sends everybody else to sign in.
`requires(*roles, on_shift=False)` adds a role check, refused with the kind 403 page.
Whether a moderator is on shift is the rota's to say, through one hook it registers with
`register_on_shift`; until a rota does, nobody is on shift, so every `on_shift=True`
view is refused. No other module decides access.
"""

from functools import wraps

from flask import flash, redirect, url_for

from app.accounts.identity import current_account
from app.core.urls import here
from app.web.errors import refuse

SIGN_IN_FIRST = "Please sign in to see your account."
NOT_YOUR_ROLE = "This page is only open to people who hold a role on Kettle's rota."
NOT_ON_SHIFT = "This page is only open to moderators while they are on shift."

# Set by the rota with `register_on_shift`: whether one account is on shift, and whether
# anyone is (so a report form can say when reports will be read).
on_shift_check = None
anyone_check = None


def register_on_shift(check, anyone):
    """Make `check(account) -> bool` the one answer to "is this person on shift?", and
    `anyone() -> bool` the one answer to "is any moderator on shift now?"."""
    global on_shift_check, anyone_check
    on_shift_check, anyone_check = check, anyone


def is_on_shift(account):
    """True only when a rota has registered its check and that check says so."""
    return on_shift_check is not None and bool(on_shift_check(account))


def anyone_on_shift():
    """True only when a rota has registered its check and some moderator is on shift."""
    return anyone_check is not None and bool(anyone_check())


def signed_in(view):
    """Hand the view the signed-in account as its first argument.

    Refuses signed-out visitors: they are sent (303) to sign in, with a `next` back to
    this page unless its address holds a secret. Commits nothing.
    """

    @wraps(view)
    def wrapper(*args, **kwargs):
        account = current_account()
        if account is None:
            flash(SIGN_IN_FIRST)
            return redirect(url_for("accounts.sign_in", next=here()), code=303)
        return view(account, *args, **kwargs)

    return wrapper


def requires(*roles, on_shift=False):
    """Let the view run only for a signed-in account holding one of `roles`.

    Signed-out visitors are sent to sign in, as by `signed_in`. Refuses with the kind
    403 page an account holding none of the roles, and, with `on_shift=True`, one the
    rota does not say is on shift (everyone, until a rota registers its check). The
    view is handed the account. Commits nothing.
    """
    if not roles:
        raise ValueError("requires() needs at least one role")

    def decorate(view):
        @wraps(view)
        def checked(account, *args, **kwargs):
            if not any(account.has_role(role) for role in roles):
                refuse(403, NOT_YOUR_ROLE)
            if on_shift and not is_on_shift(account):
                refuse(403, NOT_ON_SHIFT)
            return view(account, *args, **kwargs)

        return signed_in(checked)

    return decorate
