"""Public times: valid, rounded down to the minute, and dated in the deployment's time zone."""

import re
import xml.etree.ElementTree as ET
from datetime import datetime

import pytest
from sqlalchemy import update

from app.core.time import iso, local_day
from app.questions.models import Answer, Question
from app.web.extensions import db

# A valid global date and time string (HTML) that is also RFC 3339 (Atom): whole minutes, UTC.
MINUTE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:00Z$")
DATETIME_ATTR = re.compile(r'<time datetime="([^"]*)"')
ATOM = "{http://www.w3.org/2005/Atom}"


def _set_times(app, question_id, answer_id, moment):
    with app.app_context():
        db.session.execute(update(Question).where(Question.id == question_id).values(
            created_at=moment, edited_at=moment))  # fmt: skip
        db.session.execute(update(Answer).where(Answer.id == answer_id).values(created_at=moment))
        db.session.commit()


def _feed_url(client, keeper):
    page = client.get(keeper).get_data(as_text=True)
    return re.search(r'id="feed-url"[^>]*value="http://localhost(/feed/[^"]+)"', page).group(1)


def test_a_stored_time_is_shown_to_the_minute_rounded_down():
    assert iso(datetime(2026, 11, 29, 18, 57, 59, 999_999)) == "2026-11-29T18:57:00Z"
    assert iso(None) is None


def test_no_page_feed_or_api_gives_away_seconds_or_microseconds(app, client, make):
    posted = make.question()
    answered = make.answer(posted.post, body="Waiting helped me.")
    _set_times(app, posted.post.id, answered.post.id, datetime(2026, 11, 29, 18, 57, 25, 530583))

    page = client.get(f"/q/{posted.post.id}").get_data(as_text=True)
    stamps = DATETIME_ATTR.findall(page)
    assert stamps, "the question page should date its posts"
    assert [s for s in stamps if not MINUTE.match(s)] == []

    api = client.get(f"/api/v1/questions/{posted.post.id}").get_json()
    api_stamps = [api["created_at"], api["edited_at"], api["perspectives"][0]["created_at"]]
    assert api_stamps == ["2026-11-29T18:57:00Z"] * 3

    feed = ET.fromstring(client.get(_feed_url(client, f"/keep/{posted.keeper_token}")).data)
    feed_stamps = [e.text for e in feed.iter(f"{ATOM}updated")]
    assert feed_stamps == ["2026-11-29T18:57:00Z"] * 2


def test_a_post_at_half_past_midnight_on_a_summer_night_is_dated_that_day(app, client, make):
    posted = make.question()
    answered = make.answer(posted.post)
    # 23:30 UTC on 14 July is 00:30 BST on 15 July in London.
    _set_times(app, posted.post.id, answered.post.id, datetime(2026, 7, 14, 23, 30))
    page = client.get(f"/q/{posted.post.id}").get_data(as_text=True)
    assert 'datetime="2026-07-14T23:30:00Z">15 Jul 2026</time>' in page
    assert "14 Jul 2026" not in page


@pytest.mark.settings(TIMEZONE="America/New_York")
def test_a_deployment_elsewhere_dates_posts_in_its_own_time_zone(app, client, make):
    posted = make.question()
    answered = make.answer(posted.post)
    _set_times(app, posted.post.id, answered.post.id, datetime(2026, 7, 15, 2, 30))
    page = client.get(f"/q/{posted.post.id}").get_data(as_text=True)
    assert ">14 Jul 2026</time>" in page
    assert "15 Jul 2026" not in page


def test_a_winter_date_in_london_is_the_utc_date():
    assert local_day(datetime(2026, 1, 14, 23, 30), "Europe/London") == "14 Jan 2026"
    assert local_day(datetime(2026, 7, 14, 23, 30), "Europe/London") == "15 Jul 2026"
