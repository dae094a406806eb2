"""Who may see what: signing in, roles, shifts, and pages no cache may keep."""

import re
from urllib.parse import quote

import pytest
from flask import jsonify, url_for
from markupsafe import escape

from app.accounts import access, services
from app.web.extensions import db
from tests.accounts_helpers import PASSWORD, join, pseudonym_ids
from tests.test_account_life import ask

SIGNED_IN_PAGES = [
    ("GET", "/account"),
    ("GET", "/account/password"),
    ("GET", "/account/recovery-codes/new"),
    ("GET", "/account/export.json"),
    ("GET", "/account/delete"),
    ("GET", "/account/pseudonyms/1/rename"),
    ("GET", "/account/pseudonyms/1/retire"),
    ("POST", "/account/pseudonyms"),
    ("POST", "/account/sign-out-everywhere"),
    ("POST", "/account/keeper-links"),
]
# Where Kettle's private pages live, now and (moderation, the rota) to come.
PRIVATE_PLACES = ("/keep/", "/feed/", "/mine/", "/recover", "/settings", "/account",
                  "/moderate", "/rota", "/join", "/login", "/report", "/receipt/",
                  "/coordinate")  # fmt: skip


def _grant(app, role, handle="quiet-fox"):
    with app.app_context():
        services.grant(handle, role)
        db.session.remove()


@pytest.fixture
def guarded(app):
    """Throwaway pages behind `requires`, as moderation and the rota will add them."""

    def page(account):
        return jsonify(shown_to=account.id)

    for path, rule in [
        ("/test-only/moderators", access.requires("moderator")),
        ("/test-only/coordinators", access.requires("coordinator")),
        ("/test-only/either", access.requires("moderator", "coordinator")),
        ("/test-only/queue", access.requires("moderator", on_shift=True)),
    ]:
        app.add_url_rule(path, endpoint=path, view_func=rule(page))
    return app


@pytest.mark.parametrize(("method", "path"), SIGNED_IN_PAGES)
def test_a_signed_out_visitor_is_sent_to_sign_in_from_each_signed_in_page(client, method, path):
    response = client.open(path, method=method)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/login?next={quote(path, safe='/')}"
    assert "Please sign in to see your account." in client.get("/login").get_data(as_text=True)


def test_every_account_page_asks_a_signed_out_visitor_to_sign_in(app, client):
    account_rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("account.")]
    listed = {path.replace("/1/", "/<id:pseudonym_id>/") for _, path in SIGNED_IN_PAGES}
    assert {rule.rule for rule in account_rules} == listed


def test_sign_in_comes_back_to_the_page_that_asked(client):
    response = client.get("/account/password")
    join(client)
    client.post("/logout")
    back = client.post(
        response.headers["Location"], data={"handle": "quiet-fox", "password": PASSWORD}
    )
    assert back.headers["Location"] == "/account/password"


def test_a_signed_out_visitor_is_sent_to_sign_in_from_a_role_page(guarded, client):
    response = client.get("/test-only/moderators")
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/login?next=")


def test_someone_without_a_role_is_refused_kindly(guarded, client):
    join(client)
    response = client.get("/test-only/moderators")
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert "This page is not open to you" in page
    assert escape(access.NOT_YOUR_ROLE) in page


def test_a_moderator_may_open_a_moderators_page(guarded, client):
    join(client)
    _grant(guarded, "moderator")
    assert client.get("/test-only/moderators").status_code == 200
    assert client.get("/test-only/either").status_code == 200


def test_a_moderator_is_refused_a_coordinators_page(guarded, client):
    join(client)
    _grant(guarded, "moderator")
    assert client.get("/test-only/coordinators").status_code == 403


def test_a_coordinator_may_open_a_page_for_either_role(guarded, client):
    join(client)
    _grant(guarded, "coordinator")
    assert client.get("/test-only/either").status_code == 200
    assert client.get("/test-only/moderators").status_code == 403


def test_nobody_is_on_shift_until_the_rota_says_so(guarded, client, monkeypatch):
    monkeypatch.setattr(access, "on_shift_check", None)
    join(client)
    _grant(guarded, "moderator")
    _grant(guarded, "coordinator")
    response = client.get("/test-only/queue")
    assert response.status_code == 403
    assert escape(access.NOT_ON_SHIFT) in response.get_data(as_text=True)


def test_a_moderator_on_shift_by_the_rotas_check_may_open_the_queue(guarded, client, monkeypatch):
    monkeypatch.setattr(access, "on_shift_check", None)
    monkeypatch.setattr(access, "anyone_check", None)
    join(client)
    _grant(guarded, "moderator")
    seen = []
    access.register_on_shift(lambda account: seen.append(account.id) or True, lambda: True)
    assert client.get("/test-only/queue").status_code == 200
    assert len(seen) == 1
    assert access.anyone_on_shift()
    access.register_on_shift(lambda account: False, lambda: False)
    assert client.get("/test-only/queue").status_code == 403
    assert not access.anyone_on_shift()


def test_until_a_rota_registers_nobody_is_on_shift(monkeypatch):
    monkeypatch.setattr(access, "anyone_check", None)
    assert not access.anyone_on_shift()


def test_the_rotas_check_does_not_let_in_someone_without_the_role(guarded, client, monkeypatch):
    monkeypatch.setattr(access, "on_shift_check", None)
    monkeypatch.setattr(access, "anyone_check", None)
    access.register_on_shift(lambda account: True, lambda: True)
    join(client)
    assert client.get("/test-only/queue").status_code == 403


def test_a_role_page_needs_a_role(app):
    with pytest.raises(ValueError):
        access.requires(on_shift=True)


def _feed(client, keeper):
    page = client.get(keeper).get_data(as_text=True)
    return re.search(r'id="feed-url"[^>]*value="http://localhost(/feed/[^"]+)"', page).group(1)


def test_every_private_page_is_never_stored(app, client, make):
    posted = make.question()
    keep = f"/keep/{posted.keeper_token}"
    visitor = app.test_client()
    reported = visitor.post("/report", data={"target": f"question:{posted.post.id}",
                                             "reason": "spam"})  # fmt: skip
    receipt = re.search(r'id="receipt-link"[^>]*href="([^"]+)"', reported.get_data(True))[1]
    signed_out = ["/join", "/login", "/recover", "/settings/content-notes", keep,
                  f"{keep}/edit", f"{keep}/delete", f"{keep}/kettle-link.txt",
                  f"{keep}/replies", f"{keep}/replies-closed", _feed(visitor, keep),
                  f"/report?target=question:{posted.post.id}", receipt]  # fmt: skip
    assert reported.headers.get("Cache-Control") == "no-store"
    for url in signed_out:
        assert visitor.get(url).headers.get("Cache-Control") == "no-store", url
    join(client)
    pid = pseudonym_ids(client)["Robin"]
    mine = f"/mine/question/{ask(client, 'My own question', pid)}"
    signed_in = ["/account", "/account/password", "/account/recovery-codes/new",
                 "/account/export.json", "/account/delete", "/account/recovery-codes",
                 "/account/recovery-codes.txt", f"/account/pseudonyms/{pid}/rename",
                 f"/account/pseudonyms/{pid}/retire", mine, f"{mine}/edit",
                 f"{mine}/delete", f"{mine}/replies", f"{mine}/replies-closed",
                 "/login", "/join", "/recover", "/settings/content-notes"]  # fmt: skip
    for url in signed_in:
        assert client.get(url).headers.get("Cache-Control") == "no-store", url


def _dummy(rule):
    args = {"token": "x", "feed": "x", "kind": "question", "slug": "x", "public_id": "x"}
    return {name: args.get(name, 1) for name in rule.arguments}


def test_pages_are_private_exactly_where_private_pages_live(app, make):
    make.question()
    visitor = app.test_client()
    for rule in app.url_map.iter_rules():
        if rule.endpoint in ("static", "asset"):
            continue
        with app.test_request_context():
            url = url_for(rule.endpoint, **_dummy(rule))
        method = "GET" if "GET" in rule.methods else "POST"
        response = visitor.open(url, method=method)
        private = response.headers.get("Cache-Control") == "no-store"
        # An error page is never stored, wherever it is; other pages only where private.
        expected = response.status_code >= 400 or rule.rule.startswith(PRIVATE_PLACES)
        assert private == expected, (method, rule.rule, response.status_code)


def test_public_pages_may_be_cached_unless_a_keeper_link_is_shown(app, client, make):
    question = make.question().post
    public = ["/", "/topics", "/t/work-and-lived-experience-roles", f"/q/{question.id}",
              "/how-it-works", "/help-now", "/api/v1/topics",
              f"/api/v1/questions/{question.id}"]  # fmt: skip
    for url in public:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Cache-Control" not in response.headers, url
    fields = {"title": "Is it all right to rest?", "body": "Tired.",
              "topic": "getting-through-today", "as": "anonymous"}  # fmt: skip
    asked = client.post("/ask", data=fields)
    assert client.get(asked.headers["Location"]).headers["Cache-Control"] == "no-store"
    assert "Cache-Control" not in client.get(asked.headers["Location"]).headers


def test_a_mistyped_address_under_a_keeper_link_is_never_stored(client, make):
    token = make.question().keeper_token
    for path in (f"/keep/{token}/mistyped", "/account/nonexistent", "/no-such-page"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.headers["Cache-Control"] == "no-store", path
