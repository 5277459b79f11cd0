"""A secretariat's information on implementation: every agreement and plan it coordinates that
is in force, for a half-year, a quarter or a year, in each of their document languages."""

from datetime import date

from accord.documents.implementation_report_docx import Instrument, render_implementation_report
from accord.services.agreements import find_agreement, find_version, version_content
from accord.services.commitments.report import agreements_in_force
from accord.services.commitments.tracked import tracked_items
from accord.services.env import ServiceEnv
from accord.source.spec import LangText


def write_implementation_report(
    secretariat: str, period_name: str, period: tuple[date, date], *, env: ServiceEnv
) -> list[str]:
    """The report's locations, one per language of the instruments (in the order they first
    name them); none when no agreement in force has `secretariat` as its secretariat."""
    instruments: list[Instrument] = []
    languages: list[str] = []
    name: LangText = {"en": secretariat}
    for slug in agreements_in_force(session=env.session):
        version = find_version(find_agreement(slug, session=env.session), None, session=env.session)
        content = version_content(version)
        spec = content.agreement
        if spec.secretariat != secretariat:
            continue
        items = tracked_items(session=env.session, agreement=slug)
        objectives = tuple((o.id, dict(o.title)) for o in spec.objectives)
        instruments.append(Instrument(slug, dict(spec.title), objectives, tuple(items)))
        languages += [language for language in spec.languages if language not in languages]
        if secretariat in content.organizations:
            name = dict(content.organizations[secretariat].name)
    return [
        env.store.write(
            f"{secretariat}/{secretariat}-implementation-{period_name}-{language}.docx",
            render_implementation_report(
                name, instruments, language=language, period=period, period_name=period_name
            ),
        )
        for language in languages
    ]
