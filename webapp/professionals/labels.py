"""Words for the pages in the household's list of professionals' views, in the person's language."""
from webapp.i18n import lazy_gettext as _l

PAGE_LABELS = {
    "professionals.summary": _l("The summary"),
    "professionals.caseload": _l("Their list of households (one line)"),
    "households.home": _l("The household page (sent on to the summary)"),
    "invitations.welcome": _l("The welcome page (sent on to the summary)"),
}
OTHER_PAGE = _l("Another page")


def page_label(endpoint: str) -> str:
    return str(PAGE_LABELS.get(endpoint, OTHER_PAGE))
