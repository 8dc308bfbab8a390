"""The one way a message leaves Kring: `Sender` sends an `Outgoing` by its channel (Web Push, e-mail or SMS) and
answers with its `Outcome`; `send_all` sends many at once, `send_in_batches` hands their outcomes back in batches."""
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

from py_vapid import Vapid02

from webapp.notify import mail, push, sms
from webapp.notify.messages import Outcome, Outgoing
from webapp.notify.models import Channel


class Sender:
    """Sends one message; `send_all` calls it from many threads at once."""

    def __init__(self, config: dict):
        self.vapid = Vapid02.from_file(config["VAPID_KEY_PATH"])
        self.subject = config["VAPID_SUBJECT"]
        self.smtp = {k: config[k] for k in mail.SETTINGS}
        self.sms = sms.client(config)

    def send(self, message: Outgoing) -> Outcome:
        if message.channel == Channel.email:
            return mail.send(self.smtp, message)
        if message.channel == Channel.sms:
            return self.text(message)
        return push.send(self.vapid, self.subject, message)

    def text(self, message: Outgoing) -> Outcome:
        if self.sms is None:
            return Outcome(message.delivery_id, 503, "SMS is not set up on this server")
        if not message.to:
            return Outcome(message.delivery_id, 400, "no mobile number")
        result = self.sms.send(message.to, message.body)
        return Outcome(message.delivery_id, result.status_code, result.error, result.provider_id, result.cost_units)


def send_all(messages: list[Outgoing], sender: Sender, parallel: int = 32) -> Iterator[Outcome]:
    """Send every message at once (25 phones take about as long as one), yielding each outcome as it comes."""
    for batch in send_in_batches(messages, sender, parallel):
        yield from batch


def send_in_batches(messages: list[Outgoing], sender: Sender, parallel: int = 32) -> Iterator[list[Outcome]]:
    """Send every message at once, yielding the outcomes in batches: the first as soon as it comes, then every
    outcome that came while the one before was being written down (one transaction for several answers)."""
    if not messages:
        return
    with ThreadPoolExecutor(max_workers=min(parallel, len(messages)), thread_name_prefix="kring-send") as pool:
        pending = {pool.submit(sender.send, m) for m in messages}
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            yield [future.result() for future in done]
