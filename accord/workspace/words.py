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
}
