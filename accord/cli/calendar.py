"""`accord calendar KZ 2027`: a year's days off and worked weekend days, each with its source."""

from typing import Annotated

import typer

from accord.calendars.book import check_year, summarise
from accord.calendars.days import CalendarDay, Source
from accord.services.working_days import calendar_book

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def calendar_command(
    country: Annotated[str, typer.Argument(metavar="COUNTRY", help="ISO code, such as KZ.")],
    year: Annotated[int, typer.Argument(metavar="YEAR", help="Calendar year, such as 2027.")],
) -> None:
    """A year's non-working days (and worked weekend days) with the source of each."""
    check_year(year)
    calendar = calendar_book().country(country)
    days = calendar.year(year)
    typer.echo(
        f"{calendar.country} {year}: days that differ from Monday–Friday work, Saturday–Sunday rest"
    )
    for day in days:
        typer.echo(line(day))
    if not days:
        typer.echo("  (none)")
    summary = summarise(calendar, year)
    typer.echo(
        f"{summary.days} days: {summary.working} working, {summary.non_working} non-working "
        f"({summary.weekend} Saturdays and Sundays)"
    )


def line(day: CalendarDay) -> str:
    """`2026-03-25 Wed  off      International Nowruz Day (moved …)  law: …`"""
    state = "working" if day.working else "off"
    return (
        f"{day.day.isoformat()} {WEEKDAYS[day.day.weekday()]}  {state:<8} {day.name}"
        f"  [{_source(day)}]"
    )


def _source(day: CalendarDay) -> str:
    if day.source == Source.DECREE:
        return f"override: {day.basis}"
    if day.source == Source.LAW:
        return f"law: {day.basis}"
    return day.basis
