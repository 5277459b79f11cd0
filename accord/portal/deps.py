"""What every route needs, built once by the app factory and handed out per request."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Protocol, TypeVar, cast

from babel.support import Translations
from fastapi import Depends, Request
from jinja2 import Environment
from sqlalchemy.engine import Engine
from sqlmodel import Session

from accord.adapters.file_store import FileDocumentStore
from accord.errors import Refusal
from accord.i18n.languages import pick
from accord.portal.courier import Courier
from accord.portal.i18n import show_date, show_moment
from accord.portal.render_cache import RenderCache
from accord.portal.transactions import write
from accord.services.bootstrap import service_env
from accord.services.env import ServiceEnv
from accord.settings import Settings

T = TypeVar("T")


def _(message: str) -> str:
    """Marks a message for the catalogs (`pybabel extract`); `Say` translates it where shown."""
    return message


class Say(Protocol):
    """A sentence in the reader's language: `say("%(n)s left", n=3)`."""

    def __call__(self, message: str, /, **params: object) -> str: ...


def sayer(translations: Translations) -> Say:
    def say(message: str, /, **params: object) -> str:
        text = translations.gettext(message)
        return text % params if params else text

    return say


@dataclass(frozen=True)
class Portal:
    settings: Settings
    engine: Engine
    store: FileDocumentStore
    environments: dict[str, Environment]
    translations: dict[str, Translations]
    cache: RenderCache
    css: bytes
    clock: Callable[[], datetime]
    courier: Courier
    """Delivers at once what a post queued (`accord.portal.courier`)."""

    @property
    def secret(self) -> str:
        return self.settings.secret_key.get_secret_value()

    @property
    def secure_cookies(self) -> bool:
        return self.settings.public_base_url.lower().startswith("https://")

    def say(self, lang: str) -> Say:
        return sayer(self.translations[lang])

    def write(self, work: Callable[[Session], T]) -> T:
        """The one way a page changes anything: `work` in one retried transaction, and the
        mail it queued handed to the courier once committed."""
        return write(self.engine, work, mail_queued=self.courier.nudge)

    def render(self, ui_lang: str, template: str, /, **context: object) -> str:
        return self.environments[ui_lang].get_template(template).render(**context)

    def refusal_text(self, refusal: Refusal, lang: str) -> str:
        """A service's refusal in the reader's words, its values shown the reader's way."""
        return refusal.said(self.translations[lang].gettext, lambda value: show(value, lang))

    def service_env(self, session: Session, *, actor: str) -> ServiceEnv:
        return service_env(
            session=session,
            store=self.store,
            base_url=self.settings.public_base_url,
            actor=actor,
            now=self.clock(),
        )


def get_portal(request: Request) -> Portal:
    return cast(Portal, request.app.state.portal)


async def _portal(request: Request) -> Portal:
    """As a coroutine, the dependency costs no worker-thread hop (see `get_workspace`)."""
    return get_portal(request)


PortalDep = Annotated[Portal, Depends(_portal)]


def show(value: object, lang: str) -> str:
    """A value inside a sentence, as a reader of `lang` writes it."""
    if isinstance(value, datetime):
        return show_moment(value, lang)
    if isinstance(value, date):
        return show_date(value, lang)
    if isinstance(value, Mapping):
        return pick(value, lang)
    return str(value)
