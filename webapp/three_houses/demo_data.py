"""Mila's three houses in the demo: a worry she told Oma Ria (for her safety person), good things and a dream she
shared with everyone, made with her mother. Fictional; written through the houses' services. Called by webapp.demo."""
from sqlalchemy.orm import Session

from webapp.auth.models import User
from webapp.households.models import Child
from webapp.three_houses import services
from webapp.three_houses.models import House, ShareWith

ITEMS = [  # (house, words, picture, shared with, helper)
    (House.worries, "Als papa en mama ruzie maken aan de telefoon.", "sad", ShareWith.safety_people, "veiligheidspersoon"),
    (House.good, "Koekjes bakken bij oma.", "love", ShareWith.network, "ouder"),
    (House.good, "Voetbal met Kees zijn hond.", "play", ShareWith.network, "ouder"),
    (House.dreams, "Dat iedereen rustig praat.", "sun", ShareWith.network, "ouder"),
]


def seed_demo(session: Session, mila: Child, users: dict[str, User], instance_path: str) -> None:
    for house, words, picture, share, helper in ITEMS:
        services.add(session, instance_path, mila, users[helper], house, words, picture, None, share)
