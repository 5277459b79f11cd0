"""Every fixed word a document prints, in English, under the key the renderers ask for.

The keys are the `documents` catalogs' contexts (msgctxt) and the English words their msgids;
`pybabel extract -k label:1c,2` collects them. Placeholders: quarter {quarter} {year}, where
{quarter} is written as quarter_numerals says (1 2 3 4, or I II III IV);
page_of {page} {pages} (they become PAGE / NUMPAGES fields, so a translation puts them where
its language wants them); redline_title {old} {new}; matrix_title {round} {version} {sha};
certificate_statement {number}; signed_on {moment} ("24.11.2025 09:30 UTC"); report_as_of
{date}; at_risk_rule {days}; impl_period {start} {end}; calendar_name /
calendar_description {org}; calendar_alarm {activity}; plan_purpose {title};
approved_by {by} {date} {number}; date_blank (none: a line to write the date on by hand);
done_at {place} {date} {copies}, where {copies} is copies_forms' phrase for the count:
copies_forms "category={n} …; …" gives the phrase per CLDR plural category of the language
(one, few, many, other; a category left out reads as other) in the case done_at puts it in,
and {n} is the count in words from copies_numerals (one to ten, in that same case: Russian
"одном; двух; …"), in digits above ten; authentic_texts {languages}; prevails {language};
annex_mou / annex_joint_action_plan {number}; in_force_approved {date};
repeat_year {day} ("25 December"); repeat_day {every} {day}; repeat_until {date};
scale_1000 / scale_1000000 {currency};
language_forms: "tag=name; …; and=…", each language's name in the form authentic_texts and
prevails put it in (Russian: "казахском"), and the word that joins the last two of a list.
"""


def label(key: str, english: str) -> tuple[str, str]:
    """Marks a document word for extraction; the key is its context in every catalog."""
    return key, english


WORDS: dict[str, str] = dict(
    (
        label("kind_mou", "Memorandum of Understanding"),
        label("kind_joint_action_plan", "Joint Action Plan"),
        label("version", "Version"),
        label("parties", "Parties"),
        label("role_signatory", "signatory"),
        label("role_reviewer", "reviewer"),
        label("role_observer", "observer"),
        label("commitments", "Plan of activities"),
        label("col_number", "No."),
        label("col_activity", "Activity"),
        label("col_responsible", "Responsible"),
        label("col_partners", "Partners"),
        label("col_deadline", "Deadline"),
        label("col_indicator", "Indicator (baseline → target)"),
        label("col_budget", "Budget and source of funding"),
        label("by_agreement", "by agreement"),
        label("coordinating_body", "coordinating body"),
        label("repeat_year", "annually, by {day}"),
        label("repeat_half_year", "every half-year"),
        label("repeat_quarter", "quarterly"),
        label("repeat_month", "monthly"),
        label("repeat_day", "{every}, by day {day} of the following month"),
        label("repeat_until", "until {date}"),
        label("ongoing", "ongoing"),
        label("completion", "Form of completion"),
        label("scale_1000", "thousand {currency}"),
        label("scale_1000000", "million {currency}"),
        label("mechanism", "Implementation mechanism"),
        label("other_activities", "Other activities"),
        label("quarter", "Q{quarter} {year}"),
        label("quarter_numerals", "1 2 3 4"),
        label("signatures", "Signatures of the parties"),
        label("sig_name", "Name"),
        label("sig_title", "Title"),
        label("sig_signature", "Signature"),
        label("sig_date", "Date"),
        label("seal", "L.S."),
        label("draft_mark", "DRAFT"),
        label("approved", "APPROVED"),
        label("approved_by", "by {by} of {date} No. {number}"),
        label("date_blank", "“__” ____________ 20__"),
        label("done_at", "Done at {place} on {date} in {copies}."),
        label("copies_numerals", "one; two; three; four; five; six; seven; eight; nine; ten"),
        label("copies_forms", "one={n} original copy; other={n} original copies"),
        label("authentic_texts", "Each copy is in {languages}; all texts are equally authentic."),
        label(
            "prevails", "In case of divergence between the texts, the text in {language} prevails."
        ),
        label(
            "language_forms",
            "kk=Kazakh; ru=Russian; en=English; ky=Kyrgyz; tg=Tajik; uz-Latn=Uzbek; "
            "uz-Cyrl=Uzbek; tk=Turkmen; and=and",
        ),
        label("annex_mou", "Annex {number} to the Memorandum"),
        label("annex_joint_action_plan", "Annex {number} to the Joint Action Plan"),
        label(
            "in_force_approved", "This Plan enters into force on the day of its approval ({date})."
        ),
        label("page_of", "Page {page} of {pages}"),
        label("redline_title", "Changes from version {old} to {new}"),
        label(
            "redline_note",
            "Insertions and deletions are Word tracked changes (Review → Track Changes).",
        ),
        label("redline_summary", "Summary of changes"),
        label("redline_clauses", "Clauses"),
        label("redline_activities", "Activities of the plan"),
        label("change_added", "added"),
        label("change_removed", "removed"),
        label("change_changed", "changed"),
        label("change_moved", "moved"),
        label("redline_no_changes", "No changes."),
        label(
            "matrix_title", "Comments matrix — review round {round} on version {version} ({sha})"
        ),
        label("col_clause", "Clause"),
        label("col_party", "Party"),
        label("col_comment", "Comment (author, date)"),
        label("proposed_wording", "Proposed wording:"),
        label("col_response", "Response of the secretariat"),
        label("general_comment", "General"),
        label("decision_approve", "approved"),
        label("decision_approve_with_comments", "approved with comments"),
        label("decision_request_changes", "changes requested"),
        label("matrix_empty", "No comments were made in this round."),
        label("col_verdict", "Verdict"),
        label("verdict_accepted", "accepted"),
        label("verdict_partly_accepted", "partly accepted"),
        label("verdict_not_accepted", "not accepted"),
        # commitments tracking: progress report, calendar feed, register
        label("report_title", "Progress report"),
        label("report_as_of", "as of {date}"),
        label("report_counts", "Activities by status"),
        label("status_not_started", "not started"),
        label("status_in_progress", "in progress"),
        label("status_done", "done"),
        label("status_overdue", "overdue"),
        label("status_cancelled", "cancelled"),
        label("col_status", "Status"),
        label("col_count", "Number"),
        label("total", "Total"),
        label("report_objectives", "Progress by objective"),
        label("col_objective", "Objective"),
        label("col_items", "Activities"),
        label("col_done_share", "Done, %"),
        label("col_mean_percent", "Mean progress, %"),
        label("report_chart", "Status of activities by organisation"),
        label("chart_axis", "Number of activities"),
        label("report_by_org", "Activities by organisation"),
        label("col_id", "Id"),
        label("col_agreement", "Agreement"),
        label("col_responsible_id", "Organisation id"),
        label("col_indicator_name", "Indicator"),
        label("col_baseline", "Baseline"),
        label("col_target", "Target"),
        label("col_latest", "Latest value"),
        label("col_percent", "Progress, %"),
        label("col_updated", "Updated"),
        label("sheet_register", "Register"),
        label("sheet_by_organisation", "By organisation"),
        label("report_late", "Late activities"),
        label("col_days_late", "Days late"),
        label("late_none", "No activities are late."),
        label("report_at_risk", "Activities at risk"),
        label(
            "at_risk_rule",
            "Open activities due within {days} days whose progress is behind the pace that "
            "leads from entry into force to the deadline.",
        ),
        label("at_risk_none", "No activities are at risk."),
        label("at_risk", "at risk"),
        label("col_expected_percent", "Expected by now, %"),
        label("report_notes", "Notes of the focal points"),
        label("col_note", "Note"),
        label("notes_none", "The focal points left no notes."),
        label("executor", "Prepared by"),
        label("impl_title", "Information on the implementation of agreements and plans"),
        label("impl_period", "for the period from {start} to {end}"),
        label("col_done_count", "Done"),
        label("col_late_count", "Late"),
        label("col_reason", "Reason given by the focal point"),
        label("report_budget", "Budget by source of financing"),
        label("col_funding", "Source of financing"),
        label("col_currency", "Currency"),
        label("col_amount", "Amount"),
        label("funding_unspecified", "Source not specified"),
        label("budget_none", "No activity has a budget."),
        label("report_empty", "The plan has no tracked activities."),
        label("calendar_name", "Deadlines — {org}"),
        label(
            "calendar_description", "Deadlines of the activities {org} is responsible for (Accord)"
        ),
        label("calendar_alarm", "Due in 7 days: {activity}"),
        label("plan_purpose_title", "Purpose"),
        label(
            "plan_purpose", "The parties jointly carry out the activities of the plan “{title}”."
        ),
        label("certificate_title", "Certificate of electronic signature"),
        label(
            "certificate_statement",
            "The parties listed below signed this exact version of the document electronically "
            "(version {number}). Its SHA-256 hash is:",
        ),
        label("effective_date", "Effective date"),
        label("col_organization", "Organisation"),
        label("col_signer", "Signer (name, title)"),
        label("col_email", "E-mail"),
        label("col_signed_at", "Signed at (UTC)"),
        label("col_ip", "IP address"),
        label("col_user_agent", "User agent"),
        label("col_version_hash", "Version hash"),
        label("signed_on", "signed electronically on {moment}"),
        label("signed_mark", "signed"),
        label("other_version", "another version"),
        label(
            "hash_legend",
            "✓ — this version was signed; ≠ — the signature was given to another version and "
            "does not confirm this text.",
        ),
        label("no_signatures", "No signatures have been recorded."),
    )
)
"""Key → English word, in the order documents use them."""
