"""The safety circle: people placed in rings by the household and the chair, members and people not in Kring,
professionals apart; the aim of three in the inner ring said in words; every change kept, so the circle of an
earlier day and the inner ring's growth can be shown; in the export, gone with the household."""
from datetime import timedelta

from sqlalchemy import func, select

from tests.conftest import sign_in_as
from webapp.auth.models import utcnow
from webapp.extensions import db
from webapp.safety_circle import services
from webapp.safety_circle.models import CirclePerson, CirclePlacement, Ring


def _place(family, ring, name="", relation="", member=None, days_ago=0):
    return services.place(db.session, family.household, family.users["household_member"], ring, name, relation,
                          family.membership(member) if member else None, now=utcnow() - timedelta(days=days_ago))


def test_the_circle_of_an_earlier_day_shows_where_people_stood_then(family):
    gwen = _place(family, Ring.middle, member="safety_person", days_ago=30)
    henk = _place(family, Ring.outer, "Opa Henk", "opa", days_ago=20)
    services.move(db.session, gwen, Ring.inner, family.users["chair"], utcnow() - timedelta(days=10))
    services.take_off(henk, utcnow() - timedelta(days=5))
    db.session.commit()

    then = services.circle_on(db.session, family.household.id, utcnow() - timedelta(days=15))
    now = services.circle_on(db.session, family.household.id)
    assert [p.person.display_name for p in then.rings[Ring.middle]] == ["Grandma Gwen"]
    assert [p.person.display_name for p in then.rings[Ring.outer]] == ["Opa Henk"]
    assert [p.person.display_name for p in now.rings[Ring.inner]] == ["Grandma Gwen"]
    assert now.rings[Ring.outer] == [] and now.ring_of(henk) is None
    changes = services.changes_between(then, now)
    assert {(c.person.display_name, c.before, c.after) for c in changes} == {
        ("Grandma Gwen", Ring.middle, Ring.inner), ("Opa Henk", Ring.outer, None)}


def test_a_professional_stands_apart_and_never_counts_towards_the_aim(family):
    paula = _place(family, Ring.inner, member="professional")
    assert paula.current.ring == Ring.professional
    assert services.move(db.session, paula, Ring.inner, family.users["chair"]) is False  # still apart
    _place(family, Ring.inner, member="safety_person")
    _place(family, Ring.inner, "Opa Henk")
    circle = services.circle_on(db.session, family.household.id)
    assert (circle.inner_count, circle.still_needed) == (2, 1)
    _place(family, Ring.inner, member="network_member")
    assert services.circle_on(db.session, family.household.id).still_needed == 0


def test_the_inner_ring_over_time_counts_each_change_once(family):
    gwen = _place(family, Ring.inner, member="safety_person", days_ago=30)
    ned = _place(family, Ring.middle, member="network_member", days_ago=30)
    services.move(db.session, ned, Ring.inner, family.users["chair"], utcnow() - timedelta(days=20))
    services.move(db.session, gwen, Ring.outer, family.users["chair"], utcnow() - timedelta(days=10))
    history = services.inner_ring_over_time(db.session, family.household.id)
    assert [count for _, count in history] == [1, 2, 1]
    chart = services.growth_chart(history, utcnow())
    assert chart.now_count == 1 and chart.points.startswith("0.0,") and chart.points.endswith(f"{chart.width},{chart.height * 2 / 3:.1f}")


def test_the_household_and_chair_place_people_and_the_network_only_reads(client, family):
    h = family.household.id
    sign_in_as(client, family.users["chair"])
    member = family.membership("safety_person")
    answer = client.post(f"/h/{h}/circle/add", data={"member": str(member.id), "name": "", "relation": "oma",
                                                     "ring": "inner"})
    assert answer.status_code == 302 and answer.headers["Location"] == f"/h/{h}/circle"
    answer = client.post(f"/h/{h}/circle/add", data={"member": "", "name": " Juf Anne ", "relation": "juf",
                                                     "ring": "outer"})
    assert answer.status_code == 302
    page = client.get(f"/h/{h}/circle").text
    assert "Grandma Gwen" in page and "Juf Anne" in page and "Not in Kring" in page
    assert "1 of the 3 in the inner ring: who else could join?" in page
    assert "<svg" in page and 'class="circle-dot circle-dot--outer"' in page
    anne = db.session.scalar(select(CirclePerson).where(CirclePerson.name == "Juf Anne"))
    answer = client.post(f"/h/{h}/circle/{anne.id}/invite")  # invite her from the circle, her name not in the address
    assert answer.status_code == 302 and answer.headers["Location"] == f"/h/{h}/invitations?role=network_member"
    assert 'value="Juf Anne"' in client.get(answer.headers["Location"]).text

    sign_in_as(client, family.users["network_member"])
    page = client.get(f"/h/{h}/circle").text
    assert "Juf Anne" in page and "Put someone on the circle" not in page and f"/circle/{anne.id}" not in page
    assert client.post(f"/h/{h}/circle/{anne.id}", data={"ring": "inner"}).status_code == 403


def test_moving_someone_and_taking_them_off_keeps_their_earlier_places(client, family):
    h = family.household.id
    henk = _place(family, Ring.outer, "Opa Henk", "opa", days_ago=3)
    db.session.commit()
    sign_in_as(client, family.users["household_member"])
    assert client.post(f"/h/{h}/circle/{henk.id}", data={"ring": "middle", "relation": "opa", "member": ""}
                       ).status_code == 302
    assert client.post(f"/h/{h}/circle/{henk.id}", data={"ring": "off", "relation": "opa", "member": ""}
                       ).status_code == 302
    rings = list(db.session.execute(select(CirclePlacement.ring, CirclePlacement.ended_at.is_(None))
                                    .where(CirclePlacement.person_id == henk.id).order_by(CirclePlacement.id)))
    assert rings == [(Ring.outer, False), (Ring.middle, False)]
    page = client.get(f"/h/{h}/circle/{henk.id}").text
    assert "Earlier places" in page and page.count("until") >= 2


def test_someone_placed_by_name_is_linked_to_the_member_they_became(client, family):
    h = family.household.id
    henk = _place(family, Ring.middle, "Neddy")
    db.session.commit()
    ned = family.membership("network_member")
    sign_in_as(client, family.users["household_member"])
    assert str(ned.id) in client.get(f"/h/{h}/circle/{henk.id}").text
    client.post(f"/h/{h}/circle/{henk.id}", data={"ring": "middle", "relation": "", "member": str(ned.id)})
    db.session.expire_all()
    assert db.session.get(CirclePerson, henk.id).display_name == "Neighbour Ned"
    # a member already on the circle is not offered again
    page = client.get(f"/h/{h}/circle/add").text
    assert f'value="{ned.id}"' not in page


def test_bad_input_is_explained_and_what_was_typed_stays(client, family):
    h = family.household.id
    sign_in_as(client, family.users["household_member"])
    page = client.post(f"/h/{h}/circle/add", data={"member": "", "name": "", "relation": "buurvrouw",
                                                   "ring": "middle"}).text
    assert "Choose someone in Kring, or write a name." in page and 'value="buurvrouw"' in page
    page = client.post(f"/h/{h}/circle/add", data={"member": "", "name": "Els", "relation": ""}).text
    assert "Choose where this person stands." in page and 'value="Els"' in page
    assert db.session.scalar(select(func.count(CirclePerson.id))) == 0
    page = client.get(f"/h/{h}/circle?on=31-02-2026").text
    assert "Write the date as day, month and year" in page
    page = client.get(f"/h/{h}/circle?on={utcnow().date() + timedelta(days=3)}").text
    assert "Choose a day before today." in page


def test_someone_of_another_household_cannot_be_placed_or_changed(client, family):
    other = services.place(db.session, family.other_household, family.users["outsider"], Ring.inner, "Other Olga")
    db.session.commit()
    sign_in_as(client, family.users["household_member"])
    assert client.get(f"/h/{family.household.id}/circle/{other.id}").status_code == 404
    assert "Other Olga" not in client.get(f"/h/{family.household.id}/circle").text


def test_the_circle_is_in_the_household_export_and_goes_with_the_household(app, family):
    import io
    import json
    import zipfile
    from webapp.ownership.services import erase_household, export_household
    _place(family, Ring.inner, member="safety_person")
    _place(family, Ring.outer, "Opa Henk", "opa")
    db.session.commit()
    archive = zipfile.ZipFile(io.BytesIO(export_household(db.session, app.instance_path, family.household)))
    circle = json.loads(archive.read("safety_circle.json"))
    assert {(p["name"], p["in_kring"], p["places"][0]["ring"]) for p in circle} == {
        ("Grandma Gwen", True, "inner"), ("Opa Henk", False, "outer")}
    erase_household(db.session, app.instance_path, family.household)
    db.session.commit()
    assert db.session.scalar(select(func.count(CirclePerson.id))) == 0
    assert db.session.scalar(select(func.count(CirclePlacement.id))) == 0


def test_a_member_who_leaves_kring_stays_on_the_circle_under_the_name_they_had(family):
    from webapp.households.services import remove_member
    gwen = _place(family, Ring.inner, member="safety_person")
    db.session.commit()
    remove_member(db.session, family.membership("safety_person"))
    db.session.commit()
    db.session.expire_all()
    gwen = db.session.get(CirclePerson, gwen.id)
    assert gwen.membership_id is None and gwen.display_name == "Grandma Gwen"
    assert services.circle_on(db.session, family.household.id).inner_count == 1  # leaving Kring is not leaving the network


def test_the_meeting_pack_and_the_summary_show_how_the_circle_changed_since_the_last_meeting(client, family):
    from tests.meetings.conftest import plan
    h = family.household.id
    henk = _place(family, Ring.outer, "Opa Henk", "opa", days_ago=30)
    _place(family, Ring.inner, member="safety_person", days_ago=30)
    _place(family, Ring.middle, "Juf Anne", "juf", days_ago=25)
    previous = plan(family, utcnow() - timedelta(days=20))
    services.move(db.session, henk, Ring.inner, family.users["chair"], utcnow() - timedelta(days=10))
    _place(family, Ring.middle, "Buurvrouw Els", days_ago=5)
    db.session.commit()
    meeting = plan(family)
    assert previous.starts_at < meeting.starts_at

    sign_in_as(client, family.users["chair"])
    page = client.get(f"/h/{h}/meetings/{meeting.id}/pack").text
    assert "Opa Henk</strong> (opa):\n    from outer ring to inner ring" in page
    assert "Buurvrouw Els</strong>:\n    new on the circle, middle ring" in page
    assert "Juf Anne</strong>" not in page.split("circle-changes")[1].split("</ul>")[0]  # not changed since
    assert "2 of the 3 in the inner ring: who else could join?" in page and 'class="circle-drawing"' in page

    sign_in_as(client, family.users["household_member"])  # the household sees what a professional sees
    page = client.get(f"/h/{h}/summary").text
    assert "from outer ring to inner ring" in page and "new on the circle, middle ring" in page


def test_a_drag_to_another_ring_is_saved_and_a_bad_ring_changes_nothing(client, family):
    h = family.household.id
    henk = _place(family, Ring.outer, "Opa Henk")
    db.session.commit()
    sign_in_as(client, family.users["chair"])
    assert client.post(f"/h/{h}/circle/{henk.id}/move", data={"ring": "nowhere"}).status_code == 400
    answer = client.post(f"/h/{h}/circle/{henk.id}/move", data={"ring": "inner"})
    assert answer.status_code == 302 and answer.headers["Location"] == f"/h/{h}/circle"
    assert services.circle_on(db.session, h).ring_of(henk) == Ring.inner
    assert "data-circle-drag" in client.get(f"/h/{h}/circle").text
    sign_in_as(client, family.users["safety_person"])  # reads, cannot move: no drag offered
    assert "data-circle-drag" not in client.get(f"/h/{h}/circle").text


def test_a_member_on_the_circle_is_moved_from_their_page_which_offers_no_member_to_link(client, family):
    h = family.household.id
    gwen = _place(family, Ring.middle, member="safety_person")
    db.session.commit()
    sign_in_as(client, family.users["household_member"])
    page = client.get(f"/h/{h}/circle/{gwen.id}").text
    assert 'id="member"' not in page  # already a member: nothing to link
    answer = client.post(f"/h/{h}/circle/{gwen.id}", data={"ring": "inner", "relation": "oma"})
    assert answer.status_code == 302, answer.text[:2000]
    assert services.circle_on(db.session, h).ring_of(gwen) == Ring.inner
