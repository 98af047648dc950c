"""Signing in through an agency's OpenID Connect provider (authorization code flow).

Nitka is the relying party: it sends the user's browser to the provider with
a fresh ``state``, ``nonce`` and PKCE challenge; the provider sends it back
with a code; Nitka exchanges the code for tokens over a direct connection
and accepts the ID token only when its signature checks out against the
provider's published keys and it names the provider as issuer, Nitka's
client as audience, the nonce of this sign-in, and has not expired.

``authlib`` builds the requests and exchanges the code; ``joserfc`` (by the
same authors, the JOSE library authlib now points to) verifies the ID token.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2 import OAuth2Error
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jwt import JWTClaimsRegistry

from nitka.errors import FieldError
from nitka.settings import OidcProvider

TIMEOUT_SECONDS = 10.0
METADATA_SECONDS = 600.0
"""How long a provider's discovery document is reused."""
ALGORITHMS = ["RS256", "PS256", "ES256", "EdDSA"]
"""ID token signatures accepted: asymmetric only, so a leaked client secret cannot forge one."""


class OidcError(FieldError):
    """A sign-in through a provider that cannot be accepted; names what failed."""


@dataclass(frozen=True)
class Metadata:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str


@dataclass(frozen=True)
class Pending:
    """What Nitka must remember between sending the user away and their return."""

    provider: str
    state: str
    nonce: str
    verifier: str
    redirect_uri: str


_metadata: dict[str, tuple[Metadata, float]] = {}


def metadata(provider: OidcProvider) -> Metadata:
    """The provider's endpoints, from its discovery document."""
    cached = _metadata.get(provider.issuer)
    if cached is not None and cached[1] > time.monotonic():
        return cached[0]
    url = provider.issuer.rstrip("/") + "/.well-known/openid-configuration"
    try:
        answer = requests.get(url, timeout=TIMEOUT_SECONDS)
        answer.raise_for_status()
        document = answer.json()
        found = Metadata(
            issuer=document["issuer"],
            authorization_endpoint=document["authorization_endpoint"],
            token_endpoint=document["token_endpoint"],
            jwks_uri=document["jwks_uri"],
        )
    except (requests.RequestException, ValueError, KeyError, TypeError) as error:
        message = f"the identity provider cannot be reached: {error}"
        raise OidcError(message, field="issuer") from None
    if found.issuer != provider.issuer:
        raise OidcError(
            f"the provider calls itself {found.issuer!r}, not {provider.issuer!r}", field="issuer"
        )
    _metadata[provider.issuer] = (found, time.monotonic() + METADATA_SECONDS)
    return found


def begin(name: str, provider: OidcProvider, redirect_uri: str) -> tuple[str, Pending]:
    """The address to send the user to, and what to remember until they return."""
    endpoints = metadata(provider)
    session = _session(provider, redirect_uri)
    verifier = generate_token(48)
    nonce = generate_token(24)
    url, state = session.create_authorization_url(
        endpoints.authorization_endpoint, code_verifier=verifier, nonce=nonce
    )
    return url, Pending(name, state, nonce, verifier, redirect_uri)


def finish(provider: OidcProvider, pending: Pending, code: str, state: str) -> dict[str, Any]:
    """Exchange the code and return the ID token's verified claims."""
    if not state or state != pending.state:
        raise OidcError("the sign-in's state does not match: start again", field="state")
    endpoints = metadata(provider)
    session = _session(provider, pending.redirect_uri)
    try:
        token = session.fetch_token(
            endpoints.token_endpoint,
            code=code,
            code_verifier=pending.verifier,
            timeout=TIMEOUT_SECONDS,
        )
        keys = requests.get(endpoints.jwks_uri, timeout=TIMEOUT_SECONDS)
        keys.raise_for_status()
        key_set = KeySet.import_key_set(keys.json())
    except (OAuth2Error, requests.RequestException, ValueError, JoseError) as error:
        raise OidcError(f"the provider did not give a token: {error}", field="code") from None
    id_token = token.get("id_token")
    if not isinstance(id_token, str):
        raise OidcError("the provider's answer has no ID token", field="id_token")
    return verified_claims(id_token, key_set, provider, pending.nonce)


def verified_claims(
    id_token: str, keys: KeySet, provider: OidcProvider, nonce: str
) -> dict[str, Any]:
    """The ID token's claims, if its signature, issuer, audience, nonce and expiry check out."""
    try:
        decoded = jwt.decode(id_token, keys, algorithms=ALGORITHMS)
        registry = JWTClaimsRegistry(
            iss={"essential": True, "value": provider.issuer},
            aud={"essential": True, "value": provider.client_id},
            sub={"essential": True},
            exp={"essential": True},
            nonce={"essential": True, "value": nonce},
        )
        registry.validate(decoded.claims)
    except (JoseError, ValueError) as error:
        raise OidcError(f"the ID token is not valid: {error}", field="id_token") from None
    claims: dict[str, Any] = dict(decoded.claims)
    return claims


def _session(provider: OidcProvider, redirect_uri: str) -> OAuth2Session:
    return OAuth2Session(
        client_id=provider.client_id,
        client_secret=provider.client_secret,
        scope=provider.scope,
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
    )
