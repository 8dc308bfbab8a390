"""Adding an e-mail address to an account without telling anyone whether the address already has an account.

Whoever types an address (when joining or in Settings) always gets the same answer: "we sent an e-mail to it".
The address is stored only when the person opens the link that went to it, so nobody can claim an address that
is not theirs (and receive its alerts, or sign in with it). Whether the address was free is only ever told inside
that mailbox: a free address gets the link; an address that already belongs to an account gets a note to its
owner instead, saying that it was not added and that they can sign in with their own account.
"""
from dataclasses import dataclass

from flask_babel import force_locale, gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from webapp.auth.models import User

LINK_DAYS = 3
_SALT = "kring-email-address"


def mail_is_set_up(config) -> bool:
    """Without a mail server an address cannot be checked, so Kring does not ask for one."""
    return bool(config.get("SMTP_HOST"))


def normalise(address: str | None) -> str:
    return (address or "").strip().lower()


def asked_for(user: User, typed: str | None) -> str | None:
    """The new address a person typed that still has to be checked; None when it is empty or already theirs."""
    address = normalise(typed)
    return address if address and address != normalise(user.email) else None


def sent_message(address: str) -> str:
    """The one answer to a typed address, whether or not it already has an account."""
    return _("We sent an e-mail to %(address)s. Open the link in it within %(days)d days to add this address to "
             "your account.", address=normalise(address), days=LINK_DAYS)


def make_token(secret: str, user: User, address: str) -> str:
    return URLSafeTimedSerializer(secret, salt=_SALT).dumps({"u": user.id, "e": normalise(address)})


@dataclass
class Claim:
    user_id: int
    address: str


def read_token(secret: str, token: str) -> Claim | None:
    """The account and address a link was made for; None when the link is wrong or older than LINK_DAYS."""
    try:
        data = URLSafeTimedSerializer(secret, salt=_SALT).loads(token, max_age=LINK_DAYS * 24 * 3600)
    except (BadSignature, SignatureExpired):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("e"), str):
        return None
    return Claim(data["u"], data["e"])


def owner_of(session: Session, address: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.email) == normalise(address)))


def add_confirmed(session: Session, user: User, address: str) -> bool:
    """Store the address, now that its owner opened the link; False when another account has it by now."""
    owner = owner_of(session, address)
    if owner is not None and owner.id != user.id:
        return False
    user.email = normalise(address)
    session.flush()
    return True


@dataclass
class AddressMail:
    to: str
    subject: str
    body: str


def check_mail(session: Session, user: User, address: str, secret: str, base_url: str,
               default_locale: str) -> AddressMail | None:
    """The e-mail that goes to `address` after `user` typed it: the link to add it when it is free, or a note to
    the owner when it already belongs to another account (in the owner's language, as discreet as they chose).
    None when the address is already this person's."""
    address = normalise(address)
    base = base_url.rstrip("/")
    owner = owner_of(session, address)
    if owner is not None and owner.id == user.id:
        return None
    reader = owner or user
    with force_locale(reader.locale or default_locale):
        name = _("Notes") if reader.discreet else "Kring"
        if owner is None:
            link = f"{base}/settings/email/{make_token(secret, user, address)}"
            subject = _("Check your e-mail address for %(app)s", app=name)
            lines = [_("Hello %(name)s,", name=user.first_name), "",
                     _("To add this e-mail address to your %(app)s account, open this link within %(days)d days:",
                       app=name, days=LINK_DAYS), link, "",
                     _("Did you not ask for this? Then you can ignore this e-mail.")]
        else:
            subject = _("Your e-mail address in %(app)s", app=name)
            lines = [_("Hello %(name)s,", name=owner.first_name), "",
                     _("Someone typed this e-mail address for another %(app)s account. It already belongs to "
                       "your account, so it was not added there.", app=name), "",
                     _("Was it you? Then sign in with your own account: you can use this e-mail address and your "
                       "password, or your passkey."), f"{base}/sign-in", "",
                     _("Did you just join a household with a new account? You can keep using that one, or ask the "
                       "household for a new invitation link and open it while signed in with this account."), "",
                     _("Was it not you? Then you can ignore this e-mail. Nothing has changed in your account.")]
    return AddressMail(address, subject, "\n".join(lines) + "\n")
