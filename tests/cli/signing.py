"""A command line with its own home and config folder, run in either mode."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from typer.testing import CliRunner, Result

from nitka.cli.main import app

PASSWORD = "correct horse battery"


@dataclass
class Cli:
    database_url: str
    home: Path
    extra: dict[str, str] = field(default_factory=dict)
    """More settings (``NITKA_AGENCY_ID``, ...)."""

    @property
    def config(self) -> Path:
        return self.home / "config"

    def __call__(
        self,
        *args: str,
        production: bool = False,
        token: str | None = None,
        user: str | None = None,
        input: str | None = None,
    ) -> Result:
        env: dict[str, str | None] = {
            "NITKA_DATABASE_URL": self.database_url,
            "HOME": str(self.home),
            "XDG_CONFIG_HOME": str(self.config),
            "NITKA_MODE": "production" if production else "development",
            "NITKA_SECRET_KEY": "s" * 40,
            "NITKA_TOKEN": token,
            "NITKA_USER": user,
            "NITKA_PURPOSE": None,
            **self.extra,
        }
        return CliRunner().invoke(app, list(args), env=env, input=input)

    def production(self, *args: str, token: str | None = None, input: str | None = None) -> Result:
        return self(*args, production=True, token=token, input=input)
