"""setPreferredLanguage's input, answer and refusal."""

from __future__ import annotations

from typing import Annotated

import strawberry

from graph.types.errors import UnsupportedLocaleError
from graph.types.user import User


@strawberry.input(description="The language Twofold writes to the signed-in user in.")
class SetPreferredLanguageInput:
    locale: str | None = strawberry.field(
        description=(
            'A BCP 47 language tag ("es", "es-MX", "fr-CA"...), stored as the best supported '
            "match; null to follow each browser's Accept-Language again."
        )
    )


@strawberry.type(description="The language was saved; errors of this answer already use it.")
class PreferredLanguageSet:
    user: User = strawberry.field(description="The user with the new setting.")


SetPreferredLanguageResult = Annotated[
    PreferredLanguageSet | UnsupportedLocaleError,
    strawberry.union("SetPreferredLanguageResult", description="Outcome of setPreferredLanguage."),
]
