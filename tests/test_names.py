"""Names people post under: every script welcome, look-alikes and borrowed authority refused."""

import importlib.util
import unicodedata
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select

from app.accounts import names
from app.accounts.models import Account, Pseudonym
from app.accounts.reserved import ReservedName
from app.core.tokens import token_hash
from app.questions.models import Question
from app.web.extensions import db
from tests.accounts_helpers import PASSWORD, join, pseudonym_ids

JOIN = {"handle": "new-one", "password": PASSWORD, "password_confirm": PASSWORD}

EVERY_SCRIPT = [
    "राम",  # Devanagari, with a vowel sign
    "O’Neil",  # the curly apostrophe a phone keyboard types
    "O'Neil",
    "D‘Arcy",
    "محمد",  # Arabic
    "مهسا\u200cجان",  # Persian, with the zero width non-joiner its spelling needs
    "שָׁלוֹם",  # Hebrew with points
    "王小明",  # Chinese
    "さくら",  # Japanese
    "김민준",  # Korean
    "สมชาย",  # Thai, with marks
    "Nguyễn Thị Minh",  # Vietnamese, two marks on one letter
    "Ngāti Porou",
    "Ōkami-san",
    "Zoë",
    "Zoe\u0308 Two",  # the same letter typed as e and a combining mark
    "Αλέξης",  # Greek
    "Дмитрий",  # Cyrillic
    "Ana_B",
    "Jo.Smith",
    "አበበ",  # Ethiopic
    "ᏣᎳᎩ",  # Cherokee
]


@pytest.mark.parametrize("name", EVERY_SCRIPT)
def test_my_name_in_my_own_script_is_accepted_as_i_wrote_it(client, app, name):
    response = client.post("/join", data={**JOIN, "pseudonym": name})
    assert response.status_code == 303, response.get_data(as_text=True)[-3000:]
    with app.app_context():
        stored = db.session.scalars(select(Pseudonym.display_name)).one()
    assert stored == unicodedata.normalize("NFC", name)


@pytest.mark.parametrize(
    ("first", "look_alike"),
    [
        ("limes11", "Iimes11"),  # small l and capital I
        ("Iimes11", "LIMES11"),
        ("Paul", "PauI"),
        ("Lily", "IiIy"),
        ("Sam", "Sarn"),  # m and r n
        ("Olga", "0lga"),
        ("Heron", "Ηeron"),  # Greek capital eta
        ("Robin", "Rоbin"),  # Cyrillic o
        ("Anna", "Аnnа"),  # Cyrillic a
        ("Kim", "Kіm"),  # Cyrillic-Ukrainian i
        ("Pip", "Ρiρ"),  # Greek rho
        ("Mila", "ⅿila"),  # small roman numeral one thousand
        ("Robin", "Ｒｏｂｉｎ"),  # full width
        ("O’Neil", "O'Neil"),  # apostrophes are not what tells names apart
        ("Ann Marie", "Ann-Marie"),
        ("Zoë", "Zoe\u0308"),
        ("René", "Rene"),  # an accent on a Latin letter is easy to miss
        ("limes11", "li\u0307mes11"),  # i with a combining dot above
        ("Мира", "мира"),  # capitals and small letters meet in Cyrillic too
    ],
)
def test_a_name_that_looks_just_like_mine_is_refused(app, first, look_alike):
    join(app.test_client(), pseudonym=first)
    response = app.test_client().post("/join", data={**JOIN, "pseudonym": look_alike})
    assert response.status_code == 400
    assert "looks just like it" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Account)) == 1


@pytest.mark.parametrize(
    ("one", "other"),
    [("Ann", "Anne"), ("Rowan", "Rowen"), ("राम", "रम"), ("Sam1", "Sam2")],
)
def test_names_that_only_look_a_little_alike_both_stay_available(one, other):
    assert names.fold(one) != names.fold(other)


@pytest.mark.parametrize(
    "name",
    [
        "Moderation Team",
        "Mod",
        "Mods",
        "The Mods",
        "Mod Sarah",
        "ModTeam",
        "MODTEAM",
        "M0d",
        "Μod",  # Greek capital mu
        "Kettle",
        "Kettle Support",
        "KettleTeam",
        "Coordinator",
        "C00rdinator",
        "Admin",
        "Adm1n",
        "Admin123",
        "Аdmin",  # Cyrillic A
        "Administrator",
        "Support",
        "Support Team",
        "Official",
        "Offic1al",
        "Staff",
        "Moderator",
        "Mоderator",  # Cyrillic o
        "Anonymous",
        "The Asker",
    ],
)
def test_a_name_that_borrows_authority_is_refused_in_plain_words(client, app, name):
    response = client.post("/join", data={**JOIN, "pseudonym": name})
    assert response.status_code == 400
    assert "could read as speaking for Kettle or its moderators" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "name", ["Desmond", "Badminton Fan", "Modesty", "Moderate Drinker", "Supportive Sam", "Adam"]
)
def test_ordinary_names_that_contain_those_letters_are_fine(name):
    assert names.problem(name) is None


@pytest.mark.parametrize(
    "name",
    [
        "Ann\u200b",
        "\u200cAnn",
        "Ann\u3164",
        "Ann\u2800",
        "An\u00adn",
        "Ann\ufe0f",
        "\u0301Ann",
        "Ann\u202e",
        "Ann\u0000",
        "Ann!",
        "<Ann>",
    ],
)
def test_a_name_hiding_characters_or_symbols_is_refused(name):
    assert "letters, numbers" in names.problem(name)


def test_a_name_with_marks_piled_on_a_letter_is_refused():
    assert "marks on one letter" in names.problem("Ann" + "\u0334\u0335\u0336\u0337\u0338")


def test_a_deleted_accounts_names_stay_out_of_reach_and_nothing_else_stays(app, client):
    join(client, handle="leaving-fox", pseudonym="Trusted Heron")
    client.post("/account/pseudonyms", data={"name": "Second Name"})
    deleted = client.post(
        "/account/delete", data={"password": PASSWORD, "choice": "remove-everything"}
    )
    assert deleted.status_code == 303
    newcomer = app.test_client()
    for name in ("Trusted Heron", "TRUSTED HERОN", "Second Name"):
        response = newcomer.post("/join", data={**JOIN, "pseudonym": name})
        assert "looks just like it" in response.get_data(as_text=True), name
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Pseudonym)) == 0
        kept = db.session.scalars(select(ReservedName.name_key)).all()
        columns = [column.name for column in inspect(ReservedName).columns]
    hashed = [token_hash(names.fold(name)) for name in ("Trusted Heron", "Second Name")]
    assert sorted(kept) == sorted(hashed)
    assert not any(names.fold("Trusted Heron") in key for key in kept)
    assert columns == ["name_key"]


def test_a_retired_name_stays_mine_and_out_of_others_reach(app, client):
    join(client, pseudonym="Robin")
    client.post("/account/pseudonyms", data={"name": "Wren"})
    client.post(f"/account/pseudonyms/{pseudonym_ids(client)['Robin']}/retire")
    response = app.test_client().post("/join", data={**JOIN, "pseudonym": "R0BIN"})
    assert "looks just like it" in response.get_data(as_text=True)


def _migration():
    path = next(Path("migrations/versions").glob("0006_*.py"))
    spec = importlib.util.spec_from_file_location("renewal", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _old_pseudonym(account, name, key):
    db.session.add(Pseudonym(account=account, public_id=key[:16], display_name=name, name_key=key))


def test_names_chosen_before_the_new_keys_still_block_their_look_alikes(app):
    with app.app_context():
        account = Account(handle_key="old-timer", password_hash="x")
        _old_pseudonym(account, "Iimes11", "iimes11")  # keys as the old rules made them
        _old_pseudonym(account, "limes11", "limesll")
        _old_pseudonym(account, "Heron", "heron")
        db.session.add(account)
        db.session.commit()
        _migration().renew_name_keys(db.session.connection())
        db.session.commit()
        keys = dict(db.session.execute(select(Pseudonym.display_name, Pseudonym.name_key)).all())
    assert keys["Iimes11"] == names.fold("limes11")  # the older one keeps the shared key
    assert keys["limes11"].startswith(names.fold("limes11") + "#")
    assert keys["Heron"] == names.fold("Heron")
    response = app.test_client().post("/join", data={**JOIN, "pseudonym": "LIMES11"})
    assert "looks just like it" in response.get_data(as_text=True)


def test_posts_written_before_line_breaks_were_kept_read_the_same_as_new_ones(app, make):
    posted = make.question(title="Old question", body="One line.\nNext line.")
    with app.app_context():
        old = db.session.get(Question, posted.post.id)
        old.body_html = "<p>One line.\nNext line.</p>"  # as the old rules rendered it
        old.title = "Old \uffff question"
        db.session.commit()
        migration = _migration()
        migration.renew_posts(db.session.connection())
        migration.renew_posts(db.session.connection())  # a second run changes nothing more
        db.session.commit()
        renewed = db.session.get(Question, posted.post.id)
        assert renewed.body_html == "<p>One line.<br>\nNext line.</p>\n"
        assert renewed.title == "Old question"


@pytest.mark.parametrize(
    "name",
    ["Mød", "Möd", "Admín", "Suppört", "Moderatör", "Kẹttle", "ᴍᴏd", "K3ttle", "Moder4tor",
     "Модератор", "Moderador", "管理员", "Adm1n"],
)  # fmt: skip
def test_authority_dressed_in_accents_digits_or_other_languages_is_still_refused(client, name):
    response = client.post("/join", data={**JOIN, "pseudonym": name})
    assert response.status_code == 400
    assert "speaking for Kettle" in response.get_data(as_text=True)


@pytest.mark.parametrize("name", ["ශ්‍රී", "क्‌ष", "र्‍ष", "ཀུན་བཟང", "צ׳רלי", "Sam3", "Ella4"])
def test_names_written_the_way_their_script_needs_are_accepted(app, name):
    response = app.test_client().post("/join", data={**JOIN, "pseudonym": name})
    assert response.status_code == 303, response.get_data(as_text=True)[-3000:]


@pytest.mark.parametrize("name", ["Ann\u3164", "\u3164\u3164", "\ufdfa" * 10, "Ann\u2800"])
def test_blank_and_swollen_names_are_refused(name):
    assert names.problem(name)
