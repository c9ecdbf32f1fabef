"""`twofold sso add|list|remove` and `twofold company NAME --sso-domain`: a domain belongs to
one company only and never a consumer one; the client secret is stored sealed."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from starlette.applications import Starlette

from domain.settings import Settings
from models.company import Company
from models.sso import IdentityProvider, SsoDomain
from tests.support.served import run_twofold


@pytest.fixture
def env(app: Starlette, settings: Settings) -> dict[str, str]:
    return {
        "DATABASE_URL": settings.database_url,
        "TWOFOLD_SECRET_KEY": settings.secret_key,
        "PATH": "/usr/bin:/bin",
    }


async def test_a_domain_belongs_to_one_company_and_never_a_consumer_one(
    env: dict[str, str], tmp_path: Path
) -> None:
    # when
    added = run_twofold(env, tmp_path, "company", "Acme", "--sso-domain", "Acme.Example")
    taken = run_twofold(env, tmp_path, "company", "Other", "--sso-domain", "acme.example")
    consumer = run_twofold(env, tmp_path, "company", "Acme", "--sso-domain", "gmail.com")
    settings = run_twofold(
        env, tmp_path, "company", "Acme", "--allow-password-with-sso", "--sso-auto-provisioning"
    )

    # then
    assert added.returncode == 0, added.stderr
    assert (taken.returncode, consumer.returncode) == (1, 1)
    domains = await SsoDomain.all().prefetch_related("company")
    assert [(d.domain, d.company.name, d.verified) for d in domains] == [
        ("acme.example", "Acme", True)
    ]
    assert settings.returncode == 0, settings.stderr
    acme = await Company.get(name="Acme")
    assert acme.allow_password_with_sso and acme.sso_auto_provisioning


async def test_the_sso_command_adds_lists_and_removes_providers(
    env: dict[str, str], tmp_path: Path
) -> None:
    # given
    assert run_twofold(env, tmp_path, "company", "Acme").returncode == 0
    secret_file = tmp_path / "secret"
    secret_file.write_text("client-secret-value\n")
    oidc = ("--oidc", "--issuer", "https://idp.acme.example", "--client-id", "twofold")

    # when
    added = run_twofold(
        env, tmp_path, "sso", "add", "Acme", *oidc, "--client-secret-file", str(secret_file),
        "--allow-acr", "phr",
    )  # fmt: skip
    plain_http = run_twofold(
        env, tmp_path, "sso", "add", "Acme", "--oidc", "--issuer", "http://idp.acme.example",
        "--client-id", "x", "--client-secret-file", str(secret_file),
    )  # fmt: skip
    no_company = run_twofold(
        env, tmp_path, "sso", "add", "Nobody", *oidc, "--client-secret-file", str(secret_file)
    )
    listed = run_twofold(env, tmp_path, "sso", "list")
    provider = await IdentityProvider.get()
    removed = run_twofold(env, tmp_path, "sso", "remove", str(provider.id))
    again = run_twofold(env, tmp_path, "sso", "remove", str(provider.id))

    # then
    assert added.returncode == 0, added.stderr
    assert f"/sso/oidc/{provider.id}/callback" in added.stdout
    assert "client-secret-value" not in (provider.client_secret_sealed or "")
    assert provider.acr_allowlist == ("phr",) and provider.amr_allowlist == ()
    assert (plain_http.returncode, no_company.returncode) == (1, 1)
    assert str(provider.id) in listed.stdout and "client-secret-value" not in listed.stdout
    assert (removed.returncode, again.returncode) == (0, 1)
    assert not await IdentityProvider.exists()


@pytest.mark.skipif(
    importlib.util.find_spec("domain.sso.saml") is not None, reason="SAML is built in"
)
async def test_saml_is_refused_with_a_clear_message_without_the_saml_module(
    env: dict[str, str], tmp_path: Path
) -> None:
    # given
    assert run_twofold(env, tmp_path, "company", "Acme").returncode == 0
    metadata = tmp_path / "metadata.xml"
    metadata.write_text("<EntityDescriptor/>")

    # when
    refused = run_twofold(
        env, tmp_path, "sso", "add", "Acme", "--saml", "--metadata", str(metadata)
    )

    # then
    assert refused.returncode == 1 and "SAML" in refused.stderr
    assert not await IdentityProvider.exists()
