"""The saved sign-in of ``nitka login``: one small file per store in the user's
config folder, readable by its owner only.

The file holds the short-lived token the store issued at sign-in, the
account's name and when the token expires; never the password. It lives in
``$XDG_CONFIG_HOME/nitka`` (by default ``~/.config/nitka``), a folder with
0700 rights, as ``login-<digest>.json`` with 0600 rights, where the digest is
of the store's URL without its password (a SQLite path made absolute), so
that one user can be signed in to several stores at once.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import orjson
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

FOLDER_MODE = 0o700
FILE_MODE = 0o600


class CredentialsError(Exception):
    """A saved sign-in that cannot be used as it is; the message says what to do."""


@dataclass(frozen=True)
class SavedLogin:
    store: str
    """The store's URL, its password hidden: for people reading the file."""
    account: str
    token: str
    expires_at: str
    path: Path

    @property
    def expired(self) -> bool:
        return datetime.fromisoformat(self.expires_at) <= datetime.now(UTC)


def config_folder() -> Path:
    """``$XDG_CONFIG_HOME/nitka``, or ``~/.config/nitka`` (a relative XDG path is
    ignored, as the XDG specification asks)."""
    base = os.environ.get("XDG_CONFIG_HOME", "")
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".config"
    return root / "nitka"


def store_label(database_url: str) -> str:
    """The store's URL as the saved sign-in names it: password hidden, SQLite path absolute."""
    try:
        url = make_url(database_url)
    except ArgumentError:
        return database_url
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        url = url.set(database=str(Path(url.database).resolve()))
    return url.render_as_string(hide_password=True)


def login_path(database_url: str) -> Path:
    digest = hashlib.sha256(store_label(database_url).encode("utf-8")).hexdigest()[:24]
    return config_folder() / f"login-{digest}.json"


def save(database_url: str, account: str, token: str, expires_at: str) -> Path:
    """Write the sign-in for this store, replacing an earlier one; 0600 from the start."""
    folder = config_folder()
    folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    folder.chmod(FOLDER_MODE)
    path = login_path(database_url)
    data = {
        "store": store_label(database_url),
        "account": account,
        "token": token,
        "expires_at": expires_at,
    }
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(orjson.dumps(data, option=orjson.OPT_INDENT_2))
            fh.flush()
            os.fsync(fh.fileno())
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path


def load(database_url: str) -> SavedLogin | None:
    """The saved sign-in for this store, or None if there is none.

    Refuses a file that others may read or write (as ssh does with a key): its
    token may have been seen, so it must not be used.
    """
    path = login_path(database_url)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return None
    if stat.S_IMODE(mode) & 0o077:
        raise CredentialsError(
            f"the saved sign-in {path} may be read by others (rights "
            f"{stat.S_IMODE(mode):04o}): delete it and sign in again with `nitka login`"
        )
    try:
        data = orjson.loads(path.read_bytes())
        datetime.fromisoformat(str(data["expires_at"]))
        return SavedLogin(
            store=str(data["store"]),
            account=str(data["account"]),
            token=str(data["token"]),
            expires_at=str(data["expires_at"]),
            path=path,
        )
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
        raise CredentialsError(
            f"the saved sign-in {path} is damaged: delete it and sign in again with `nitka login`"
        ) from None


def forget(database_url: str) -> bool:
    """Delete the saved sign-in for this store; whether there was one."""
    path = login_path(database_url)
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    return True


def load_quietly(database_url: str) -> SavedLogin | None:
    """The saved sign-in, or None also when it cannot be used (to replace or delete it)."""
    try:
        return load(database_url)
    except CredentialsError:
        return None
