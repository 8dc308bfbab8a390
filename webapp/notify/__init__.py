"""Reaching a person, on the ground floor: every capability sends through here, whatever the message is for (an
alert, a reminder, an invitation, a notice about an account); what a message says and when it goes stay with the
capability that writes it.

`models.py` the devices that receive Web Push and the mobile numbers; `messages.py` a message and its outcome;
`sender.py` the one `Sender` (by `push.py` Web Push and its VAPID keys, `mail.py` SMTP, `sms.py` the SMS provider);
`services.py` who can be reached how, and each device's record (removing one the push service no longer knows);
`devices.py` a person subscribing and removing their devices.
"""
