"""A national register's worth of agreements, inserted directly (no sources, no rendering), for
the listing tests and the CLI benchmark."""

import hashlib
from datetime import UTC, datetime

from sqlalchemy import insert, select
from sqlalchemy.engine import Engine

from models import Agreement, AgreementStatus, AgreementVersion, Organization

COUNTRIES = ("KZ", "KG", "TJ", "UZ", "TM")
STATUSES = tuple(AgreementStatus)
SECRETARIATS = tuple(f"secretariat-{c.lower()}" for c in COUNTRIES)


def slug_of(n: int) -> str:
    return f"{COUNTRIES[n % 5].lower()}-agreement-{n:05d}"


def insert_agreements(engine: Engine, count: int, *, content: str = "{}") -> None:
    """`count` agreements: country and secretariat by n % 5, status by n % 7, and one or two
    versions each (two where n % 3 == 0); every version's content is `content`."""
    now = datetime(2026, 11, 1, tzinfo=UTC)
    with engine.begin() as conn:
        conn.execute(
            insert(Organization),
            [
                {
                    "slug": s,
                    "kind": "government",
                    "country": c,
                    "name": {"en": s},
                    "updated_at": now,
                }
                for s, c in zip(SECRETARIATS, COUNTRIES, strict=True)
            ],
        )
        org_ids = dict(conn.execute(select(Organization.slug, Organization.id)).all())
        conn.execute(
            insert(Agreement),
            [
                {
                    "slug": slug_of(n),
                    "kind": "mou",
                    "country": COUNTRIES[n % 5],
                    "languages": ["ru", "en"],
                    "status": STATUSES[n % 7],
                    "secretariat_id": org_ids[SECRETARIATS[n % 5]],
                    "created_at": now,
                }
                for n in range(count)
            ],
        )
        ids = dict(conn.execute(select(Agreement.slug, Agreement.id)).all())
        conn.execute(
            insert(AgreementVersion),
            [
                {
                    "agreement_id": ids[slug_of(n)],
                    "number": number,
                    "sha256": sha_of(n, number),
                    "source_path": f"agreements/{slug_of(n)}.yaml",
                    "content": content,
                    "created_at": now,
                }
                for n in range(count)
                for number in ((1, 2) if n % 3 == 0 else (1,))
            ],
        )


def sha_of(n: int, number: int) -> str:
    return hashlib.sha256(f"{n}:{number}".encode()).hexdigest()
