"""The organisation calendar feed, parsed back with icalendar and checked line by line."""

from datetime import UTC, date, datetime, timedelta, timezone

from icalendar import Calendar, Event

from accord.documents.calendar_ics import organisation_calendar
from accord.documents.progress_types import TrackedItem
from tests.factories import make_tracked_item

GENERATED = datetime(2027, 3, 2, 8, 15, tzinfo=UTC)
LETTERS = "Әә Ғғ Ққ Ңң Өө Ұұ Үү Һһ Іі Ҷҷ Ҳҳ Ӣӣ Ӯӯ"
LONG = "Обучение сотрудников полиции выявлению жертв торговли людьми и их перенаправлению " * 3


def feed(items: list[TrackedItem], *, language: str = "ru", at: datetime = GENERATED) -> bytes:
    return organisation_calendar("kz-mia", "МВД", items, language=language, generated_at=at)


def events(data: bytes) -> dict[str, Event]:
    """The feed's events by UID, in feed order."""
    return {str(e["UID"]): e for e in Calendar.from_ical(data).walk("VEVENT")}


def test_the_calendar_carries_what_outlook_and_google_need() -> None:
    calendar = Calendar.from_ical(feed([make_tracked_item()]))

    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]) == "-//Accord//Commitments calendar//EN"
    assert str(calendar["CALSCALE"]) == "GREGORIAN"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["X-WR-CALNAME"]) == "Сроки мероприятий — МВД"


def test_each_item_is_an_all_day_event_on_its_deadline() -> None:
    items = [make_tracked_item("c-01"), make_tracked_item("c-02", due=date(2027, 12, 31))]

    found = events(feed(items))

    assert sorted(found) == ["kz-jap-2027-c-01@accord", "kz-jap-2027-c-02@accord"]
    event = Calendar.from_ical(feed(items)).walk("VEVENT")[1]
    assert event.decoded("DTSTART") == date(2027, 12, 31)
    assert not isinstance(event.decoded("DTSTART"), datetime)  # a date: all day
    assert event.decoded("DTEND") == date(2028, 1, 1)
    assert event.decoded("DTSTAMP") == GENERATED
    assert b"DTSTART;VALUE=DATE:20271231\r\n" in feed(items)
    assert b"DTEND;VALUE=DATE:20280101\r\n" in feed(items)


def test_uids_are_stable_across_calls_and_generation_times() -> None:
    items = [make_tracked_item("c-01"), make_tracked_item("c-02")]
    later = GENERATED + timedelta(days=30)

    assert list(events(feed(items))) == list(events(feed(list(reversed(items)), at=later)))


def test_summary_and_description_are_in_the_feeds_language() -> None:
    item = make_tracked_item(status="overdue")

    russian = Calendar.from_ical(feed([item])).walk("VEVENT")[0]
    english = Calendar.from_ical(feed([item], language="en")).walk("VEVENT")[0]

    assert str(russian["SUMMARY"]) == "Обучение полиции c-01"
    assert str(russian["DESCRIPTION"]).split("\n") == [
        "Соглашение: Совместный план 2027",
        "Срок исполнения: 30.06.2027",
        "Индикатор: Число обученных сотрудников",
        "Целевое значение: 300",
        "Статус: просрочено",
    ]
    assert str(english["SUMMARY"]) == "Training c-01"
    assert "Status: overdue" in str(english["DESCRIPTION"])


def test_open_items_get_an_alarm_seven_days_before() -> None:
    open_item = make_tracked_item("c-01")
    done = make_tracked_item("c-02", status="done")
    cancelled = make_tracked_item("c-03", status="cancelled")

    found = events(feed([open_item, done, cancelled]))

    [alarm] = found["kz-jap-2027-c-01@accord"].walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm.decoded("TRIGGER") == timedelta(days=-7)
    assert str(alarm["DESCRIPTION"]) == "Через 7 дней срок: Обучение полиции c-01"
    assert found["kz-jap-2027-c-02@accord"].walk("VALARM") == []
    assert str(found["kz-jap-2027-c-03@accord"]["STATUS"]) == "CANCELLED"


def test_cyrillic_and_national_letters_come_back_intact() -> None:
    activity = {"ru": f"{LONG} {LETTERS}"}
    data = feed([make_tracked_item(activity=activity)])

    [event] = Calendar.from_ical(data).walk("VEVENT")
    assert str(event["SUMMARY"]) == f"{LONG} {LETTERS}".strip()


def test_long_lines_are_folded_at_75_octets_without_splitting_a_letter() -> None:
    data = feed([make_tracked_item(activity={"ru": f"{LONG} {LETTERS}"})])

    lines = data.split(b"\r\n")
    assert lines[-1] == b""  # every line ends with CRLF
    assert all(len(line) <= 75 for line in lines)
    assert any(line.startswith(b" ") for line in lines)  # something was long enough to fold
    for line in lines:
        line.decode("utf-8")  # a fold inside a UTF-8 sequence would not decode
    assert b"\n" not in data.replace(b"\r\n", b"")


def test_times_from_other_zones_are_stamped_in_utc() -> None:
    almaty = timezone(timedelta(hours=5))
    data = feed([make_tracked_item()], at=datetime(2027, 3, 2, 13, 15, tzinfo=almaty))

    assert b"DTSTAMP:20270302T081500Z\r\n" in data


def test_an_organisation_without_items_gets_an_empty_valid_calendar() -> None:
    calendar = Calendar.from_ical(feed([]))

    assert calendar.walk("VEVENT") == []
    assert str(calendar["X-WR-CALNAME"]) == "Сроки мероприятий — МВД"


def test_an_item_with_a_plan_number_is_summarised_under_it() -> None:
    numbered = make_tracked_item("c-01", number="2.4")
    [event] = events(feed([numbered])).values()
    assert str(event["SUMMARY"]) == "2.4. Обучение полиции c-01"
