"""Events the ground floor announces, so that it never imports the capabilities built on it.

A capability that keeps something tied to one of these records connects a receiver when the app starts
(`connect_hooks(app)` in its package, called by `create_app`); the ground floor only sends. Receivers run inside the
sender's transaction and must not commit. Each signal is sent with the session as sender and the record as
keyword arguments, e.g. `child_erasing.send(session, child=child, instance_path=...)`.
"""
from blinker import Namespace

_hooks = Namespace()

# A child's record is about to be deleted for good (the grace period after removal is over): take along what is
# the child's own (books, pictures), leave the household's evidence.
child_erasing = _hooks.signal("child-erasing")

# A membership is about to be deleted (a manager removed the person, or they left): take away what hangs from it
# in each capability (a place in the alert plan, watching for the safe object, invitations to meetings to come).
member_removing = _hooks.signal("member-removing")

# A device that receives push is about to be deleted (its owner removed it, the push service no longer knows it, the
# server's key was replaced), or to pass to another person (`keep_user_id`: its new owner, who keeps what waits for
# them): end what still waits to go to it, on the record, so that it never goes to a later device or owner. Sent as
# `device_leaving.send(session, device=..., now=..., why=..., keep_user_id=...)`; a receiver returns the ids of what it
# wrote to send instead (the signals with an e-mail in its place), which the caller hands to the worker after its
# commit.
device_leaving = _hooks.signal("device-leaving")
