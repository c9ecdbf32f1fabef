"""docs/errors.md lists exactly the SSO refusal codes the error screen can show."""

from __future__ import annotations

import re
from pathlib import Path

from domain.sso.refusals import SsoRefusalCode

DOC = (Path(__file__).resolve().parents[2] / "docs" / "errors.md").read_text(encoding="utf-8")


def test_every_sso_refusal_code_is_documented() -> None:
    # given
    section = DOC[DOC.index("## SSO sign-in refusals") :]

    # when
    documented = set(re.findall(r"^\| `(SSO_[A-Z_]+)` \|", section, re.MULTILINE))

    # then
    assert documented == {code.value for code in SsoRefusalCode}
