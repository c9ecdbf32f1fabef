"""The language Twofold speaks to a user: their setting, else their request's Accept-Language."""

from __future__ import annotations

from domain.runtime import Runtime
from i18n.catalogs import DEFAULT_LOCALE
from i18n.negotiation import best_locale
from models.user import User


def locale_of(user: User | None, runtime: Runtime | None) -> str:
    """`user`'s setting; without one, the best match of the request's Accept-Language (English
    for requests that have none, such as the command line's)."""
    if user is not None and user.locale:
        return user.locale
    if runtime is None:
        return DEFAULT_LOCALE
    return best_locale(runtime.caller.accept_language)
