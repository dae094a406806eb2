"""Joining, signing in and out, and recovering an account with a one-time code."""

from flask import Blueprint, Response, flash, g, redirect, render_template, request, url_for
from sqlalchemy import select

from app.accounts import services
from app.accounts.identity import begin_session, current_account, end_session
from app.accounts.models import Pseudonym
from app.core.forms import ConfirmForm, form_page, refusal_on
from app.core.refused import Refused
from app.core.urls import same_site
from app.questions import queries
from app.questions.models import Answer, Question
from app.readers.prefs import adopt_into_account, current_prefs
from app.readers.shown import plural
from app.web import sealed
from app.web.extensions import db
from app.web.headers import private
from app.web.ratelimit import count_this_try, failed, field_key, limit, limiter, posted
from app.your_account.forms import JoinForm, RecoverForm, SignInForm

bp = Blueprint("accounts", __name__)
# Signing in, joining and recovery codes are private; a pseudonym's page and signing out
# are not.
private(bp, only=("join", "sign_in", "recover", "recovery_codes", "recovery_codes_file"))
FRESH_CODES = "fresh_recovery_codes"
handle_key = field_key("handle", services.handle_key)


def _with_codes(joined):
    """What joining stores besides the account: this device's choices, and the codes held
    for the next page."""
    adopt_into_account(joined.account)
    hold_codes(joined.recovery_codes)


@bp.route("/join", methods=["GET", "POST"])
@limiter.limit(limit("JOIN_RATE_LIMIT"), methods=["POST"], deduct_when=posted)
def join():
    """Make a pseudonymous account: a hidden login name, a password and a first pseudonym."""
    form = JoinForm()
    if not form.validate_on_submit():
        return form_page("accounts/join.html", form)
    try:
        joined = services.join(
            form.handle.data, form.password.data, form.pseudonym.data, along=_with_codes
        )
    except services.HandleTaken as refusal:
        count_this_try()  # each answer tells whether a login name exists, so it counts
        refusal_on(form, refusal)
        return render_template("accounts/join.html", form=form), 400
    except Refused as refusal:
        refusal_on(form, refusal, default="pseudonym")
        return render_template("accounts/join.html", form=form), 400
    begin_session(joined.account, keep=[FRESH_CODES])
    return redirect(url_for(".recovery_codes"), code=303)


def hold_codes(codes):
    """Hold new recovery codes for the codes page until the person says they kept them,
    in the caller's transaction (the one that made the codes)."""
    sealed.give(FRESH_CODES, "\n".join(codes))


def _fresh_codes():
    found = sealed.peek(FRESH_CODES) if current_account() else None
    return found["secret"].split("\n") if found else None


@bp.route("/account/recovery-codes", methods=["GET", "POST"])
def recovery_codes():
    """Show new recovery codes once; confirming that they are kept clears them."""
    account = current_account()
    codes = _fresh_codes()
    form = ConfirmForm()
    if account is None or not codes:
        return redirect(url_for("account.index" if account else ".sign_in"), code=303)
    if form.validate_on_submit():
        sealed.forget(FRESH_CODES)
        flash("Your recovery codes are no longer shown anywhere on Kettle.")
        return redirect(url_for("account.index"), code=303)
    return render_template("accounts/recovery_codes.html", codes=codes, form=form)


@bp.get("/account/recovery-codes.txt")
def recovery_codes_file():
    codes = _fresh_codes()
    if not codes:
        return redirect(url_for(".sign_in"), code=303)
    body = "Kettle recovery codes\n\nEach code works once, to set a new password.\n\n"
    body += "\n".join(codes) + "\n"
    disposition = 'attachment; filename="kettle-recovery-codes.txt"'
    return Response(body, mimetype="text/plain", headers={"Content-Disposition": disposition})


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(limit("SIGN_IN_RATE_LIMIT"), methods=["POST"], deduct_when=failed)
@limiter.limit(
    limit("HANDLE_RATE_LIMIT"), methods=["POST"], key_func=handle_key, deduct_when=failed
)
def sign_in():
    form = SignInForm()
    if current_account() is not None and not form.is_submitted():
        return redirect(url_for("account.index"), code=303)
    if not form.validate_on_submit():
        return form_page("accounts/sign_in.html", form, ended=g.get("session_ended"))
    try:
        account = services.authenticate(
            form.handle.data, form.password.data, along=adopt_into_account
        )
    except Refused as refusal:
        return render_template("accounts/sign_in.html", form=form, refusal=str(refusal)), 400
    begin_session(account)
    flash("You are signed in.")
    back = same_site(request.args.get("next"))
    return redirect(back or url_for("pages.home"), code=303)


@bp.post("/logout")
def sign_out():
    """Sign out. The cookie this browser held stops working everywhere, even if copied."""
    form = ConfirmForm()
    account = current_account()
    if not form.validate_on_submit():
        return redirect(url_for("pages.home"), code=303)
    if account is not None:
        services.end_every_session(account)
    end_session()
    flash("You are signed out, on this device and every other.")
    return redirect(url_for("pages.home"), code=303)


@bp.route("/recover", methods=["GET", "POST"])
@limiter.limit(limit("RECOVER_RATE_LIMIT"), methods=["POST"], deduct_when=failed)
@limiter.limit(
    limit("HANDLE_RATE_LIMIT"), methods=["POST"], key_func=handle_key, deduct_when=failed
)
def recover():
    """Set a new password with a recovery code, since Kettle holds no email to reset by."""
    form = RecoverForm()
    if not form.validate_on_submit():
        return form_page("accounts/recover.html", form)
    try:
        account = services.recover(
            form.handle.data, form.code.data, form.password.data, along=adopt_into_account
        )
    except Refused as refusal:
        return render_template("accounts/recover.html", form=form, refusal=str(refusal)), 400
    begin_session(account)
    left = services.unused_code_count(account)
    if left == 0:
        codes = "You have no recovery codes left: please make new ones on this page."
    else:
        codes = f"You have {plural(left, 'recovery code')} left."
    flash(f"Your password is changed and other devices are signed out. {codes}")
    return redirect(url_for("account.index"), code=303)


@bp.get("/p/<public_id>")
def pseudonym(public_id):
    """A pseudonym's public page: what was posted under it, and nothing else."""
    found = db.first_or_404(select(Pseudonym).where(Pseudonym.public_id == public_id))
    questions = queries.by_pseudonym(Question, found.id)
    answers, _ = current_prefs().leave_out(queries.by_pseudonym(Answer, found.id))
    return render_template(
        "accounts/pseudonym.html", pseudonym=found, questions=questions, answers=answers
    )
