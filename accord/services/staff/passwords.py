"""Password hashing: argon2id with the library's recommended parameters (pwdlib)."""

from functools import cache

from pwdlib import PasswordHash

DUMMY_PASSWORD = "not a password of anyone"


@cache
def _hasher() -> PasswordHash:
    return PasswordHash.recommended()


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password: str, hashed: str | None) -> tuple[bool, str | None]:
    """(matches, a new hash when the stored one uses older parameters).

    Without a stored hash a dummy one is still checked, so an unknown address takes as long
    to refuse as a wrong password: timing reveals no account either.
    """
    if hashed is None:
        _hasher().verify(password, _dummy_hash())
        return False, None
    return _hasher().verify_and_update(password, hashed)


@cache
def _dummy_hash() -> str:
    return _hasher().hash(DUMMY_PASSWORD)
