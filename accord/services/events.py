"""What one capability tells the others: small facts, handled in the same transaction.

Capabilities never import each other; a step publishes one of these through its
`ServiceEnv`, and `accord.services.bootstrap` decides who reacts.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class ReviewRoundStarting:
    """The text is open for review again: a pending sign-off must not go on."""

    agreement_id: int
    agreement: str


@dataclass(frozen=True)
class AgreementSigned:
    """The last signature was recorded: the signed version is now the text in force."""

    agreement_id: int
    version_id: int


Event = ReviewRoundStarting | AgreementSigned
