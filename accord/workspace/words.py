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
ORG_KIND = {
    "commission": _("commission"),
    "ministry": _("ministry"),
    "agency": _("state agency"),
    "ngo": _("non-governmental organisation"),
    "international": _("international organisation"),
    "donor": _("donor"),
}
CONTACT_ROLE = {
    "secretariat": _("secretariat staff"),
    "reviewer": _("reviewer of drafts"),
    "signatory": _("signatory"),
    "focal_point": _("focal point"),
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
ITEM_STATUS = {
    "not_started": _("not started"),
    "in_progress": _("in progress"),
    "done": _("done"),
    "overdue": _("overdue"),
    "cancelled": _("cancelled"),
}
# review rounds (the round board, and the sign-off page's parties that have not approved)
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
AUDIT_ACTION = {
    "agreement.created": _("Agreement created"),
    "version.created": _("Version recorded"),
    "source.saved": _("Source saved in the workspace"),
    "source.created": _("Source created in the workspace"),
    "round.opened": _("Review round opened"),
    "round.closed": _("Review round closed"),
    "round.closed_early": _("Review round closed early"),
    "decision.recorded": _("Decision recorded"),
    "decision.paper_letter": _("Letter of a paper decision recorded"),
    "review.comment_answered": _("Comment answered"),
    "review.reminded": _("Reviewers reminded"),
    "review.deadline_extended": _("Deadline extended"),
    "review.reviewer_replaced": _("Reviewer added or replaced"),
    "review.sent_to_another_contact": _("E-mail sent to another contact"),
    "review.delegation_confirmed": _("Delegation confirmed"),
    "review.delegation_declined": _("Delegation declined"),
    "signoff.started": _("Sign-off started"),
    "signoff.declined": _("Signing declined"),
    "signoff.cancelled": _("Sign-off cancelled"),
    "signature.recorded": _("Signature recorded"),
    "signature.recorded_on_paper": _("Signature on paper recorded"),
    "agreement.in_force": _("Entered into force"),
    "agreement.expired": _("Expired"),
    "agreement.terminated": _("Terminated"),
    "message.undelivered": _("E-mail not delivered"),
    "progress.reported": _("Progress reported"),
    "report.requested": _("Reports requested"),
    "staff.added": _("Account created"),
    "staff.password_set": _("Password set"),
    "staff.signed_in": _("Signed in"),
}
"""The audit trail's actions named in words; others show their code."""
