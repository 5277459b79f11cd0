"""What every route needs, built once by the app factory and handed out per request."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Protocol, cast

from babel.support import Translations
from fastapi import Depends, Request
from jinja2 import Environment
from sqlalchemy.engine import Engine
from sqlmodel import Session

from accord.adapters.file_store import FileDocumentStore
from accord.portal.page_cache import PageCache
from accord.portal.review_view import RenderCache
from accord.services.review_rounds import ReviewEnv
from accord.settings import Settings


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
    pages: PageCache
    css: bytes
    clock: Callable[[], datetime]

    @property
    def secret(self) -> str:
        return self.settings.secret_key.get_secret_value()

    @property
    def secure_cookies(self) -> bool:
        return self.settings.public_base_url.lower().startswith("https://")

    def say(self, lang: str) -> Say:
        return sayer(self.translations[lang])

    def render(self, ui_lang: str, template: str, /, **context: object) -> str:
        return self.environments[ui_lang].get_template(template).render(**context)

    def review_env(self, session: Session, *, actor: str) -> ReviewEnv:
        return ReviewEnv(
            session=session,
            store=self.store,
            base_url=self.settings.public_base_url,
            actor=actor,
            now=self.clock(),
        )


def get_portal(request: Request) -> Portal:
    return cast(Portal, request.app.state.portal)


PortalDep = Annotated[Portal, Depends(get_portal)]
