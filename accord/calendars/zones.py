"""When a working day ends in a country: the moment a deadline on that day has passed.

A deadline is a date in the agreement's country, so it passes at the end of that day's
working hours there, not at midnight UTC (05:00 or 06:00 the next morning in the region).
A country spanning several time zones keeps the deadline open until the working day has
ended in all of them, so nobody in the country loses hours to the clock of its capital.
"""

import datetime as dt
from functools import cache
from zoneinfo import ZoneInfo

from babel.core import get_global

WORKING_DAY_ENDS = dt.time(18, 0)
"""18:00: the end of the working day in the public services of all five countries."""
UTC_ZONE = "UTC"


@cache
def country_zones(country: str) -> tuple[ZoneInfo, ...]:
    """The IANA time zones of a country (CLDR's list), UTC for a code CLDR does not know."""
    names = get_global("territory_zones").get(country.strip().upper()) or [UTC_ZONE]
    return tuple(ZoneInfo(name) for name in names)


def working_day_end(day: dt.date, country: str) -> dt.datetime:
    """The moment `day`'s working day has ended everywhere in `country`.

    Aware, in the zone where it ends last, so a refusal can state it as people there read it.
    """
    return max(dt.datetime.combine(day, WORKING_DAY_ENDS, zone) for zone in country_zones(country))
