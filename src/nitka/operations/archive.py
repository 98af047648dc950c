"""The backup file: a tar of ``manifest.json`` and the payload, made whole or not at all."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import os
import tarfile
from pathlib import Path

from nitka.operations.manifest import MANIFEST_NAME, BackupError, Manifest

PARTIAL = ".partial"
"""The suffix of a file being written beside its target. A run killed with -9 leaves it
(nothing can clean up after that); the next run to the same target replaces it."""

NO_SPACE = (errno.ENOSPC, errno.EFBIG, errno.EDQUOT)


def partial_name(target: Path) -> Path:
    return target.with_name(target.name + PARTIAL)


def space_message(error: OSError, where: Path) -> str | None:
    """A clear sentence for a full disk or a file-size limit, else None."""
    if error.errno in NO_SPACE:
        reason = os.strerror(error.errno) if error.errno is not None else str(error)
        return f"no room to write {where} ({reason}): free some space and run it again"
    return None


def fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_backup(out: Path, manifest: Manifest, payload: Path) -> None:
    """Write the backup to a temporary name beside ``out``, read it back and check it,
    then rename it to ``out``. On any failure nothing named ``out`` is written."""
    unfinished = partial_name(out)
    try:
        with unfinished.open("wb") as raw:
            with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
                body = manifest.as_json()
                info = tarfile.TarInfo(MANIFEST_NAME)
                info.size, info.mode, info.mtime = len(body), 0o600, 0
                tar.addfile(info, io.BytesIO(body))
                tar.add(payload, arcname=manifest.payload, recursive=False)
            raw.flush()
            os.fsync(raw.fileno())
        if check_backup(unfinished) != manifest:
            raise BackupError(f"{unfinished} does not read back as written", field="OUT")
        unfinished.replace(out)
        fsync_folder(out.parent)
    except OSError as error:
        unfinished.unlink(missing_ok=True)
        message = space_message(error, out)
        if message is None:
            raise
        raise BackupError(message, field="OUT") from error
    except BaseException:
        unfinished.unlink(missing_ok=True)
        raise


def read_manifest(path: Path) -> Manifest:
    """The manifest of a backup file, checked for form (not yet against its payload)."""
    try:
        with tarfile.open(path, mode="r:") as tar:
            member = tar.getmember(MANIFEST_NAME)
            fh = tar.extractfile(member)
            if fh is None:
                raise KeyError(MANIFEST_NAME)
            return Manifest.from_json(fh.read())
    except FileNotFoundError:
        raise BackupError(f"no such backup: {path}", field="IN") from None
    except (tarfile.TarError, KeyError):
        raise BackupError(
            f"{path} is not a Nitka backup (no readable {MANIFEST_NAME} in a tar file)",
            field="IN",
        ) from None


def check_backup(path: Path) -> Manifest:
    """The manifest, after reading the whole payload and checking its size and SHA-256."""
    return _payload(path, None)


def extract_backup(path: Path, target: Path) -> Manifest:
    """Copy the payload to ``target`` (fsynced), checking its size and SHA-256 on the way;
    returns the manifest. A payload that does not match is refused (``target`` removed)."""
    try:
        return _payload(path, target)
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def _payload(path: Path, target: Path | None) -> Manifest:
    manifest = read_manifest(path)
    with tarfile.open(path, mode="r:") as tar:
        try:
            member = tar.getmember(manifest.payload)
        except KeyError:
            raise BackupError(
                f"{path} holds no {manifest.payload}, the payload its manifest names",
                field="payload",
            ) from None
        fh = tar.extractfile(member)
        if fh is None:
            raise BackupError(f"{member.name} in {path} is not a file", field="payload")
        digest = hashlib.sha256()
        try:
            with contextlib.ExitStack() as stack:
                out = stack.enter_context(target.open("wb")) if target is not None else None
                while chunk := fh.read(1 << 20):
                    digest.update(chunk)
                    if out is not None:
                        out.write(chunk)
                if out is not None:
                    out.flush()
                    os.fsync(out.fileno())
        except OSError as error:
            message = space_message(error, target or path)
            if message is None:
                raise
            raise BackupError(message, field="IN") from error
    if member.size != manifest.size or digest.hexdigest() != manifest.sha256:
        raise BackupError(
            f"{path}: the payload {manifest.payload} is not the one its manifest describes "
            f"(SHA-256 {digest.hexdigest()}, {member.size:,} bytes; the manifest says "
            f"{manifest.sha256}, {manifest.size:,} bytes): the file was damaged or altered",
            field="sha256",
        )
    return manifest
