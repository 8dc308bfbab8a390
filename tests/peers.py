"""Real local peers for tests: a Web Push service and an SMTP server, both on 127.0.0.1.

They check what the app sends the way the real services do, so a test that passes shows the app's
output would be accepted in production, which a mock that accepts anything cannot show:

- `LocalPushService` is an RFC 8030 push service. It verifies the VAPID header (RFC 8292), decrypts
  the aes128gcm body (RFC 8291) with the keys of a subscription it handed out, and records every
  message it accepts, and every request it rejects with the reason.
- `LocalSmtpServer` is an aiosmtpd server that keeps each mail as a parsed `EmailMessage`.
- `LocalSmsProvider` is a fake of Twilio's REST API for sending text messages: it checks the account and
  its auth token (HTTP Basic) as Twilio does, records every message, answers with Twilio's JSON (or an error
  the test chose), and posts replies back to the app's webhook signed the way Twilio signs them.

The `push_service`, `smtp_server` and `sms_provider` fixtures start one per test.
"""
from __future__ import annotations

import base64
import binascii
import email
import email.policy
import json
import queue
import re
import secrets
import socket
import threading
import time
from collections import defaultdict, deque
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self, cast

import http_ece
import pytest
from aiosmtpd.controller import Controller
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils

__all__ = ["LocalPushService", "LocalSmsProvider", "LocalSmtpServer", "PushMessage", "SmsMessage", "push_service",
           "sms_provider", "smtp_server"]

# RFC 8030 §7.2: a push service must accept payloads up to 4096 octets and may refuse larger ones
# with 413; the big ones (FCM, Mozilla autopush) do, so a test should fail where production would.
MAX_BODY = 4096
URGENCIES = frozenset({"very-low", "low", "normal", "high"})
_TOPIC = re.compile(r"[A-Za-z0-9_-]{1,32}")  # RFC 8030 §5.4: at most 32 base64url characters
_MAX_EXP_AHEAD = 24 * 60 * 60  # RFC 8292 §2: `exp` no more than 24 hours after the request


def _b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_decode(text: str) -> bytes:
    """Strict base64url: stray characters are an error (the lenient decoder would drop them)."""
    return base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)


@dataclass(frozen=True)
class PushMessage:
    """A message the push service accepted, decrypted."""

    endpoint: str
    payload: bytes
    json: Any  # the payload parsed as JSON, or None when it is not JSON
    headers: dict[str, str]  # lower-case names
    claims: dict[str, Any]  # the verified VAPID JWT claims
    ttl: int
    urgency: str | None
    topic: str | None
    received_at: float  # time.monotonic() when the service accepted it


@dataclass(frozen=True)
class _Subscription:
    private_key: ec.EllipticCurvePrivateKey
    auth_secret: bytes
    application_server_key: bytes | None


class _Rejected(Exception):
    def __init__(self, status: HTTPStatus, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class _PushServer(ThreadingHTTPServer):
    daemon_threads = True
    # Concurrent fan-out opens many connections at once; the default backlog of 5 can drop SYNs,
    # and the client's retransmission then adds a second of delay that looks like app slowness.
    request_queue_size = 128

    def __init__(self, service: LocalPushService) -> None:
        self.service = service
        super().__init__(("127.0.0.1", 0), _PushHandler)
        self.origin = f"http://127.0.0.1:{self.server_address[1]}"


class _PushHandler(BaseHTTPRequestHandler):
    # HTTP/1.1 so a sender that shares one session (webpush_async, requests.Session) reuses its
    # connections as it would with a real push service.
    protocol_version = "HTTP/1.1"
    timeout = 30  # an idle kept-alive connection does not hold its thread forever
    server: _PushServer

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            self.close_connection = True  # without a length the rest of the stream cannot be framed
            self._reply(HTTPStatus.LENGTH_REQUIRED, "Content-Length required")
            return
        # Read the whole body before any answer, so a kept-alive connection stays in step.
        body = self.rfile.read(int(length))
        if len(body) < int(length):
            # The sender went away mid-request (a worker killed while sending): like any HTTP server, a real push
            # service drops a request it never received whole, without handling or refusing it.
            self.close_connection = True
            return
        self.server.service._handle_push(self, body)

    def _reply(self, status: int, text: str = "", headers: dict[str, str] | None = None) -> None:
        data = text.encode()
        try:
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            # The sender gave up (its timeout ran out during the latency); what was accepted stays
            # recorded, as with a real push service.
            self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (http.server's signature)
        pass


class LocalPushService:
    """An RFC 8030 push service on 127.0.0.1 that verifies VAPID and decrypts what it is sent.

    `latency` (seconds, may be changed while running) delays each accepted message's 201 answer;
    other requests are served meanwhile.
    """

    def __init__(self, latency: float = 0.0) -> None:
        self.latency = latency
        self.queue: queue.Queue[PushMessage] = queue.Queue()
        self._changed = threading.Condition()  # guards everything below and wakes wait_for
        self._received: list[PushMessage] = []
        self._rejections: list[tuple[str, str]] = []
        self._subscriptions: dict[str, _Subscription] = {}
        self._forced: defaultdict[str, deque[int]] = defaultdict(deque)
        self._server: _PushServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle -------------------------------------------------------------------------------

    def start(self) -> Self:
        if self._server is None:
            self._server = _PushServer(self)
            # A short poll interval: shutdown() waits for the next poll, and the default 0.5 s
            # would be paid at the end of every test that uses the fixture.
            self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                            name="local-push-service", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            assert self._thread is not None
            self._thread.join()
            self._server = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """The origin, "http://127.0.0.1:PORT": also what a VAPID `aud` claim must be."""
        if self._server is None:
            raise RuntimeError("the push service is not running: call start() first")
        return self._server.origin

    # --- subscriptions ---------------------------------------------------------------------------

    def new_subscription(self, application_server_key: str | bytes | None = None) -> dict[str, Any]:
        """A subscription as `PushSubscription.toJSON()` gives it, with keys this service can decrypt.

        With `application_server_key` (the VAPID public key, b64url or raw), the service answers 403
        to messages signed with another key, as a browser's push service does for a subscription
        made with that `applicationServerKey`.
        """
        private_key = ec.generate_private_key(ec.SECP256R1())
        auth_secret = secrets.token_bytes(16)
        if isinstance(application_server_key, str):
            application_server_key = _b64url_decode(application_server_key)
        token = secrets.token_urlsafe(24)
        with self._changed:
            self._subscriptions[token] = _Subscription(private_key, auth_secret, application_server_key)
        public = private_key.public_key().public_bytes(serialization.Encoding.X962,
                                                       serialization.PublicFormat.UncompressedPoint)
        return {
            "endpoint": f"{self.url}/push/{token}",
            "keys": {"p256dh": _b64url_encode(public), "auth": _b64url_encode(auth_secret)},
        }

    def respond_with(self, endpoint: str, *statuses: int) -> None:
        """Answer the next requests to `endpoint` with these statuses, in order, recording nothing.

        E.g. 410 (subscription gone), 404, 429 or 503 (sent with `Retry-After: 1`), 500.
        """
        if not endpoint.startswith(f"{self.url}/push/"):
            raise ValueError(f"{endpoint!r} is not an endpoint of this push service ({self.url})")
        with self._changed:
            self._forced[endpoint].extend(statuses)

    # --- what arrived ----------------------------------------------------------------------------

    @property
    def received(self) -> list[PushMessage]:
        """The accepted messages, oldest first (a copy: the server thread keeps appending)."""
        with self._changed:
            return list(self._received)

    @property
    def rejections(self) -> list[tuple[str, str]]:
        """(endpoint, reason) for every request the service refused."""
        with self._changed:
            return list(self._rejections)

    def messages_for(self, endpoint: str) -> list[PushMessage]:
        with self._changed:
            return [m for m in self._received if m.endpoint == endpoint]

    def wait_for(self, count: int, timeout: float = 10) -> list[PushMessage]:
        """Wait until at least `count` messages have been accepted in total; return them all."""
        with self._changed:
            if not self._changed.wait_for(lambda: len(self._received) >= count, timeout):
                raise AssertionError(
                    f"push service accepted {len(self._received)} message(s) within {timeout} s, "
                    f"expected at least {count}; rejections: {self._rejections or 'none'}")
            return list(self._received)

    def clear(self) -> None:
        """Forget received messages and rejections (subscriptions and queued statuses stay)."""
        with self._changed:
            self._received.clear()
            self._rejections.clear()
            while True:
                try:
                    self.queue.get_nowait()
                except queue.Empty:
                    break

    # --- the push resource (runs on the server's request threads) --------------------------------

    def _handle_push(self, request: _PushHandler, body: bytes) -> None:
        # The origin comes from the request's server, not self.url: stop() may be running meanwhile.
        origin = request.server.origin
        path = request.path.split("?", 1)[0]
        endpoint = origin + path
        token = path.removeprefix("/push/") if path.startswith("/push/") else None
        with self._changed:
            forced = self._forced[endpoint].popleft() if self._forced.get(endpoint) else None
            subscription = self._subscriptions.get(token) if token else None
        if forced is not None:
            retry = {"Retry-After": "1"} if forced in (429, 503) else {}
            request._reply(forced, f"forced status {forced}", retry)
            return
        try:
            if subscription is None:
                raise _Rejected(HTTPStatus.NOT_FOUND, "unknown push endpoint")
            headers = {name.lower(): value for name, value in request.headers.items()}
            claims = self._verify_vapid(headers.get("authorization"), origin, subscription)
            ttl, urgency, topic = self._check_push_headers(headers)
            payload = self._decrypt(headers.get("content-encoding"), body, subscription)
        except _Rejected as rejected:
            with self._changed:
                self._rejections.append((endpoint, rejected.reason))
                self._changed.notify_all()
            request._reply(rejected.status, rejected.reason)
            return

        try:
            parsed = json.loads(payload)
        except ValueError:
            parsed = None
        message = PushMessage(endpoint=endpoint, payload=payload, json=parsed, headers=headers, claims=claims,
                              ttl=ttl, urgency=urgency, topic=topic, received_at=time.monotonic())
        # Accepted counts as received from here on, even if the sender dies before the answer comes.
        with self._changed:
            self._received.append(message)
            self.queue.put(message)
            self._changed.notify_all()
        if self.latency > 0:
            time.sleep(self.latency)
        message_id = secrets.token_urlsafe(12)
        request._reply(HTTPStatus.CREATED, "", {"Location": f"{origin}/message/{message_id}", "TTL": str(ttl)})

    @staticmethod
    def _verify_vapid(authorization: str | None, origin: str, subscription: _Subscription) -> dict[str, Any]:
        def unauthorized(reason: str) -> _Rejected:
            return _Rejected(HTTPStatus.UNAUTHORIZED, f"VAPID: {reason}")

        if not authorization:
            raise unauthorized("no Authorization header")
        scheme, _, rest = authorization.strip().partition(" ")
        if scheme.lower() != "vapid":
            raise unauthorized(f"Authorization scheme {scheme!r} is not 'vapid' (RFC 8292)")
        params = {}
        for part in rest.split(","):
            name, _, value = part.strip().partition("=")
            params[name.strip().lower()] = value.strip()
        if not params.get("t") or not params.get("k"):
            raise unauthorized("Authorization needs both t=<JWT> and k=<public key>")

        try:
            raw_key = _b64url_decode(params["k"])
            public_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw_key)
        except (ValueError, binascii.Error):
            raise unauthorized("k is not a base64url P-256 public key") from None
        if len(raw_key) != 65:
            raise unauthorized("k must be an uncompressed P-256 point (65 bytes)")

        parts = params["t"].split(".")
        if len(parts) != 3:
            raise unauthorized("t is not a JWT (header.claims.signature)")
        try:
            header = json.loads(_b64url_decode(parts[0]))
            claims = json.loads(_b64url_decode(parts[1]))
            signature = _b64url_decode(parts[2])
        except (ValueError, binascii.Error):
            raise unauthorized("the JWT is not base64url JSON") from None
        if not isinstance(header, dict) or header.get("alg") != "ES256":
            raise unauthorized(f"JWT alg must be ES256, header is {header!r}")
        if not isinstance(claims, dict):
            raise unauthorized("JWT claims are not a JSON object")
        if len(signature) != 64:  # JWS ES256: raw r || s, 32 bytes each
            raise unauthorized("the JWT signature is not 64 bytes (r || s)")
        der = utils.encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big"))
        try:
            public_key.verify(der, f"{parts[0]}.{parts[1]}".encode("ascii"), ec.ECDSA(hashes.SHA256()))
        except InvalidSignature:
            raise unauthorized("the JWT signature does not verify with key k") from None

        if claims.get("aud") != origin:
            raise unauthorized(f"aud is {claims.get('aud')!r}, must be this push service's origin {origin!r}")
        exp, now = claims.get("exp"), time.time()
        if not isinstance(exp, int) or isinstance(exp, bool):
            raise unauthorized(f"exp must be an integer timestamp, is {exp!r}")
        if exp <= now:
            raise unauthorized(f"the JWT expired {now - exp:.0f} s ago")
        if exp > now + _MAX_EXP_AHEAD:
            raise unauthorized(f"exp is {exp - now:.0f} s ahead, more than 24 hours")
        sub = claims.get("sub")
        if not isinstance(sub, str) or not sub.startswith(("mailto:", "https:")):
            raise unauthorized(f"sub must be a mailto: or https: URI, is {sub!r}")
        if subscription.application_server_key is not None and raw_key != subscription.application_server_key:
            raise _Rejected(HTTPStatus.FORBIDDEN,
                            "VAPID: k is not the applicationServerKey this subscription was made with")
        return claims

    @staticmethod
    def _check_push_headers(headers: dict[str, str]) -> tuple[int, str | None, str | None]:
        ttl_text = headers.get("ttl")
        if ttl_text is None:
            raise _Rejected(HTTPStatus.BAD_REQUEST, "TTL header missing (RFC 8030 §5.2)")
        if not ttl_text.strip().isdigit():
            raise _Rejected(HTTPStatus.BAD_REQUEST, f"TTL must be a non-negative integer, is {ttl_text!r}")
        urgency = headers.get("urgency")
        if urgency is not None and urgency not in URGENCIES:
            raise _Rejected(HTTPStatus.BAD_REQUEST, f"Urgency {urgency!r} is not one of {sorted(URGENCIES)}")
        topic = headers.get("topic")
        if topic is not None and not _TOPIC.fullmatch(topic):
            raise _Rejected(HTTPStatus.BAD_REQUEST, f"Topic {topic!r} is not 1-32 base64url characters")
        return int(ttl_text), urgency, topic

    @staticmethod
    def _decrypt(encoding: str | None, body: bytes, subscription: _Subscription) -> bytes:
        if not body and encoding is None:
            return b""  # RFC 8030 allows a push without payload: it only wakes the service worker
        if encoding is None or encoding.strip().lower() != "aes128gcm":
            raise _Rejected(HTTPStatus.BAD_REQUEST, f"Content-Encoding must be aes128gcm (RFC 8291), is {encoding!r}")
        if len(body) > MAX_BODY:
            raise _Rejected(HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                            f"encrypted body is {len(body)} bytes, push services take at most {MAX_BODY}")
        try:
            return cast(bytes, http_ece.decrypt(body, private_key=subscription.private_key,
                                                auth_secret=subscription.auth_secret, version="aes128gcm"))
        except Exception as exc:  # http_ece raises ECEException, ValueError or InvalidTag for a bad body
            raise _Rejected(HTTPStatus.BAD_REQUEST, f"cannot decrypt the aes128gcm body: {exc!r}") from None


# --- SMTP ----------------------------------------------------------------------------------------

class _BoundController(Controller):
    """A Controller serving on a socket that is already bound.

    Controller cannot use port 0: after starting it connects to `port` to check the server is up.
    Binding first gives a free port without the race of probing for one and closing it again.
    """

    def __init__(self, handler: Any, sock: socket.socket) -> None:
        # server_hostname: otherwise aiosmtpd calls socket.getfqdn(), which may wait on DNS.
        super().__init__(handler, hostname="127.0.0.1", port=sock.getsockname()[1], server_hostname="localhost")
        self._sock = sock

    def _create_server(self) -> Any:
        return self.loop.create_server(self._factory_invoker, sock=self._sock, ssl=self.ssl_context)


class _SmtpHandler:
    def __init__(self, owner: LocalSmtpServer) -> None:
        self._owner = owner

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's hook name)
        # SMTP carries CRLF line ends; EmailMessage (policy.default) uses "\n", so bodies compare
        # equal to the strings the app rendered.
        content = envelope.content.replace(b"\r\n", b"\n")
        message = email.message_from_bytes(content, policy=email.policy.default)
        self._owner._add(cast(EmailMessage, message))
        return "250 Message accepted for delivery"


class LocalSmtpServer:
    """An SMTP server on 127.0.0.1 (no TLS, no AUTH) keeping each mail as a parsed EmailMessage."""

    host = "127.0.0.1"

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._messages: list[EmailMessage] = []
        self._controller: _BoundController | None = None
        self._port: int | None = None

    def start(self) -> Self:
        if self._controller is None:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind((self.host, 0))
            self._port = sock.getsockname()[1]
            self._controller = _BoundController(_SmtpHandler(self), sock)
            self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("the SMTP server is not running: call start() first")
        return self._port

    @property
    def messages(self) -> list[EmailMessage]:
        """The received mails, oldest first (a copy: the server thread keeps appending)."""
        with self._changed:
            return list(self._messages)

    def wait_for(self, count: int, timeout: float = 10) -> list[EmailMessage]:
        """Wait until at least `count` mails have arrived; return them all."""
        with self._changed:
            if not self._changed.wait_for(lambda: len(self._messages) >= count, timeout):
                subjects = [m["Subject"] for m in self._messages]
                raise AssertionError(f"SMTP server received {len(self._messages)} mail(s) within {timeout} s, "
                                     f"expected at least {count}; subjects: {subjects}")
            return list(self._messages)

    def clear(self) -> None:
        with self._changed:
            self._messages.clear()

    def _add(self, message: EmailMessage) -> None:
        with self._changed:
            self._messages.append(message)
            self._changed.notify_all()


# --- a fake SMS provider (Twilio's REST API) ----------------------------------------------------------

@dataclass
class SmsMessage:
    to: str
    sender: str
    body: str
    sid: str


class _SmsServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, provider: LocalSmsProvider) -> None:
        super().__init__(("127.0.0.1", 0), _SmsHandler)
        self.provider = provider


class _SmsHandler(BaseHTTPRequestHandler):
    server: _SmsServer

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode()
        status, answer = self.server.provider._handle(self.path, self.headers.get("Authorization"), body)
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (http.server's signature)
        pass


class LocalSmsProvider:
    """Twilio's `POST /2010-04-01/Accounts/{sid}/Messages.json`, on 127.0.0.1, and its signed webhook."""

    account_sid = "AC" + "1" * 32
    auth_token = "local-sms-provider-auth-token"
    sender = "+3197010000001"

    def __init__(self) -> None:
        self._server = _SmsServer(self)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True, name="local-sms")
        self._messages: list[SmsMessage] = []
        self._statuses: deque[int] = deque()
        self._changed = threading.Condition()

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def config(self) -> dict[str, Any]:
        """The app's settings for this provider."""
        return {"SMS_PROVIDER": "twilio", "TWILIO_ACCOUNT_SID": self.account_sid,
                "TWILIO_AUTH_TOKEN": self.auth_token, "TWILIO_FROM": self.sender, "TWILIO_API_URL": self.url}

    def env(self) -> dict[str, str]:
        """The same, as the environment of a worker process."""
        return {"KRING_SMS_PROVIDER": "twilio", "KRING_TWILIO_ACCOUNT_SID": self.account_sid,
                "KRING_TWILIO_AUTH_TOKEN": self.auth_token, "KRING_TWILIO_FROM": self.sender,
                "KRING_TWILIO_API_URL": self.url}

    def respond_with(self, *statuses: int) -> None:
        """Answer the next messages with these HTTP statuses (Twilio's error JSON), then accept again."""
        with self._changed:
            self._statuses.extend(statuses)

    @property
    def received(self) -> list[SmsMessage]:
        with self._changed:
            return list(self._messages)

    def wait_for(self, count: int, timeout: float = 10) -> list[SmsMessage]:
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self._messages) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"expected {count} text messages, got {len(self._messages)}: {self._messages}")
                self._changed.wait(left)
            return list(self._messages)

    def clear(self) -> None:
        with self._changed:
            self._messages.clear()
            self._statuses.clear()

    def signed_reply(self, url: str, sender: str, body: str, token: str | None = None) -> tuple[dict, dict]:
        """The form and headers Twilio posts to a webhook when `sender` texts `body`."""
        from twilio.request_validator import RequestValidator
        form = {"MessageSid": "SM" + secrets.token_hex(16), "AccountSid": self.account_sid, "From": sender,
                "To": self.sender, "Body": body, "NumMedia": "0"}
        signature = RequestValidator(token or self.auth_token).compute_signature(url, form)
        return form, {"X-Twilio-Signature": signature}

    def reply(self, url: str, sender: str, body: str) -> str:
        """Post a signed reply to the app's webhook over HTTP; returns the TwiML it answered."""
        import requests
        form, headers = self.signed_reply(url, sender, body)
        response = requests.post(url, data=form, headers=headers, timeout=10)
        response.raise_for_status()
        return response.text

    def _handle(self, path: str, authorization: str | None, body: str) -> tuple[int, dict]:
        from urllib.parse import parse_qs
        expected = "Basic " + base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        if authorization != expected:
            return 401, {"code": 20003, "message": "Authenticate", "status": 401}
        if path != f"/2010-04-01/Accounts/{self.account_sid}/Messages.json":
            return 404, {"code": 20404, "message": "The requested resource was not found", "status": 404}
        form = {k: v[0] for k, v in parse_qs(body).items()}
        if not form.get("To") or not form.get("Body") or form.get("From") != self.sender:
            return 400, {"code": 21604, "message": "A 'To', 'From' and 'Body' are required", "status": 400}
        with self._changed:
            if self._statuses:
                status = self._statuses.popleft()
                return status, {"code": 30001 if status >= 500 else 21211, "message": "refused", "status": status}
            sid = "SM" + secrets.token_hex(16)
            self._messages.append(SmsMessage(form["To"], form["From"], form["Body"], sid))
            self._changed.notify_all()
        return 201, {"sid": sid, "account_sid": self.account_sid, "to": form["To"], "from": form["From"],
                     "body": form["Body"], "status": "queued", "num_segments": str(1 + len(form["Body"]) // 153),
                     "price": None, "price_unit": "USD", "direction": "outbound-api", "api_version": "2010-04-01"}


# --- fixtures ------------------------------------------------------------------------------------

@pytest.fixture
def push_service() -> Iterator[LocalPushService]:
    """A running local push service; set `.latency` to simulate a slow one."""
    with LocalPushService() as service:
        yield service


@pytest.fixture
def smtp_server() -> Iterator[LocalSmtpServer]:
    """A running local SMTP server; point the app at `.host` and `.port`."""
    with LocalSmtpServer() as server:
        yield server


@pytest.fixture
def sms_provider() -> Iterator[LocalSmsProvider]:
    """A running fake of Twilio's API; `app.config.update(sms_provider.config())` points Kring at it."""
    with LocalSmsProvider() as provider:
        yield provider
