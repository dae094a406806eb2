"""/account: posts, pseudonyms, sessions, password, recovery codes, export and leaving."""

import json

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from markupsafe import Markup

from app.accounts import pseudonyms, services
from app.accounts.access import signed_in
from app.accounts.identity import begin_session, end_session
from app.core.forms import ConfirmForm, form_page, refusal_on
from app.core.refused import Refused
from app.web.headers import private
from app.web.ratelimit import limit, limiter
from app.your_account import data
from app.your_account.forms import (
    AttachKeeperForm,
    ChangePasswordForm,
    DeleteAccountForm,
    NewCodesForm,
    PseudonymForm,
)
from app.your_account.sign_in import hold_codes

bp = private(Blueprint("account", __name__, url_prefix="/account"))
account_limit = limiter.limit(limit("ACCOUNT_RATE_LIMIT"), methods=["POST"])


def _isolated(name):
    """A name for a message, escaped and isolated so a right-to-left name keeps its place."""
    return Markup("<bdi>{}</bdi>").format(name)


def _home():
    return redirect(url_for(".index"), code=303)


def _page(account, status=200, **forms):
    questions, answers = data.posts_of(account)
    forms.setdefault("new_pseudonym", PseudonymForm(formdata=None))
    forms["new_pseudonym"].name.id = "new-pseudonym"  # the error summary links to the field
    if forms["new_pseudonym"].errors:
        forms["form"] = forms["new_pseudonym"]  # so the page title starts "Error:"
    forms.setdefault("attach", AttachKeeperForm(formdata=None))
    return render_template(
        "account/index.html",
        account=account,
        questions=questions,
        answers=answers,
        codes_left=services.unused_code_count(account),
        confirm=ConfirmForm(),
        **forms,
    ), status


@bp.get("")
@signed_in
def index(account):
    return _page(account)


@bp.post("/pseudonyms")
@account_limit
@signed_in
def add_pseudonym(account):
    form = PseudonymForm()
    if not form.validate_on_submit():
        return _page(account, 400, new_pseudonym=form)
    try:
        created = pseudonyms.create(account, form.name.data)
    except Refused as refusal:
        refusal_on(form, refusal, default="name")
        return _page(account, 400, new_pseudonym=form)
    flash(Markup("You can now post as {}.").format(_isolated(created.display_name)))
    return _home()


@bp.route("/pseudonyms/<id:pseudonym_id>/rename", methods=["GET", "POST"])
@account_limit
@signed_in
def rename_pseudonym(account, pseudonym_id):
    pseudonym = pseudonyms.owned(account, pseudonym_id) or abort(404)
    form = PseudonymForm(data={"name": pseudonym.display_name})
    if form.validate_on_submit():
        try:
            pseudonyms.rename(pseudonym, form.name.data)
        except Refused as refusal:
            refusal_on(form, refusal, default="name")
        else:
            flash("Renamed. Everything it posted now shows the new name.")
            return _home()
    return form_page("account/rename.html", form, pseudonym=pseudonym)


@bp.route("/pseudonyms/<id:pseudonym_id>/retire", methods=["GET", "POST"])
@account_limit
@signed_in
def retire_pseudonym(account, pseudonym_id):
    """Stop posting as a pseudonym, after a page that says what that means."""
    pseudonym = pseudonyms.owned(account, pseudonym_id) or abort(404)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return form_page("account/retire.html", form, pseudonym=pseudonym)
    try:
        pseudonyms.retire(pseudonym)
    except Refused as refusal:
        flash(str(refusal))
    else:
        name = _isolated(pseudonym.display_name)
        flash(Markup("{} is retired. What it posted stays under its name.").format(name))
    return _home()


@bp.post("/sign-out-everywhere")
@account_limit
@signed_in
def sign_out_everywhere(account):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.end_every_session(account)
    begin_session(account)
    flash("Every other device is signed out. You are still signed in here.")
    return _home()


@bp.route("/password", methods=["GET", "POST"])
@account_limit
@signed_in
def change_password(account):
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(account, form.current.data, form.password.data)
        except Refused as refusal:
            refusal_on(form, refusal, default="current")
        else:
            begin_session(account)
            flash("Your password is changed. Every other device is signed out.")
            return _home()
    return form_page("account/password.html", form)


@bp.route("/recovery-codes/new", methods=["GET", "POST"])
@account_limit
@signed_in
def new_recovery_codes(account):
    """Replace the recovery codes, once the person's password says it is really them."""
    form = NewCodesForm()
    if form.validate_on_submit():
        try:
            services.new_recovery_codes(account, form.password.data, along=hold_codes)
        except Refused as refusal:
            refusal_on(form, refusal, default="password")
        else:
            return redirect(url_for("accounts.recovery_codes"), code=303)
    return form_page("account/new_codes.html", form, codes_left=services.unused_code_count(account))


@bp.post("/keeper-links")
@account_limit
@signed_in
def attach_keeper(account):
    form = AttachKeeperForm()
    if not form.validate_on_submit():
        return _page(account, 400, attach=form)
    try:
        post = data.attach_keeper(account, form.link.data)
    except Refused as refusal:
        refusal_on(form, refusal, default="link")
        return _page(account, 400, attach=form)
    flash("That post is now in your account. It still shows as it did before.")
    # Its page offers to retire the old keeper link.
    kind = "question" if hasattr(post, "title") else "answer"
    return redirect(url_for("keeper.show", kind=kind, post_id=post.id), code=303)


@bp.get("/export.json")
@signed_in
def export(account):
    body = json.dumps(data.export(account), indent=2, ensure_ascii=False)
    disposition = 'attachment; filename="kettle-export.json"'
    return Response(body, mimetype="application/json", headers={"Content-Disposition": disposition})


@bp.route("/delete", methods=["GET", "POST"])
@account_limit
@signed_in
def delete(account):
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            data.delete_account(account, form.password.data, form.choice.data)
        except Refused as refusal:
            refusal_on(form, refusal, default="password")
        else:
            end_session()
            flash("Your account is deleted. Nothing of your login name or pseudonyms remains.")
            return redirect(url_for("pages.home"), code=303)
    return form_page("account/delete.html", form)
