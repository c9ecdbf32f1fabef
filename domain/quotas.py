"""Per-number, per-user, per-IP and per-country limits on texts (SMS pumping defence).

A number's hourly limit has two kinds of bucket. Texts to a number the requester has not
verified (enrollment, a phone change) share one bucket per number, so many accounts cannot
bomb it. Sign-in and step-up codes go only to the requester's own verified number and count in
that owner's bucket for it, so strangers filling the shared bucket cannot silence the owner's
codes. Keys hold a keyed hash of the number, never the number.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import phonenumbers
from tortoise.expressions import F

from domain.runtime import Runtime
from models.enums import FlowPurpose
from models.send_slot import SendSlot
from models.stored_phone import phone_digest

_NEVER = datetime(1970, 1, 1, tzinfo=UTC)
# Flows whose texts go only to the user's own verified number (the resolvers read it from the
# user's verified column), so they count in that owner's bucket for the number.
_TO_OWN_VERIFIED_NUMBER = frozenset({FlowPurpose.LOGIN, FlowPurpose.REAUTHENTICATION})


@dataclass(frozen=True)
class Quota:
    key: str
    limit: int
    window: timedelta


@dataclass(frozen=True)
class Taken:
    slot_id: int
    version: int
    previous_use: datetime


@dataclass(frozen=True)
class Refused:
    retry_after_seconds: int


def texting_quotas(
    phone_e164: str, purpose: FlowPurpose, user_id: str, runtime: Runtime
) -> list[Quota]:
    """Every limit a text to `phone_e164` for this flow counts against."""
    settings, ip_address = runtime.settings, runtime.caller.ip_address
    region = phonenumbers.region_code_for_number(phonenumbers.parse(phone_e164)) or "ZZ"
    hour, day = timedelta(hours=1), timedelta(days=1)
    number = f"phone:{phone_digest(settings.secret_key, phone_e164)}"
    if purpose in _TO_OWN_VERIFIED_NUMBER:
        number = f"{number}:owner:{user_id}"
    limits = [
        Quota(number, settings.sms_per_number_per_hour, hour),
        Quota(f"user:{user_id}", settings.sms_per_user_per_day, day),
        Quota(f"country:{region}", settings.sms_per_country_per_day, day),
    ]
    if ip_address:
        limits.append(Quota(f"ip:{ip_address}", settings.sms_per_ip_per_hour, hour))
    return limits


async def take(quotas: list[Quota], now: datetime) -> list[Taken] | Refused:
    """Take one slot of every quota, or none of them."""
    taken: list[Taken] = []
    for quota in quotas:
        slot = await _take_one(quota, now)
        if isinstance(slot, Refused):
            await give_back(taken)
            return slot
        taken.append(slot)
    return taken


async def give_back(taken: list[Taken]) -> None:
    """Undo `take` (the text was not sent): each slot gets its previous use back."""
    for slot in taken:
        await SendSlot.filter(id=slot.slot_id, version=slot.version + 1).update(
            used_at=slot.previous_use, version=F("version") + 1
        )


async def _take_one(quota: Quota, now: datetime) -> Taken | Refused:
    await _ensure_slots(quota)
    free_before = now - quota.window
    candidates = (
        await SendSlot.filter(key=quota.key, slot__lt=quota.limit, used_at__lte=free_before)
        .order_by("used_at")
        .values_list("id", "version", "used_at")
    )
    for slot_id, version, used_at in candidates:
        if await SendSlot.filter(id=slot_id, version=version).update(
            used_at=now, version=F("version") + 1
        ):
            return Taken(slot_id, version, used_at)
    oldest = await SendSlot.filter(key=quota.key, slot__lt=quota.limit).order_by("used_at").first()
    wait = (oldest.used_at + quota.window - now).total_seconds() if oldest else 1
    return Refused(max(1, math.ceil(wait)))


async def _ensure_slots(quota: Quota) -> None:
    have = await SendSlot.filter(key=quota.key).count()
    if have >= quota.limit:
        return
    await SendSlot.bulk_create(
        [SendSlot(key=quota.key, slot=i, used_at=_NEVER) for i in range(have, quota.limit)],
        ignore_conflicts=True,
    )
