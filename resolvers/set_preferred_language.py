"""setPreferredLanguage: the language of the signed-in user's texts, emails and errors."""

from __future__ import annotations

import strawberry

from graph.context import Context
from graph.types.errors import UnsupportedLocaleError
from graph.types.language import (
    PreferredLanguageSet,
    SetPreferredLanguageInput,
    SetPreferredLanguageResult,
)
from graph.types.user import User as UserType
from i18n.negotiation import best_locale, supported
from models.user import User


async def set_preferred_language(
    info: strawberry.Info[Context, None], input: SetPreferredLanguageInput
) -> SetPreferredLanguageResult:
    context = info.context
    session = await context.require_full_session()
    locale = None
    if input.locale is not None:
        locale = supported(input.locale)
        if locale is None:
            return UnsupportedLocaleError()
    await User.filter(id=session.user_id).update(locale=locale)
    context.use_locale(locale or best_locale(context.runtime.caller.accept_language))
    return PreferredLanguageSet(user=UserType.from_model(await User.get(id=session.user_id)))
