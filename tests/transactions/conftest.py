"""What the transaction-approval tests share: the payments service with its own credential,
and a payee signed in with an enrolled phone."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette

from domain.settings import Settings
from providers.registry import Providers
from tests.support.access_tokens import service_credential
from tests.support.clients import HttpFactory
from tests.support.graphql import GraphQLClient
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.transactions import PaymentsService, signed_in_payer


@pytest.fixture
async def payments(
    settings: Settings, providers: Providers, app: Starlette, new_http: HttpFactory
) -> PaymentsService:
    """The payments service, calling createTransactionApproval with its service credential."""
    return PaymentsService(new_http(), await service_credential(settings, providers))


@pytest.fixture
async def payer(
    new_http: HttpFactory, messagebird: MessageBirdStandIn
) -> tuple[GraphQLClient, str]:
    """payee@example.com, signed in (SMS enrolled): its client and user id."""
    return await signed_in_payer(new_http(), messagebird, "payee@example.com")
