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
# review rounds (the round board)
DECISION = {
    "approve": _("approved"),
    "approve_with_comments": _("approved with comments"),
    "request_changes": _("changes requested"),
}
VERDICT = {
    "accepted": _("accepted"),
    "partly_accepted": _("partly accepted"),
    "not_accepted": _("not accepted"),
}
STAGE_KIND = {
    "internal": _("internal approval"),
    "external": _("review by the parties"),
}
ROUND_STATE = {
    "open": _("open"),
    "closed": _("closed"),
    "pending": _("not started yet"),
    "approved": _("approved"),
    "changes_requested": _("changes requested"),
    "incomplete": _("not every party answered"),
}
MESSAGE_STATUS = {
    "bounced": _("bounced"),
    "dropped": _("dropped by the mail service"),
    "failed": _("could not be sent"),
}
