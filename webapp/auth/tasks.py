"""Background work of accounts on huey (registered by webapp.worker): the e-mail that checks a typed address."""
import logging

from webapp.worker import app, huey

log = logging.getLogger(__name__)


@huey.task()
def send_address_check(user_id: int, address: str) -> bool:
    """Send the link (or, for an address that already has an account, the note to its owner). The person who typed
    it sees the same answer either way, so a failure is only logged: they can type the address again."""
    from webapp.auth import email_address
    from webapp.auth.models import User
    from webapp.extensions import db
    # The one way mail leaves Kring (alerts, meeting invitations and this) is the notification module's sender.
    from webapp.signals.delivery import Outgoing
    from webapp.signals.models import Channel
    from webapp.signals.push import Sender
    config = app().config
    with app().app_context():
        user = db.session.get(User, user_id)
        mail = email_address.check_mail(db.session, user, address, config["SECRET_KEY"], config["BASE_URL"],
                                        config["BABEL_DEFAULT_LOCALE"]) if user is not None else None
        db.session.remove()
    if mail is None:
        return False
    outcome = Sender(config).send(Outgoing(delivery_id=0, channel=Channel.email, subscription=None, to=mail.to,
                                           payload={}, subject=mail.subject, body=mail.body, topic="",
                                           urgency="normal", ttl=0))
    if outcome.error:
        log.warning("address check for user %s not sent: %s", user_id, outcome.error)
    return outcome.error is None
