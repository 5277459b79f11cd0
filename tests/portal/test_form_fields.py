"""Every field of every portal form, sent what no page sends: a 4xx or a plain answer, never 5xx.

Numbers are ASCII digits only (`²`, `٣`, `１２` are digits to Python's `isdigit`, not numbers
a person typed); huge, empty, NUL-bearing and wrongly typed values are refused or shown
back, and the database never sees a value it cannot hold.
"""

import secrets
from collections.abc import Callable

import pytest
from starlette.testclient import TestClient

from accord.portal.app import create_app
from accord.settings import Settings
from tests.portal.conftest import CSRF_FIELD, MONDAY, NOW, SAFE_HOME
from tests.portal.test_focal_pages import FOCAL_LINK, ITEM_FORM
from tests.portal.test_signing_pages import start_signing
from tests.review_world import MOU, World, bring_into_force

ODD_VALUES = [
    "²",
    "٣",
    "１２",
    "",
    " ",
    "-1",
    "101",
    "1e999",
    "9" * 5000,
    "x" * 40_000,
    "\x00",
    "50\x00",
    "%_",
    "\u202eevil",
    "<script>",
]
Form = dict[str, str]


def _client(settings: Settings) -> TestClient:
    app = create_app(settings, clock=lambda: NOW)
    return TestClient(app, follow_redirects=False, raise_server_exceptions=False)


def _csrf(client: TestClient, page: str) -> str:
    response = client.get(page)
    assert response.status_code == 200, response.text[:300]
    found = CSRF_FIELD.search(response.text)
    assert found is not None
    return found.group(1)


def _fuzz(
    client: TestClient, action: str, base: Callable[[], Form], *, multipart: bool = False
) -> list[str]:
    """Post `action` once per field and odd value, and once per wrong type; the 5xx answers."""
    failures: list[str] = []

    def send(data: Form, files: dict[str, tuple[str, bytes, str]] | None, what: str) -> None:
        if multipart:
            files = {"evidence": ("", b"", "application/octet-stream"), **(files or {})}
        response = client.post(action, data=data, files=files)
        if response.status_code >= 500:
            failures.append(f"{action} {what}: {response.status_code}")

    for field in base():
        for value in ODD_VALUES:
            send({**base(), field: value}, None, f"{field}={value[:12]!r}")
        data = base()
        del data[field]
        send(data, {field: ("x.txt", b"12", "text/plain")}, f"{field} as a file")
        send(data, None, f"{field} missing")
    return failures


def _fuzz_forms(client: TestClient, link: str, forms: dict[str, Callable[[], Form]]) -> list[str]:
    return [
        failure for name, base in forms.items() for failure in _fuzz(client, f"{link}/{name}", base)
    ]


def _key() -> str:
    return secrets.token_urlsafe(18)


def test_review_forms(settings_on: Settings, links: dict[str, str]) -> None:
    client = _client(settings_on)
    token = links[SAFE_HOME]
    csrf = _csrf(client, f"/r/{token}")
    common = {"csrf_token": csrf, "lang": "", "ui": ""}
    forms: dict[str, Callable[[], Form]] = {
        "comment": lambda: {**common, "request_key": _key(), "clause_id": "", "body": "A note."},
        "decision": lambda: {**common, "request_key": _key(), "decision": "", "reason": ""},
        "delegate": lambda: {
            **common,
            "request_key": _key(),
            "colleague": "",
            "name": "Aliya Nurlanovna",
            "email": "",
        },
    }
    failures = [
        f for name, base in forms.items() for f in _fuzz(client, f"/r/{token}/{name}", base)
    ]
    assert not failures, "\n".join(failures)


def test_signing_forms(settings_on: Settings, world: World) -> None:
    links = start_signing(world)
    client = _client(settings_on)
    token = links["e.kassymov@example.kz"]
    csrf = _csrf(client, f"/s/{token}")
    common = {"csrf_token": csrf, "lang": "", "ui": ""}
    forms: dict[str, Callable[[], Form]] = {
        "sign": lambda: {**common, "name": "Yerlan Kassymov", "title": "Deputy", "confirm": ""},
        "decline": lambda: {**common, "reason": ""},
    }
    failures = [
        f for name, base in forms.items() for f in _fuzz(client, f"/s/{token}/{name}", base)
    ]
    assert not failures, "\n".join(failures)


def test_focal_form(settings_on: Settings, world: World) -> None:
    bring_into_force(world, MONDAY)
    message = next(m for m in world.messages("focal_access") if m.to_email == "t.kim@example.kz")
    found = FOCAL_LINK.search(message.text)
    assert found is not None
    token = found.group(1)
    client = _client(settings_on)
    page = client.get(f"/f/{token}").text
    csrf = CSRF_FIELD.search(page)
    items = ITEM_FORM.findall(page)
    assert csrf is not None and items
    _, agreement, commitment = items[0]
    assert agreement == MOU

    def base() -> Form:
        return {
            "csrf_token": csrf.group(1),
            "request_key": _key(),
            "agreement": agreement,
            "commitment": commitment,
            "status": "in_progress",
            "value": "",
            "percent": "40",
            "note": "",
        }

    failures = _fuzz(client, f"/f/{token}/update", base, multipart=True)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("text", ["²", "٣", "１２", "1e2", "0x10", "+5", "5.0"])
def test_a_percent_in_other_digits_is_refused(text: str) -> None:
    from accord.errors import Refusal
    from accord.portal.focal.forms import read_percent

    with pytest.raises(Refusal) as refused:
        read_percent(text)
    assert refused.value.code == "focal.percent_not_a_number"


def test_a_percent_in_ascii_digits_is_read() -> None:
    from accord.portal.focal.forms import read_percent

    assert [read_percent(t) for t in ("0", " 40 % ", "100%", "007", "")] == [0, 40, 100, 7, None]
