"""SAML fixtures: a real pysaml2 identity provider with a key made for this run, and the SP
(Twofold) it answers, as plain values the domain functions take."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from domain.sso.saml import provider_config_from_metadata
from tests.support.saml_idp import KeyPair, SamlIdp, make_key_pair


@pytest.fixture(scope="session")
def saml_keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, KeyPair]:
    folder: Path = tmp_path_factory.mktemp("saml-keys")
    return {name: make_key_pair(folder, name) for name in ("idp", "attacker")}


@pytest.fixture
def idp(saml_keys: dict[str, KeyPair]) -> Iterator[SamlIdp]:
    """The company's IdP, not listening (tests that need its HTTP side start their own)."""
    yield SamlIdp(saml_keys["idp"], base_url="https://idp.example.test")


@pytest.fixture
def attacker_idp(saml_keys: dict[str, KeyPair]) -> SamlIdp:
    """Same entity id and URLs as the company's IdP, another key."""
    return SamlIdp(saml_keys["attacker"], base_url="https://idp.example.test")


@pytest.fixture
def config(idp: SamlIdp) -> dict[str, Any]:
    return provider_config_from_metadata(idp.metadata())
