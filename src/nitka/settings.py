"""Nitka's settings: one class, one environment prefix (``NITKA_``).

Settings are created where the program starts (the CLI, later the web app) and
passed down; nothing reads the environment at import time.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from nitka.model.handling import DataSubjectCategory

DEFAULT_DATABASE_URL = "sqlite:///nitka.db"
PLACEHOLDER_SECRET = "change-me"
MIN_SECRET_LENGTH = 32


class SettingsError(ValueError):
    """Settings the service must not start with; names the setting."""

    def __init__(self, message: str, *, setting: str) -> None:
        super().__init__(message)
        self.setting = setting


class OidcProvider(BaseModel):
    """An agency's OpenID Connect identity provider."""

    issuer: str = Field(description="The provider's issuer URL, exactly as its ID tokens name it.")
    client_id: str
    client_secret: str = Field(repr=False)
    scope: str = "openid profile"
    label: str = Field(
        default="", description="What the sign-in page calls it (the agency's name)."
    )


class Settings(BaseSettings):
    """Every setting can be given as an environment variable ``NITKA_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="NITKA_", extra="ignore")

    database_url: str = Field(
        default=DEFAULT_DATABASE_URL,
        description=(
            "Where the store lives: a SQLite file (the embedded default, "
            "`sqlite:///nitka.db`) or a PostgreSQL server "
            "(`postgresql+psycopg://user:password@host/dbname`)."
        ),
    )
    read_database_url: str | None = Field(
        default=None,
        description=(
            "A PostgreSQL streaming replica of the store "
            "(`postgresql+psycopg://user:password@replica/dbname`): search, the entity "
            "pages and the screening index read from it, writes and audit records go to "
            "`NITKA_DATABASE_URL` (docs/replica.md). None: everything on the primary."
        ),
    )
    read_wait_seconds: float = Field(
        default=1.0,
        ge=0,
        le=60,
        description=(
            "How long a read that follows the same user's write waits for the replica to "
            "replay that write before it reads from the primary instead."
        ),
    )
    read_max_lag_seconds: float = Field(
        default=5.0,
        gt=0,
        description=(
            "A replica further behind than this is skipped (reads go to the primary) "
            "until `NITKA_READ_RETRY_SECONDS` have passed."
        ),
    )
    read_retry_seconds: float = Field(
        default=10.0,
        gt=0,
        description=(
            "How long a replica that failed, could not be reached or lagged too far is "
            "left aside before reads try it again."
        ),
    )
    batch_size: int | None = Field(
        default=None,
        ge=1,
        description=(
            "Records per ingest batch; each batch is one transaction. By default "
            "100,000 on SQLite and 50,000 on PostgreSQL, the fastest sizes measured."
        ),
    )
    mode: Literal["development", "production"] = Field(
        default="development",
        description=(
            "`production` refuses to serve with a placeholder or short secret key, "
            "tells browsers to use HTTPS only (Strict-Transport-Security), and makes the "
            "command line act only for a signed-in account (`nitka login`, `NITKA_TOKEN`)."
        ),
    )
    spark_master: str | None = Field(
        default=None,
        description=(
            "The Spark master on which the server runs the resolution runs asked over HTTP "
            "with the Spark engine (`local[N]`, `spark://HOST:7077`); none: the server "
            "refuses them. The command line reads it as the default of `--spark-master`."
        ),
    )
    telegram_token: str = Field(
        default="",
        repr=False,
        description=(
            "The public chatbot's Telegram bot token (from @BotFather), for "
            "`nitka ads bot`; never logged."
        ),
    )
    telegram_api_url: str = Field(
        default="https://api.telegram.org",
        description=(
            "The Telegram Bot API the chatbot talks to: Telegram's, or a local server "
            "(tests and benchmarks use a fake one)."
        ),
    )
    login_hours: int = Field(
        default=8,
        ge=1,
        le=24 * 7,
        description=(
            "How long a command-line sign-in (`nitka login`) lasts before the user signs "
            "in again, in hours."
        ),
    )
    secret_key: str = Field(
        default=PLACEHOLDER_SECRET,
        description=(
            "The key that signs session cookies and CSRF tokens: at least 32 random "
            "characters in production (`openssl rand -base64 48`)."
        ),
    )

    oidc_providers: dict[str, OidcProvider] = Field(
        default_factory=dict,
        description=(
            "Agencies' OpenID Connect providers, as JSON: "
            '`{"npu": {"issuer": "https://id.npu.gov.ua", "client_id": "nitka", '
            '"client_secret": "...", "label": "National Police"}}`. '
            "Users sign in at `/session/oidc/<name>`; `nitka user link` binds their "
            "identity to an account."
        ),
    )
    public_url: str | None = Field(
        default=None,
        description=(
            "The address users reach Nitka at (`https://nitka.example.gov`), for the "
            "addresses identity providers send users back to; by default the address "
            "of the request."
        ),
    )

    agency_id: str | None = Field(
        default=None,
        description=(
            "This instance's agency (its id from `nitka agency add`): the sender of what it "
            "sends and the receiver partners address. Without it, the exchange is off."
        ),
    )
    keys_dir: str = Field(
        default="nitka-keys",
        description=(
            "The folder of this instance's private keys for the exchange (Ed25519 to sign, "
            "X25519 to be encrypted to), made by `nitka exchange keys`; readable by the "
            "owner only."
        ),
    )
    exchange_case: str = Field(
        default="exchange",
        description=(
            "The case incoming messages and their data belong to when they answer none of "
            "ours: its members (the liaison officers) see them first."
        ),
    )

    review_countries: list[str] = Field(
        default_factory=list,
        description=(
            'Countries (ISO 3166 codes, as JSON: `["xx", "yy"]`) whose requests are '
            "flagged for a legal review before anyone acts on them."
        ),
    )
    review_persons: list[str] = Field(
        default_factory=list,
        description=(
            "Names (as JSON) of politicians, journalists, activists or opposition figures: "
            "a request about one of them is flagged for a legal review."
        ),
    )

    pep_datasets: list[str] = Field(
        default_factory=list,
        description=(
            "Datasets of politically exposed persons, journalists and activists (as JSON: "
            '`["peps"]`): a request about someone whose name matches one of theirs '
            "(across scripts) is flagged for a legal review."
        ),
    )

    report_min_cell: int = Field(
        default=5,
        ge=0,
        description=(
            "In statistics that leave the unit, counts from 1 below this number are shown "
            "as `<N` (small cells suppressed); 0 or 1 suppresses nothing."
        ),
    )

    review_days: dict[str, int] = Field(
        default_factory=dict,
        description=(
            "Review periods in days per data-subject category, as JSON "
            '(`{"victim": 1095, "suspect": 1825}`); categories not given keep the defaults '
            "of docs/retention.md."
        ),
    )

    anonymity_k: int = Field(
        default=11,
        ge=11,
        description=(
            "The k of the anonymised victim export (`nitka htcds anonymised`): every "
            "combination of its quasi-identifiers is shared by at least k records. Never "
            "below 11, CTDC's k, for anything that leaves the unit."
        ),
    )

    log_level: Literal["debug", "info", "warning", "error"] = Field(
        default="info",
        description=(
            "The least severe lines the server writes to its log (JSON lines on standard "
            "error, docs/operations.md): `info` writes a line per request, `warning` only "
            "what went wrong."
        ),
    )
    log_addresses: bool = Field(
        default=False,
        description=(
            "Whether each request's line in the server's log names the caller's address; "
            "off by default (an address can point to a person). The audit trail records "
            "it either way."
        ),
    )
    metrics_token: str = Field(
        default="",
        repr=False,
        description=(
            "A secret the Prometheus server sends as `Authorization: Bearer <token>` to "
            "read `/metrics` (at least 32 characters); without it, `/metrics` answers an "
            "administrator's API token only."
        ),
    )
    offline_max_age: float = Field(
        default=48.0,
        gt=0,
        description=(
            "On an offline copy (`nitka offline pull`): after how many hours since its last "
            "`nitka offline sync` every check on it carries a warning that it is out of date."
        ),
    )

    @field_validator("review_days")
    @classmethod
    def _known_categories(cls, value: dict[str, int]) -> dict[str, int]:
        known = {category.value for category in DataSubjectCategory}
        for category, days in value.items():
            if category not in known:
                raise ValueError(
                    f"{category!r} is not a data-subject category ({', '.join(sorted(known))})"
                )
            if days < 1:
                raise ValueError(f"the review period of {category} must be at least one day")
        return value

    def check_for_serving(self) -> None:
        """Refuse to serve with a read replica that cannot be one, in any mode with a
        metrics token short enough to guess, or in production mode with a secret anyone
        could know."""
        if self.read_database_url and not (
            _is_postgres(self.read_database_url) and _is_postgres(self.database_url)
        ):
            raise SettingsError(
                "a read replica is a PostgreSQL streaming replica of a PostgreSQL store: "
                "NITKA_READ_DATABASE_URL and NITKA_DATABASE_URL must both be postgresql:// URLs",
                setting="NITKA_READ_DATABASE_URL",
            )
        if self.metrics_token and len(self.metrics_token) < MIN_SECRET_LENGTH:
            raise SettingsError(
                f"NITKA_METRICS_TOKEN must be at least {MIN_SECRET_LENGTH} random characters",
                setting="NITKA_METRICS_TOKEN",
            )
        if self.mode != "production":
            return
        if self.secret_key == PLACEHOLDER_SECRET or len(self.secret_key) < MIN_SECRET_LENGTH:
            raise SettingsError(
                f"production mode needs NITKA_SECRET_KEY: at least {MIN_SECRET_LENGTH} random "
                "characters, not the placeholder",
                setting="NITKA_SECRET_KEY",
            )


def _is_postgres(url: str) -> bool:
    return url.startswith(("postgresql", "postgres://"))


def cache_dir() -> Path:
    """``$NITKA_CACHE_DIR``, else ``$XDG_CACHE_HOME/nitka`` (``~/.cache/nitka``): where
    Nitka keeps files it derives from its own data and may build again at any time
    (the map's gazetteer index, the ads classifier's trained model). Read when
    asked for, so that a test can point it at a folder of its own."""
    base = os.environ.get("NITKA_CACHE_DIR", "")
    if base:
        return Path(base)
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    return (Path(xdg) if Path(xdg).is_absolute() else Path.home() / ".cache") / "nitka"
