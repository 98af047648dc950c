"""ID tokens as an attacker would forge them: each is refused, naming why."""

import time
from typing import Any

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet, OctKey, RSAKey

from nitka.access.oidc import OidcError, verified_claims
from nitka.settings import OidcProvider

PROVIDER = OidcProvider(issuer="https://id.npu.example", client_id="nitka", client_secret="s" * 32)
NONCE = "n-0123456789"
SIGNING = RSAKey.generate_key(2048, parameters={"kid": "npu-1"})
PUBLISHED = KeySet([RSAKey.import_key(SIGNING.as_dict(private=False))])


def _claims(**changes: Any) -> dict[str, Any]:
    now = int(time.time())
    claims = {
        "iss": PROVIDER.issuer,
        "aud": PROVIDER.client_id,
        "sub": "o.petrenko",
        "iat": now,
        "exp": now + 300,
        "nonce": NONCE,
    }
    claims.update(changes)
    return {k: v for k, v in claims.items() if v is not None}


def _signed(claims: dict[str, Any], key: Any = SIGNING, alg: str = "RS256") -> str:
    return jwt.encode({"alg": alg, "kid": "npu-1"}, claims, key)


def test_a_token_signed_by_the_provider_for_this_sign_in_is_accepted() -> None:
    claims = verified_claims(_signed(_claims()), PUBLISHED, PROVIDER, NONCE)
    assert claims["sub"] == "o.petrenko"


@pytest.mark.parametrize(
    "changes",
    [
        {"iss": "https://id.elsewhere.example"},
        {"aud": "another-client"},
        {"nonce": "replayed-from-another-sign-in"},
        {"nonce": None},
        {"exp": int(time.time()) - 60},
        {"sub": None},
    ],
    ids=["issuer", "audience", "nonce", "no-nonce", "expired", "no-subject"],
)
def test_a_token_with_a_wrong_claim_is_refused(changes: dict[str, Any]) -> None:
    with pytest.raises(OidcError) as refused:
        verified_claims(_signed(_claims(**changes)), PUBLISHED, PROVIDER, NONCE)
    assert refused.value.field == "id_token"


def test_a_token_signed_with_another_key_is_refused() -> None:
    forger = RSAKey.generate_key(2048, parameters={"kid": "npu-1"})
    with pytest.raises(OidcError):
        verified_claims(_signed(_claims(), forger), PUBLISHED, PROVIDER, NONCE)


def test_a_token_signed_with_the_client_secret_is_refused() -> None:
    """HS256 keyed with the client secret: whoever holds the secret could mint one."""
    secret = OctKey.import_key(PROVIDER.client_secret)
    token = jwt.encode({"alg": "HS256"}, _claims(), secret)
    with pytest.raises(OidcError):
        verified_claims(token, KeySet([secret]), PROVIDER, NONCE)


def test_an_unsigned_token_is_refused() -> None:
    header = "eyJhbGciOiJub25lIn0"  # {"alg":"none"}
    body = _signed(_claims()).split(".")[1]
    with pytest.raises(OidcError):
        verified_claims(f"{header}.{body}.", PUBLISHED, PROVIDER, NONCE)
