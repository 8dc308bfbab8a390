"""The local peers do what real ones do: the push service accepts what pywebpush sends and refuses
what a real push service would refuse; the SMTP server receives what smtplib sends."""
from __future__ import annotations

import smtplib
import time
from concurrent.futures import ThreadPoolExecutor
from email.message import EmailMessage
from typing import Any

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from py_vapid import Vapid02
from py_vapid import jwt as vapid_jwt
from pywebpush import WebPusher, WebPushException, webpush

from tests.peers import LocalPushService, LocalSmtpServer, _b64url_decode, _b64url_encode


def _vapid() -> Vapid02:
    vapid = Vapid02()
    vapid.generate_keys()
    return vapid


def _public_key(vapid: Vapid02) -> str:
    raw = vapid.public_key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return _b64url_encode(raw)


def _send(subscription: dict[str, Any], data: str, vapid: Vapid02, **kwargs: Any) -> requests.Response:
    # A fresh claims dict per call: webpush() writes aud and exp into the one it is given.
    return webpush(subscription, data, vapid_private_key=vapid, vapid_claims={"sub": "mailto:test@example.org"},
                   ttl=kwargs.pop("ttl", 60), timeout=5, **kwargs)


def _post_raw(subscription: dict[str, Any], *, claims: dict[str, Any], vapid: Vapid02,
              key: str | None = None, headers: dict[str, str] | None = None,
              body: bytes | None = None) -> requests.Response:
    """POST as a sender would, but with every part under the test's control: py_vapid's own signer
    refuses some bad claims, and the point here is that the push service refuses them too."""
    token = vapid_jwt.sign(claims, vapid.private_key)
    if body is None:
        body = WebPusher(subscription).encode(b'{"hello": "world"}')["body"]
    sent_headers = {
        "Authorization": f"vapid t={token},k={key or _public_key(vapid)}",
        "Content-Encoding": "aes128gcm",
        "TTL": "60",
        **(headers or {}),
    }
    sent_headers = {name: value for name, value in sent_headers.items() if value is not None}
    return requests.post(subscription["endpoint"], data=body, headers=sent_headers, timeout=5)


def _good_claims(service: LocalPushService) -> dict[str, Any]:
    return {"aud": service.url, "exp": int(time.time()) + 3600, "sub": "mailto:test@example.org"}


# --- push: accepted ------------------------------------------------------------------------------

def test_pywebpush_message_arrives_decrypted_with_its_headers(push_service):
    subscription = push_service.new_subscription()
    vapid = _vapid()

    response = _send(subscription, '{"title": "Hallo", "n": 1}', vapid, headers={"Urgency": "high"})

    assert response.status_code == 201
    assert response.headers["Location"].startswith(f"{push_service.url}/message/")
    [message] = push_service.wait_for(1)
    assert message.endpoint == subscription["endpoint"]
    assert message.json == {"title": "Hallo", "n": 1}
    assert message.payload == b'{"title": "Hallo", "n": 1}'
    assert (message.ttl, message.urgency, message.topic) == (60, "high", None)
    assert message.claims["sub"] == "mailto:test@example.org"
    assert message.claims["aud"] == push_service.url
    assert message.headers["content-encoding"] == "aes128gcm"
    assert push_service.messages_for(subscription["endpoint"]) == [message]
    assert push_service.queue.get(timeout=1) is message
    assert push_service.rejections == []


def test_subscription_has_browser_shaped_keys(push_service):
    subscription = push_service.new_subscription()
    p256dh, auth = subscription["keys"]["p256dh"], subscription["keys"]["auth"]
    assert "=" not in p256dh + auth
    assert len(_b64url_decode(p256dh)) == 65 and _b64url_decode(p256dh)[0] == 4
    assert len(_b64url_decode(auth)) == 16
    assert push_service.new_subscription()["endpoint"] != subscription["endpoint"]


def test_non_json_and_empty_payloads_are_accepted(push_service):
    subscription = push_service.new_subscription()
    vapid = _vapid()
    _send(subscription, "plain text", vapid)
    # "https://example.org/" (trailing slash, or any path) is refused by py_vapid's own sub check.
    webpush(subscription, None, vapid_private_key=vapid, vapid_claims={"sub": "https://example.org"},
            ttl=30, timeout=5)
    text, empty = push_service.wait_for(2)
    assert (text.payload, text.json) == (b"plain text", None)
    assert (empty.payload, empty.json, empty.ttl) == (b"", None, 30)


def test_topic_is_recorded(push_service):
    subscription = push_service.new_subscription()
    _send(subscription, "{}", _vapid(), headers={"Topic": "household-42"})
    assert push_service.wait_for(1)[0].topic == "household-42"


def test_application_server_key_must_match(push_service):
    vapid, other = _vapid(), _vapid()
    subscription = push_service.new_subscription(application_server_key=_public_key(vapid))

    with pytest.raises(WebPushException) as raised:
        _send(subscription, "{}", other)
    assert raised.value.response.status_code == 403
    assert _send(subscription, "{}", vapid).status_code == 201
    assert len(push_service.received) == 1
    assert "applicationServerKey" in push_service.rejections[0][1]


# --- push: refused -------------------------------------------------------------------------------

def test_tampered_vapid_key_is_refused_and_recorded(push_service):
    subscription = push_service.new_subscription()
    signer, impostor = _vapid(), _vapid()

    response = _post_raw(subscription, claims=_good_claims(push_service), vapid=signer, key=_public_key(impostor))

    assert response.status_code in (401, 403)
    assert push_service.received == []
    [(endpoint, reason)] = push_service.rejections
    assert endpoint == subscription["endpoint"]
    assert "signature" in reason


@pytest.mark.parametrize(("change", "status", "reason"), [
    ({"sub": "test@example.org"}, 401, "sub must be"),
    ({"sub": None}, 401, "sub must be"),
    ({"aud": "https://push.example.org"}, 401, "aud is"),
    ({"exp": int(time.time()) - 10}, 401, "expired"),
    ({"exp": int(time.time()) + 25 * 3600}, 401, "24 hours"),
    ({"exp": "tomorrow"}, 401, "exp must be"),
])
def test_bad_claims_are_refused(push_service, change, status, reason):
    subscription = push_service.new_subscription()
    claims = {key: value for key, value in {**_good_claims(push_service), **change}.items() if value is not None}

    response = _post_raw(subscription, claims=claims, vapid=_vapid())

    assert response.status_code == status
    assert push_service.received == []
    assert reason in push_service.rejections[0][1]


@pytest.mark.parametrize(("headers", "status", "reason"), [
    ({"Authorization": None}, 401, "no Authorization"),
    ({"Authorization": "WebPush abc.def.ghi"}, 401, "not 'vapid'"),
    ({"Authorization": "vapid t=abc.def.ghi"}, 401, "both t="),
    ({"TTL": None}, 400, "TTL header missing"),
    ({"TTL": "-5"}, 400, "non-negative integer"),
    ({"Urgency": "asap"}, 400, "Urgency"),
    ({"Topic": "not a valid topic!"}, 400, "Topic"),
    ({"Content-Encoding": "aesgcm"}, 400, "aes128gcm"),
    ({"Content-Encoding": None}, 400, "aes128gcm"),
])
def test_bad_headers_are_refused(push_service, headers, status, reason):
    subscription = push_service.new_subscription()

    response = _post_raw(subscription, claims=_good_claims(push_service), vapid=_vapid(), headers=headers)

    assert response.status_code == status
    assert push_service.received == []
    assert reason in push_service.rejections[0][1]


def test_body_encrypted_for_another_subscription_is_refused(push_service):
    subscription, other = push_service.new_subscription(), push_service.new_subscription()
    body = WebPusher(other).encode(b"{}")["body"]

    response = _post_raw(subscription, claims=_good_claims(push_service), vapid=_vapid(), body=body)

    assert response.status_code == 400
    assert "cannot decrypt" in push_service.rejections[0][1]


def test_oversized_payload_is_refused_like_real_push_services(push_service):
    subscription = push_service.new_subscription()
    with pytest.raises(WebPushException) as raised:
        _send(subscription, "x" * 5000, _vapid())
    assert raised.value.response.status_code == 413
    assert push_service.received == []


def test_a_request_cut_off_mid_body_is_dropped_not_refused(push_service):
    """A sender killed while sending (the worker crash test pulls the plug mid fan-out) leaves a body shorter than
    its Content-Length. A real push service never handles such a request: it is neither a message nor a refusal."""
    import socket
    from urllib.parse import urlsplit
    subscription = push_service.new_subscription()
    body = WebPusher(subscription).encode(b'{"hello": "world"}')["body"]
    target = urlsplit(subscription["endpoint"])
    with socket.create_connection((target.hostname, target.port), timeout=5) as connection:
        connection.sendall(f"POST {target.path} HTTP/1.1\r\nHost: {target.netloc}\r\nContent-Encoding: aes128gcm\r\n"
                           f"TTL: 60\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body[:len(body) // 2])
        connection.shutdown(socket.SHUT_WR)  # the sender is gone
        connection.recv(1024)  # the service closes its side without handling anything
    assert push_service.rejections == [] and push_service.received == []


def test_unknown_endpoint_is_404(push_service):
    subscription = push_service.new_subscription()
    subscription["endpoint"] = f"{push_service.url}/push/no-such-token"
    with pytest.raises(WebPushException) as raised:
        _send(subscription, "{}", _vapid())
    assert raised.value.response.status_code == 404
    assert push_service.rejections == [(subscription["endpoint"], "unknown push endpoint")]


# --- push: forced answers, timing, waiting -------------------------------------------------------

def test_respond_with_forces_statuses_in_order_then_accepts_again(push_service):
    subscription = push_service.new_subscription()
    vapid = _vapid()
    push_service.respond_with(subscription["endpoint"], 410, 429)

    with pytest.raises(WebPushException) as gone:
        _send(subscription, "{}", vapid)
    with pytest.raises(WebPushException) as busy:
        _send(subscription, "{}", vapid)
    accepted = _send(subscription, "{}", vapid)

    assert gone.value.response.status_code == 410
    assert busy.value.response.status_code == 429
    assert busy.value.retry_after == "1"
    assert accepted.status_code == 201
    assert len(push_service.received) == 1
    assert push_service.rejections == []


def test_respond_with_only_takes_this_services_endpoints(push_service):
    with pytest.raises(ValueError):
        push_service.respond_with("https://fcm.googleapis.com/fcm/send/abc", 410)


def test_latency_does_not_serialise_concurrent_requests():
    with LocalPushService(latency=0.3) as service:
        subscriptions = [service.new_subscription() for _ in range(10)]
        vapid = _vapid()
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=10) as pool:
            responses = list(pool.map(lambda s: _send(s, '{"ok": true}', vapid), subscriptions))
        elapsed = time.monotonic() - started

    assert [r.status_code for r in responses] == [201] * 10
    assert len(service.received) == 10
    assert 0.3 <= elapsed < 1.5, elapsed


def test_message_counts_as_received_before_the_latency_ends():
    with LocalPushService(latency=2) as service:
        subscription = service.new_subscription()
        started = time.monotonic()
        with pytest.raises(requests.exceptions.ReadTimeout):
            webpush(subscription, "{}", vapid_private_key=_vapid(), vapid_claims={"sub": "mailto:a@example.org"},
                    ttl=60, timeout=0.5)
        [message] = service.wait_for(1, timeout=1)
        assert message.received_at - started < 0.5


def test_wait_for_timeout_names_the_rejections(push_service):
    subscription = push_service.new_subscription()
    _post_raw(subscription, claims={**_good_claims(push_service), "sub": "nobody"}, vapid=_vapid())
    with pytest.raises(AssertionError, match="accepted 0 message.*sub must be"):
        push_service.wait_for(1, timeout=0.2)


def test_clear_forgets_messages_and_rejections(push_service):
    subscription = push_service.new_subscription()
    _send(subscription, "{}", _vapid())
    _post_raw(subscription, claims={**_good_claims(push_service), "sub": "nobody"}, vapid=_vapid())
    push_service.clear()
    assert (push_service.received, push_service.rejections, push_service.queue.empty()) == ([], [], True)
    assert _send(subscription, "{}", _vapid()).status_code == 201  # subscriptions survive clear()


def test_stop_frees_the_port():
    service = LocalPushService().start()
    url = service.url
    service.stop()
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.post(f"{url}/push/x", timeout=1)
    with pytest.raises(RuntimeError):
        _ = service.url


# --- SMTP ----------------------------------------------------------------------------------------

def test_smtp_server_receives_a_parsed_message(smtp_server):
    mail = EmailMessage()
    mail["From"] = "kring@example.org"
    mail["To"] = "pat@example.org"
    mail["Subject"] = "Uitnodiging voor Kring: één klik"
    mail.set_content("Hallo Pat,\n\nwelkom.\n")

    with smtplib.SMTP(smtp_server.host, smtp_server.port, timeout=5) as client:
        client.send_message(mail)

    [received] = smtp_server.wait_for(1)
    assert received is smtp_server.messages[0]
    assert received["Subject"] == "Uitnodiging voor Kring: één klik"
    assert received["To"] == "pat@example.org"
    assert received.get_content() == "Hallo Pat,\n\nwelkom.\n"


def test_smtp_wait_for_times_out_with_an_assertion():
    with LocalSmtpServer() as server, pytest.raises(AssertionError, match="received 0 mail"):
        server.wait_for(1, timeout=0.1)
