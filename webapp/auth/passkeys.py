"""Passkeys (WebAuthn): registering one for a signed-in person, and signing in with one.

Discoverable credentials are required, so signing in needs no username: the phone offers the
person's passkey itself. The challenge lives in the (signed) session between the two requests.
"""
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import bytes_to_base64url, base64url_to_bytes, parse_authentication_credential_json
from webauthn.helpers.exceptions import InvalidAuthenticationResponse, InvalidJSONStructure, InvalidRegistrationResponse
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from webapp.auth.models import Passkey, User, utcnow


class PasskeyError(ValueError):
    """The browser's answer did not verify; the person is told to try again or use the password."""


def relying_party(config_rp_id: str, host_url: str) -> tuple[str, str]:
    """(rp_id, origin) for this request: the configured domain, else the host the page came from."""
    parts = urlsplit(host_url)
    origin = f"{parts.scheme}://{parts.netloc}"
    return (config_rp_id or parts.hostname or "localhost"), origin


def registration_options(user: User, rp_id: str, rp_name: str) -> tuple[str, str]:
    """(options as JSON for the browser, challenge to keep in the session)."""
    options = generate_registration_options(
        rp_id=rp_id,
        rp_name=rp_name,
        user_id=f"kring-user-{user.id}".encode(),
        user_name=user.username or user.display_name,
        user_display_name=user.display_name,
        exclude_credentials=[PublicKeyCredentialDescriptor(id=pk.credential_id) for pk in user.passkeys],
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
    )
    return options_to_json(options), bytes_to_base64url(options.challenge)


def register(session: Session, user: User, credential_json: str, challenge: str,
             rp_id: str, origin: str, name: str) -> Passkey:
    try:
        verified = verify_registration_response(
            credential=credential_json,
            expected_challenge=base64url_to_bytes(challenge),
            expected_rp_id=rp_id,
            expected_origin=origin,
        )
    except (InvalidRegistrationResponse, InvalidJSONStructure, ValueError, KeyError) as exc:
        raise PasskeyError(str(exc)) from exc
    passkey = Passkey(
        user=user,
        credential_id=verified.credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        name=name.strip()[:80] or "Passkey",
    )
    session.add(passkey)
    session.flush()
    return passkey


def authentication_options(rp_id: str) -> tuple[str, str]:
    options = generate_authentication_options(
        rp_id=rp_id, user_verification=UserVerificationRequirement.PREFERRED
    )
    return options_to_json(options), bytes_to_base64url(options.challenge)


def authenticate(session: Session, credential_json: str, challenge: str, rp_id: str, origin: str) -> User:
    try:
        credential = parse_authentication_credential_json(credential_json)
    except (InvalidJSONStructure, ValueError, KeyError) as exc:
        raise PasskeyError(str(exc)) from exc
    passkey = session.scalar(select(Passkey).where(Passkey.credential_id == credential.raw_id))
    if passkey is None or not passkey.user.can_sign_in:
        raise PasskeyError("unknown credential")
    try:
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=base64url_to_bytes(challenge),
            expected_rp_id=rp_id,
            expected_origin=origin,
            credential_public_key=passkey.public_key,
            credential_current_sign_count=passkey.sign_count,
        )
    except (InvalidAuthenticationResponse, ValueError) as exc:
        raise PasskeyError(str(exc)) from exc
    passkey.sign_count = verified.new_sign_count
    passkey.last_used_at = utcnow()
    return passkey.user
