"""The one error a plan import raises: every problem of the sheet and the arguments, at once."""

from accord.errors import AccordError


class PlanImportInvalid(AccordError):
    """The spreadsheet cannot become an agreement; `problems` says where and why, all at once."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))
