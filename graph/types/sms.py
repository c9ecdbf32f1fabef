"""Types describing where codes can be texted."""

from __future__ import annotations

import strawberry


@strawberry.type(description="A country whose mobile numbers can receive verification codes.")
class SmsCountry:
    region_code: str = strawberry.field(description="ISO 3166-1 alpha-2 code, such as `US`.")
    calling_code: str = strawberry.field(description="International dialling prefix, such as `+1`.")
