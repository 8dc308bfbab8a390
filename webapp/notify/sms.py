"""Text messages (SMS): the one small adapter between Kring and an SMS provider, Twilio first.

Off unless configured (KRING_SMS_PROVIDER and the provider's credentials). Another provider (a Dutch one
such as Bird or CM.com) is one more class with `send` and `valid_request`, chosen in `client`.
"""
from dataclasses import dataclass

import phonenumbers
import requests
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.request_validator import RequestValidator
from twilio.rest import Client
from twilio.twiml.messaging_response import MessagingResponse

SMS_TIMEOUT = 10  # seconds: a provider that hangs must not hold up the rest of the fan-out
PROVIDERS = ("twilio",)


@dataclass
class SmsResult:
    status_code: int | None
    error: str | None  # None: the provider accepted it
    provider_id: str | None = None
    cost_units: int | None = None  # message segments, when the provider reports them


def enabled(config) -> bool:
    return config.get("SMS_PROVIDER") == "twilio" and all(
        config.get(k) for k in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM"))


class TwilioSms:
    """Twilio's Programmable Messaging through its own SDK; the API address is configurable so that the tests
    talk to a local fake of it."""

    def __init__(self, config):
        self.token = config["TWILIO_AUTH_TOKEN"]
        self.sender = config["TWILIO_FROM"]
        self.client = Client(config["TWILIO_ACCOUNT_SID"], self.token,
                             http_client=TwilioHttpClient(timeout=SMS_TIMEOUT))
        self.client.api.base_url = config["TWILIO_API_URL"].rstrip("/")

    def send(self, to: str, body: str) -> SmsResult:
        try:
            message = self.client.messages.create(to=to, from_=self.sender, body=body)
        except TwilioRestException as error:
            return SmsResult(error.status, f"the SMS provider answered {error.status} (code {error.code})")
        except (requests.RequestException, TwilioException) as error:
            return SmsResult(None, f"no answer from the SMS provider ({type(error).__name__})")
        segments = message.num_segments
        return SmsResult(201, None, message.sid, int(segments) if segments and str(segments).isdigit() else None)

    def valid_request(self, url: str, params: dict, signature: str) -> bool:
        """The provider signs every webhook request with the account's auth token."""
        return bool(signature) and RequestValidator(self.token).validate(url, params, signature)


def client(config) -> TwilioSms | None:
    return TwilioSms(config) if enabled(config) else None


def normalise(raw: str, country_codes: list[int], region: str = "NL") -> str | None:
    """A mobile number in E.164 (+31612345678), or None when it is not a valid mobile number in one of the
    allowed countries (the limit against SMS pumping: texts to expensive foreign numbers)."""
    try:
        number = phonenumbers.parse(raw.strip(), region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number) or number.country_code not in country_codes:
        return None
    if phonenumbers.number_type(number) not in (phonenumbers.PhoneNumberType.MOBILE,
                                                phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def allowed(number: str, country_codes: list[int]) -> bool:
    try:
        return phonenumbers.parse(number, None).country_code in country_codes
    except phonenumbers.NumberParseException:
        return False


def readable(number: str) -> str:
    """+31612345678 as people write it: +31 6 12345678."""
    try:
        return phonenumbers.format_number(phonenumbers.parse(number, None),
                                          phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    except phonenumbers.NumberParseException:
        return number


def twiml(text: str | None) -> str:
    """The webhook's answer: a text back to the sender, or nothing."""
    response = MessagingResponse()
    if text:
        response.message(text)
    return str(response)
