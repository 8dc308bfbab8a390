"""The demo household's drills: nine days ago the network practised the safe-object signal (Oma Ria answered in
two and a half minutes; Buurman Kees learned to leave Kring's alerts on), and in five days it will talk through
an evening that once went wrong. Fictional; written through the drills' and signals' services. Called by
webapp.demo, after the signals and the plan."""
from datetime import timedelta

from sqlalchemy.orm import Session

from webapp.auth.models import User, utcnow
from webapp.drills import services
from webapp.drills.models import DrillKind
from webapp.households.models import Household
from webapp.households.services import membership_of
from webapp.safety_plan.services import version_in_force
from webapp.signals import services as signals
from webapp.signals.models import AckKind, DeliveryStatus

NETWORK = ["ouder", "veiligheidspersoon", "netwerklid", "voorzitter"]


def seed_demo(session: Session, household: Household, users: dict[str, User]) -> None:
    now = utcnow()
    everyone = [membership_of(session, household.id, users[u].id) for u in NETWORK]
    practised = services.plan(session, household, users["voorzitter"], services.DrillInput(
        DrillKind.signal, "Mila zet op zondagavond de beer voor het raam. Wie ziet het, en wie komt?",
        now - timedelta(days=9, hours=2), None, everyone))
    signal = services.start_signal_drill(session, household, practised, users["voorzitter"],
                                         practised.planned_at, 5)
    for d in signal.deliveries:  # these went out at the time
        d.status, d.attempts, d.sent_at = DeliveryStatus.sent, 1, signal.send_at + timedelta(seconds=2)
    signals.acknowledge(session, signal, users["veiligheidspersoon"], AckKind.going,
                        signal.send_at + timedelta(seconds=150))
    signals.close_with_outcome(session, "", signal, users["voorzitter"], "Oefening: Oma Ria was er binnen tien minuten.",
                               None, signal.send_at + timedelta(minutes=15))
    services.finish(practised, "Het ging goed: Oma Ria was er snel. Kees had zijn telefoon op stil; hij zet de "
                               "meldingen van Kring voortaan altijd aan.", signal.send_at + timedelta(hours=1))
    version = version_in_force(session, household.id)
    services.plan(session, household, users["voorzitter"], services.DrillInput(
        DrillKind.scenario, "Papa belt boos tijdens het eten. Wat doet Sanne, wat doet Mila, wie belt Sanne?",
        now + timedelta(days=5, hours=3), version.agreements[0] if version and version.agreements else None,
        everyone))
