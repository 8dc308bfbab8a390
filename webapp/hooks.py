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
