"""Whole client journeys reused by tests that start past them."""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx
import pyotp

from providers.clock import ManualClock
from tests.support import documents as doc
from tests.support.authenticator import SoftwareAuthenticator
from tests.support.clients import HttpFactory
from tests.support.constants import PASSWORD, PHONE
from tests.support.graphql import GraphQLClient
from tests.support.messagebird_standin import MessageBirdStandIn


async def log_in(client: GraphQLClient, email: str, native: bool = False) -> dict:
    data = await client.execute(
        doc.LOG_IN,
        {
            "input": {
                "email": email,
                "password": PASSWORD,
                "client": "NATIVE" if native else "BROWSER",
            }
        },
    )
    return data["logIn"]


async def native_pending(new_http: HttpFactory, email: str) -> GraphQLClient:
    """A mobile app that passed the password step; it holds the pending token."""
    anonymous = GraphQLClient(new_http())
    variables = {"input": {"email": email, "password": PASSWORD, "client": "NATIVE"}}
    started = (await anonymous.execute(doc.LOG_IN_NATIVE, variables))["logIn"]
    assert started["pendingToken"], started
    return GraphQLClient(anonymous.http, bearer=started["pendingToken"])


async def at_phone_entry(http: httpx.AsyncClient, email: str) -> GraphQLClient:
    """A payee who passed the password step and chose SMS; not yet texted."""
    client = GraphQLClient(http)
    assert (await log_in(client, email))["__typename"] == "MfaSetupRequired"
    await client.execute(doc.START_MFA_SETUP)
    chosen = await client.execute(doc.CHOOSE_MFA_METHOD, {"input": {"method": "SMS"}})
    assert chosen["chooseMfaMethod"]["__typename"] == "SmsMethodChosen", chosen
    return client


async def reach_code_verification(
    client: GraphQLClient, email: str, phone_number: str = "201 555 0123"
) -> dict:
    """Sign in as an un-enrolled payee and get a code texted; returns the SmsCodeSent payload."""
    assert (await log_in(client, email))["__typename"] == "MfaSetupRequired"
    assert (await client.execute(doc.START_MFA_SETUP))["startMfaSetup"]["__typename"] == (
        "MfaMethodSelection"
    )
    chosen = await client.execute(doc.CHOOSE_MFA_METHOD, {"input": {"method": "SMS"}})
    assert chosen["chooseMfaMethod"]["__typename"] == "SmsMethodChosen"
    sent = await client.execute(
        doc.SEND_SMS_CODE, {"input": {"countryCode": "+1", "phoneNumber": phone_number}}
    )
    assert sent["sendSmsCode"]["__typename"] == "SmsCodeSent", sent
    return sent["sendSmsCode"]


async def enroll_with_sms(
    client: GraphQLClient, messagebird: MessageBirdStandIn, email: str
) -> str:
    """Complete SMS enrollment; returns the recovery code shown."""
    await reach_code_verification(client, email)
    verified = await client.execute(
        doc.VERIFY_SMS_CODE, {"input": {"code": messagebird.last_code(PHONE)}}
    )
    issued = verified["verifySmsCode"]
    assert issued["__typename"] == "RecoveryCodeIssued", issued
    done = await client.execute(doc.CONFIRM_RECOVERY_CODE_SAVED, doc.SAVED)
    assert done["confirmRecoveryCodeSaved"]["__typename"] == "LoggedIn", done
    return str(issued["recoveryCode"])


def app_code(secret: str, at: datetime, steps: int = 0) -> str:
    """The code an authenticator app shows for `secret`, `steps` time steps away from `at`."""
    return pyotp.TOTP(secret.replace(" ", "")).at(at + timedelta(seconds=30 * steps))


async def reach_app_scan(client: GraphQLClient, email: str) -> str:
    """Sign in as an un-enrolled user and choose the app; returns the secret to scan."""
    assert (await log_in(client, email))["__typename"] == "MfaSetupRequired"
    await client.execute(doc.START_MFA_SETUP)
    chosen = (await client.execute(doc.CHOOSE_AUTHENTICATOR_APP))["chooseMfaMethod"]
    assert chosen["__typename"] == "AuthenticatorAppMethodChosen", chosen
    return str(chosen["secret"]).replace(" ", "")


async def enroll_with_app(client: GraphQLClient, email: str, clock: ManualClock) -> tuple[str, str]:
    """Complete app enrollment; returns (secret, recovery code). Moves the clock one step on."""
    secret = await reach_app_scan(client, email)
    verified = await client.execute(
        doc.VERIFY_AUTHENTICATOR_CODE, {"input": {"code": app_code(secret, clock.now())}}
    )
    issued = verified["verifyAuthenticatorCode"]
    assert issued["__typename"] == "RecoveryCodeIssued", issued
    done = await client.execute(doc.CONFIRM_RECOVERY_CODE_SAVED, doc.SAVED)
    assert done["confirmRecoveryCodeSaved"]["__typename"] == "LoggedIn", done
    clock.advance(timedelta(seconds=30))  # the accepted time step can never be used again
    return secret, str(issued["recoveryCode"])


async def reach_security_key_registration(client: GraphQLClient, email: str) -> str:
    """Sign in as an un-enrolled user and choose a security key; returns the creation options."""
    assert (await log_in(client, email))["__typename"] == "MfaSetupRequired"
    await client.execute(doc.START_MFA_SETUP)
    chosen = (await client.execute(doc.CHOOSE_SECURITY_KEY))["chooseMfaMethod"]
    assert chosen["__typename"] == "SecurityKeyMethodChosen", chosen
    return str(chosen["creationOptions"])


async def enroll_with_security_key(
    client: GraphQLClient, email: str, key: SoftwareAuthenticator
) -> str:
    """Complete enrollment with `key`; returns the recovery code shown."""
    options = await reach_security_key_registration(client, email)
    registered = await client.execute(
        doc.REGISTER_SECURITY_KEY, {"input": {"credential": key.create(options), "name": "Blue"}}
    )
    issued = registered["registerSecurityKey"]
    assert issued["__typename"] == "RecoveryCodeIssued", issued
    done = await client.execute(doc.CONFIRM_RECOVERY_CODE_SAVED, doc.SAVED)
    assert done["confirmRecoveryCodeSaved"]["__typename"] == "LoggedIn", done
    return str(issued["recoveryCode"])


async def security_key_challenge(client: GraphQLClient) -> str:
    """The request options of a new security key challenge (sign-in or reauthentication)."""
    started = (await client.execute(doc.START_SECURITY_KEY_CHALLENGE))["startSecurityKeyChallenge"]
    assert started["__typename"] == "SecurityKeyChallengeStarted", started
    return str(started["requestOptions"])


async def sign_in_with_app(
    client: GraphQLClient, email: str, secret: str, clock: ManualClock
) -> dict:
    """Sign an enrolled app user in on `client`; returns LoggedIn. Moves the clock one step on."""
    assert (await log_in(client, email))["__typename"] == "MfaChallengeRequired"
    answered = await client.execute(
        doc.VERIFY_LOGIN_CODE_WITH_METHOD,
        {"input": {"code": app_code(secret, clock.now()), "method": "AUTHENTICATOR_APP"}},
    )
    signed = answered["verifyLoginCode"]
    assert signed["__typename"] == "LoggedIn", signed
    clock.advance(timedelta(seconds=30))  # the accepted time step can never be used again
    return dict(signed)
