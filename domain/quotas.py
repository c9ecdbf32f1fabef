"""Per-number, per-user, per-IP and per-country limits on texts (SMS pumping defence).

A number's hourly limit has two kinds of bucket. Texts to a number the requester has not
verified (enrollment, a phone change) share one bucket per number, so many accounts cannot
bomb it. Sign-in and step-up codes go only to the requester's own verified number and count in
that owner's bucket for it, so strangers filling the shared bucket cannot silence the owner's
codes. Keys hold a keyed hash of the number, never the number.

Each key's N slots form a ring used in turn, so taking one costs the same whatever N is: a
few statements on the key's head row and one slot row, never a read of all N.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import phonenumbers
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from domain import raw_sql
from domain.runtime import Runtime
from models.enums import FlowPurpose
from models.send_slot import SendSlot
from models.stored_phone import phone_digest

_NEVER = datetime(1970, 1, 1, tzinfo=UTC)
_HEAD = -1  # the slot number of a key's head row
_UNSTARTED = -1  # the version of a head row just created, before it learns where to start
# Flows whose texts go only to the user's own verified number (the resolvers read it from the
# user's verified column), so they count in that owner's bucket for the number.
_TO_OWN_VERIFIED_NUMBER = frozenset(
    {FlowPurpose.LOGIN, FlowPurpose.REAUTHENTICATION, FlowPurpose.PASSWORD_RESET}
)


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
    key: str
    turn: int


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
    """Undo `take` (the text was not sent, or the attempt was not a failure).

    Each slot gets its previous use back, and the ring's head steps back onto it if no other
    take moved it since; otherwise that slot waits for the head to come round (a quota may
    then refuse a little early, never late).
    """
    for slot in reversed(taken):
        async with in_transaction():
            await SendSlot.filter(id=slot.slot_id, version=slot.version + 1).update(
                used_at=slot.previous_use, version=F("version") + 1
            )
            await SendSlot.filter(key=slot.key, slot=_HEAD, version=slot.turn + 1).update(
                version=slot.turn
            )


# The slot `take` would use next: the head's turn (0 without a head) modulo the limit.
_NEXT_SLOT_USE = (
    'SELECT "used_at" FROM "send_slot" WHERE "key" = ? AND "slot" ='
    ' COALESCE((SELECT "version" FROM "send_slot" WHERE "key" = ? AND "slot" = ?), 0) % ?'
)


async def is_spent(quota: Quota, now: datetime) -> Refused | None:
    """Whether `take` would refuse now, without taking anything: one read by key."""
    if quota.limit <= 0:
        return Refused(math.ceil(quota.window.total_seconds()))
    values = [quota.key, quota.key, _HEAD, quota.limit]
    found = await raw_sql.rows(SendSlot._meta.db, _NEXT_SLOT_USE, values)
    if not found:
        return None
    used_at = SendSlot._meta.fields_map["used_at"].to_python_value(found[0]["used_at"])
    if used_at <= now - quota.window:
        return None
    return Refused(max(1, math.ceil((used_at + quota.window - now).total_seconds())))


async def _take_one(quota: Quota, now: datetime) -> Taken | Refused:
    """Take the ring's next slot if its last use left the window, in one short transaction.

    Slots are used in turn, so the next one is always the one used longest ago: when it is
    still inside the window, so is every other, and the quota is spent. The head row, locked
    for the transaction, serialises takes of one key across requests and processes.
    """
    if quota.limit <= 0:
        return Refused(math.ceil(quota.window.total_seconds()))
    async with in_transaction():
        head = await _locked_head(quota.key)
        turn = head.version
        index = turn % quota.limit
        slot = await SendSlot.get_or_none(key=quota.key, slot=index)
        if slot is not None and slot.used_at > now - quota.window:
            wait = (slot.used_at + quota.window - now).total_seconds()
            return Refused(max(1, math.ceil(wait)))
        if slot is None:
            slot = await SendSlot.create(key=quota.key, slot=index, used_at=now, version=1)
            taken = Taken(slot.id, 0, _NEVER, quota.key, turn)
        else:
            await SendSlot.filter(id=slot.id).update(used_at=now, version=slot.version + 1)
            taken = Taken(slot.id, slot.version, slot.used_at, quota.key, turn)
        await SendSlot.filter(id=head.id).update(version=turn + 1)
        return taken


async def _locked_head(key: str) -> SendSlot:
    """The key's head row (its `version` counts the takes), locked until the transaction ends.

    The lock is taken by a write, the transaction's first statement: on PostgreSQL it locks the
    row, on SQLite it takes the database's write lock before any read (a read first would make
    two processes' transactions deadlock on upgrading their locks). A key that has slots from
    before the ring (or none) starts at its oldest slot.
    """
    if not await SendSlot.filter(key=key, slot=_HEAD).update(version=F("version")):
        await SendSlot.bulk_create(
            [SendSlot(key=key, slot=_HEAD, used_at=_NEVER, version=_UNSTARTED)],
            ignore_conflicts=True,
        )
        await SendSlot.filter(key=key, slot=_HEAD).update(version=F("version"))
    head = await SendSlot.get(key=key, slot=_HEAD)
    if head.version == _UNSTARTED:
        oldest = await SendSlot.filter(key=key, slot__gte=0).order_by("used_at", "slot").first()
        head.version = oldest.slot if oldest else 0
        await SendSlot.filter(id=head.id).update(version=head.version)
    return head
