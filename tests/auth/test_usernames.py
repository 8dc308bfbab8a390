"""A username that is taken is never refused when joining: a free variant with a random number is offered."""
import re

from webapp.extensions import db


def test_a_taken_username_gets_a_random_number_and_stays_a_valid_username(app, family):
    from webapp.auth.services import USERNAME_RE, free_username, username_available
    assert free_username(db.session, "Nobody.Yet") == "nobody.yet"
    offered = {free_username(db.session, "chair") for _ in range(20)}
    assert all(re.fullmatch(r"chair\d{2}", name) and username_available(db.session, name) for name in offered)
    assert len(offered) > 1  # random, so it says nothing about how many similar names exist
    family.users["chair"].username = "ria2"
    long_name = "r" * 40
    family.users["network_member"].username = long_name
    db.session.commit()
    assert re.fullmatch(r"ria2\.\d{2}", free_username(db.session, "ria2"))
    assert all(USERNAME_RE.fullmatch(free_username(db.session, n)) for n in ("ria2", long_name))
