"""Each language through the real channels: texts through the MessageBird stand-in, emails
through the SMTP test server, error messages by Accept-Language and by the user's setting."""

from __future__ import annotations

from datetime import UTC

from babel.dates import format_datetime

from domain.sms_segments import segments
from models.enums import PayRole
from models.invitation import Invitation
from models.user import User
from providers.clock import ManualClock
from tests.support import documents as doc
from tests.support.account_links import wait_for_link, wait_for_subject
from tests.support.clients import HttpFactory
from tests.support.constants import PHONE
from tests.support.flows import at_phone_entry, enroll_with_sms, log_in
from tests.support.graphql import GraphQLClient
from tests.support.languages import (
    SET_PREFERRED_LANGUAGE,
    VIEWER_LOCALE,
    signed_in_admin,
    speaking,
)
from tests.support.mailbox import Mailbox
from tests.support.messagebird_standin import MessageBirdStandIn
from tests.support.users import MakeUser

EMAIL = "ana@example.com"
HOST = "app.twofold.test"  # the relying party: the allowed origin's host
SEND = {"input": {"countryCode": "+1", "phoneNumber": "201 555 0123"}}


async def texted(client: GraphQLClient, messagebird: MessageBirdStandIn) -> str:
    sent = await client.execute(doc.SEND_SMS_CODE, SEND)
    assert sent["sendSmsCode"]["__typename"] == "SmsCodeSent", sent
    return messagebird.messages[-1].body


async def test_a_spanish_users_code_arrives_in_spanish_in_one_gsm7_segment(
    new_http: HttpFactory, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given: a payee whose setting is Spanish, in a browser that asks for English
    user = await make_user(EMAIL, PayRole.PAYEE)
    await User.filter(id=user.id).update(locale="es")
    async with speaking(new_http, "en-US") as http:
        client = await at_phone_entry(http, EMAIL)

        # when
        body = await texted(client, messagebird)

    # then
    code = messagebird.last_code(PHONE)
    assert body == (
        f"Tu clave de seguridad es {code}. Caduca en 30 minutos.\n"
        "No la compartas con nadie: nunca te la pediremos.\n"
        f"\n@{HOST} #{code}"
    )
    assert (segments(body).encoding, segments(body).count) == ("GSM-7", 1)


async def test_without_a_setting_the_code_arrives_in_the_browsers_language(
    new_http: HttpFactory, make_user: MakeUser, messagebird: MessageBirdStandIn
) -> None:
    # given
    await make_user(EMAIL, PayRole.PAYEE)
    async with speaking(new_http, "fr-CA,fr;q=0.9,en;q=0.5") as http:
        client = await at_phone_entry(http, EMAIL)

        # when
        body = await texted(client, messagebird)

    # then
    code = messagebird.last_code(PHONE)
    assert body == (
        f"Votre code de vérification est {code}. Il expire dans 30 minutes.\n"
        "Ne le partagez avec personne : nous ne vous le demanderons jamais.\n"
        f"\n@{HOST} #{code}"
    )
    assert (segments(body).encoding, segments(body).count) == ("GSM-7", 1)


async def test_a_spanish_user_gets_the_enrollment_email_in_spanish_with_a_spanish_date(
    new_http: HttpFactory,
    make_user: MakeUser,
    messagebird: MessageBirdStandIn,
    mailbox: Mailbox,
    clock: ManualClock,
) -> None:
    # given
    user = await make_user(EMAIL, PayRole.PAYEE)
    await User.filter(id=user.id).update(locale="es")

    # when
    async with new_http() as http:
        await enroll_with_sms(GraphQLClient(http), messagebird, EMAIL)

    # then
    subject = "La autenticación en dos pasos ya está activada en tu cuenta"
    await wait_for_subject(mailbox, EMAIL, subject)
    body = mailbox.bodies_mentioning(EMAIL, "se activó")[0]
    when = format_datetime(clock.now(), "d 'de' MMMM 'de' y 'a las' HH:mm", tzinfo=UTC, locale="es")
    assert body.startswith(
        f"La autenticación en dos pasos (verificación por SMS) se activó en tu cuenta el {when} UTC."
    )
    assert "Si no fuiste tú, otra persona conoce tu contraseña" in body


async def test_without_a_setting_the_enrollment_email_speaks_the_browsers_language(
    new_http: HttpFactory, make_user: MakeUser, messagebird: MessageBirdStandIn, mailbox: Mailbox
) -> None:
    # given: no language setting; the browser asks for Spanish (Mexico)
    await make_user(EMAIL, PayRole.PAYEE)

    # when
    async with speaking(new_http, "es-MX,es;q=0.9,en;q=0.5") as http:
        await enroll_with_sms(GraphQLClient(http), messagebird, EMAIL)

    # then: the email the enrollment caused is written in the language of that request
    subject = "La autenticación en dos pasos ya está activada en tu cuenta"
    await wait_for_subject(mailbox, EMAIL, subject)
    assert await User.get(email=EMAIL).values_list("locale", flat=True) is None


async def test_a_password_reset_link_is_written_in_the_language_of_the_browser_that_asked(
    new_http: HttpFactory, make_user: MakeUser, mailbox: Mailbox
) -> None:
    # given: no setting of the user's own
    await make_user(EMAIL, PayRole.NONE)

    # when
    async with speaking(new_http, "fr") as http:
        asked = await GraphQLClient(http).execute(
            doc.REQUEST_PASSWORD_RESET, {"input": {"email": EMAIL}}
        )

    # then
    assert asked["requestPasswordReset"]["__typename"] == "PasswordResetRequested"
    await wait_for_link(mailbox, EMAIL, "/reset-password")
    (message,) = mailbox.to(EMAIL)
    assert message["Subject"] == "Réinitialisez votre mot de passe"
    body = str(message.get_body(("plain",)).get_content())
    assert body.startswith("Quelqu'un a demandé à réinitialiser le mot de passe de votre compte.")


async def test_errors_speak_the_browsers_language_and_english_stays_as_it_was(
    new_http: HttpFactory, make_user: MakeUser
) -> None:
    # given
    await make_user(EMAIL, PayRole.NONE)
    wrong = {"input": {"email": EMAIL, "password": "not the password"}}

    # when
    async with speaking(new_http, "es-MX,es;q=0.9") as http:
        spanish = (await GraphQLClient(http).execute(doc.LOG_IN, wrong))["logIn"]
    async with speaking(new_http, "de-DE") as http:
        unsupported = (await GraphQLClient(http).execute(doc.LOG_IN, wrong))["logIn"]
    async with new_http() as http:
        plain = (await GraphQLClient(http).execute(doc.LOG_IN, wrong))["logIn"]

    # then
    assert spanish == {
        "__typename": "InvalidCredentialsError",
        "code": "INVALID_CREDENTIALS",
        "message": "El correo o la contraseña son incorrectos.",
    }
    assert unsupported["message"] == plain["message"] == "The email or password is incorrect."


async def test_the_users_setting_outranks_the_browser_for_errors_and_viewer_shows_both(
    new_http: HttpFactory, make_user: MakeUser
) -> None:
    # given: a signed-in user whose browser asks for French
    await make_user(EMAIL, PayRole.NONE)
    async with speaking(new_http, "fr") as http:
        client = GraphQLClient(http)
        assert (await log_in(client, EMAIL))["__typename"] == "LoggedIn"
        before = (await client.execute(VIEWER_LOCALE))["viewer"]

        # when
        chosen = await client.execute(SET_PREFERRED_LANGUAGE, {"input": {"locale": "es-MX"}})
        refused = await client.execute(SET_PREFERRED_LANGUAGE, {"input": {"locale": "de"}})
        after = (await client.execute(VIEWER_LOCALE))["viewer"]
        cleared = await client.execute(SET_PREFERRED_LANGUAGE, {"input": {"locale": None}})

    # then
    assert before == {"email": EMAIL, "locale": None, "effectiveLocale": "fr"}
    assert chosen["setPreferredLanguage"] == {
        "__typename": "PreferredLanguageSet",
        "user": {"email": EMAIL, "locale": "es", "effectiveLocale": "es"},
    }
    assert refused["setPreferredLanguage"] == {
        "__typename": "UnsupportedLocaleError",
        "code": "UNSUPPORTED_LOCALE",
        "message": "Este idioma no está disponible.",
        "supportedLocales": ["en", "es", "fr"],
    }
    assert after == {"email": EMAIL, "locale": "es", "effectiveLocale": "es"}
    assert cleared["setPreferredLanguage"]["user"] == {
        "email": EMAIL,
        "locale": None,
        "effectiveLocale": "fr",
    }
    assert (await User.get(email=EMAIL)).locale is None


async def test_an_unsupported_locale_changes_nothing(
    browser: GraphQLClient, make_user: MakeUser
) -> None:
    # given
    user = await make_user(EMAIL, PayRole.NONE)
    await User.filter(id=user.id).update(locale="fr")
    assert (await log_in(browser, EMAIL))["__typename"] == "LoggedIn"

    # when
    for tag in ("de", "", "x" * 100, "zz-ZZ"):
        refused = await browser.execute(SET_PREFERRED_LANGUAGE, {"input": {"locale": tag}})
        # then
        assert refused["setPreferredLanguage"]["code"] == "UNSUPPORTED_LOCALE"
        assert refused["setPreferredLanguage"]["message"] == "Cette langue n'est pas disponible."
    assert (await User.get(id=user.id)).locale == "fr"


async def test_choosing_a_language_needs_a_signed_in_user(browser: GraphQLClient) -> None:
    errors = await browser.errors(SET_PREFERRED_LANGUAGE, {"input": {"locale": "es"}})
    assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_an_admins_invitation_carries_the_invitees_language_and_refuses_others(
    new_http: HttpFactory, make_user: MakeUser, clock: ManualClock, mailbox: Mailbox
) -> None:
    # given
    admin = await signed_in_admin(new_http, make_user, clock, "admin@example.com")
    invitee = "luc@example.com"

    # when
    refused = await admin.execute(
        doc.INVITE_USER, {"input": {"email": invitee, "role": "PAYEE", "locale": "de"}}
    )
    sent = await admin.execute(
        doc.INVITE_USER, {"input": {"email": invitee, "role": "PAYEE", "locale": "fr-BE"}}
    )

    # then
    assert refused["inviteUser"]["__typename"] == "UnsupportedLocaleError"
    assert sent["inviteUser"]["__typename"] == "InvitationSent"
    pending = await admin.execute("{ pendingInvitations { email locale } }")
    assert pending["pendingInvitations"] == [{"email": invitee, "locale": "fr"}]
    await wait_for_subject(mailbox, invitee, "Rejoignez Acme sur Twofold")
    assert (await Invitation.get(email=invitee)).locale == "fr"
