"""Column types shared by the tables, so SQLite and PostgreSQL store the same values."""

from datetime import UTC, datetime
from enum import Enum
from typing import Any

from sqlalchemy import JSON, DateTime, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import TypeDecorator

JSONValue = JSON().with_variant(JSONB(), "postgresql")


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC on both databases (SQLite would otherwise hand back naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where UTC is required")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class EnumValue(TypeDecorator[Enum]):
    """Stores an enum's value in VARCHAR and reads the member back (no ALTER TYPE to extend)."""

    impl = String
    cache_ok = True

    def __init__(self, enum: type[Enum]) -> None:
        super().__init__(max(len(str(m.value)) for m in enum) + 16)
        self.enum = enum

    def process_bind_param(self, value: Enum | str | None, dialect: Any) -> str | None:
        return None if value is None else str(self.enum(value).value)

    def process_result_value(self, value: str | None, dialect: Any) -> Enum | None:
        return None if value is None else self.enum(value)


def enum_column_type(enum: type[Enum]) -> EnumValue:
    return EnumValue(enum)
