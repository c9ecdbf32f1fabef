"""What every transaction-approval test has: the payments service with its own credential."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette

from domain.settings import Settings
from providers.registry import Providers
from tests.support.access_tokens import service_credential
from tests.support.clients import HttpFactory
from tests.support.transactions import PaymentsService


@pytest.fixture
async def payments(
    settings: Settings, providers: Providers, app: Starlette, new_http: HttpFactory
) -> PaymentsService:
    """The payments service, calling createTransactionApproval with its service credential."""
    return PaymentsService(new_http(), await service_credential(settings, providers))
