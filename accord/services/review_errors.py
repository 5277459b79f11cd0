"""Why a review action was refused, in words the secretariat or reviewer can act on."""

from accord.errors import AccordError


class ReviewRefused(AccordError):
    """The request was understood but breaks a review rule; nothing was changed."""


COMMENT_LIMIT = 5000
"""Characters per comment or reason: a page of text, enough for a redrafted clause."""
