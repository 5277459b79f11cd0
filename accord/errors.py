"""Domain errors: each carries a message a secretariat officer can act on."""


class AccordError(Exception):
    """Base of every error the CLI and portal turn into a plain message (never a traceback)."""


class NotFound(AccordError):
    pass
