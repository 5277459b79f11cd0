"""Names the workspace shows for values the models hold (statuses, roles, decisions)."""

from accord.portal.deps import _

AGREEMENT_STATUS = {
    "draft": _("draft"),
    "in_review": _("in review"),
    "approved": _("approved"),
    "signing": _("being signed"),
    "in_force": _("in force"),
    "expired": _("expired"),
    "terminated": _("terminated"),
}
ROLE = {
    "admin": _("administrator"),
    "officer": _("officer"),
    "viewer": _("viewer"),
}
RUN_STATE = {
    "running": _("running"),
    "completed": _("completed"),
    "failed": _("failed"),
}
RUN_KIND = {
    "draft": _("Drafting"),
    "review.start": _("Starting a review round"),
    "review.tick": _("Reminders and closing of rounds"),
    "signoff.start": _("Starting the sign-off"),
    "report": _("Progress report"),
    "report.request": _("Requesting reports from focal points"),
}
SIGNATURE_STATUS = {
    "pending": _("not signed yet"),
    "signed": _("signed"),
    "declined": _("declined"),
}
SIGNOFF_STATUS = {
    "open": _("open"),
    "completed": _("completed"),
    "declined": _("declined"),
    "cancelled": _("cancelled"),
}
DECISION = {
    "approve": _("approved"),
    "approve_with_comments": _("approved with comments"),
    "request_changes": _("requested changes"),
}
ITEM_STATUS = {
    "not_started": _("not started"),
    "in_progress": _("in progress"),
    "done": _("done"),
    "overdue": _("overdue"),
    "cancelled": _("cancelled"),
}
