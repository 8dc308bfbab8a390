"""Forms for leaving a household and for deciding on a former member's removal request."""
from wtforms import BooleanField, HiddenField
from wtforms.validators import AnyOf, DataRequired

from webapp.forms import KringForm
from webapp.i18n import lazy_gettext as _l
from webapp.ownership.models import RemovalDecision


class LeaveForm(KringForm):
    ask_removal = BooleanField(
        _l("Ask the household to remove what I wrote"), default=False,
        description=_l("The people who live in the household decide. Until they do, what you wrote stays in the "
                       "safety log, signed “former member”."),
    )


class RemovalDecisionForm(KringForm):
    # Filled by whichever of the two buttons was pressed.
    decision = HiddenField(validators=[DataRequired(), AnyOf([d.value for d in RemovalDecision])])
