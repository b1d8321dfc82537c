"""The data folder: builds side by side, the link to the current one, manifests and the lock.

    DATA/current -> builds/<id>      (a symlink, replaced atomically at the end of a build)
    DATA/builds/<id>/store/          pyoxigraph on-disk store
    DATA/builds/<id>/index/          the full-text index
    DATA/builds/<id>/docs/<doc>.txt  report bodies (offsets in facts point into these)
    DATA/builds/<id>/manifest.json   documents, counts, build time
    DATA/.build.lock                 held by the build running on this folder

A build that fails or is killed leaves `current` pointing at the last good build; the build it
replaces is kept until the next swap, so readers holding it can finish.
"""
from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
import uuid
from contextlib import contextmanager
from pathlib import Path


class StoreError(Exception):
    pass


REBUILD = "run `kg build` to build afresh beside it"


def current_build(data: Path) -> Path | None:
    """The current build's folder; None when nothing was built. StoreError when `current` is
    there but is not a link to a build folder (a file or folder put in its place, a dangling
    link)."""
    link = data / "current"
    if link.is_symlink():
        target = link.resolve()
        if not target.is_dir():
            raise StoreError(f"{link} points at {target}, which is not a build folder: {REBUILD}")
        return target
    if link.exists():
        raise StoreError(f"{link} is not a link to a build (a {'folder' if link.is_dir() else 'file'} is in its "
                         f"place): {REBUILD}")
    return None


def read_manifest(build: Path) -> dict:
    """A build's manifest; StoreError when it is missing or damaged."""
    path = build / "manifest.json"
    try:
        m = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StoreError(f"{path} is missing: {REBUILD}") from None
    except (OSError, UnicodeDecodeError, ValueError) as e:
        raise StoreError(f"{path} cannot be read ({type(e).__name__}): {REBUILD}") from None
    if not isinstance(m, dict) or not isinstance(m.get("documents"), dict):
        raise StoreError(f"{path} is not a build manifest: {REBUILD}")
    return m


def store_location(data: Path) -> str:
    """Where the current build's graph lives: a local store folder or a remote store URL."""
    build = current_build(data)
    if build is None:
        raise StoreError(f"no built data in {data}: run `kg build` first (or pass --data DIR)")
    remote = read_manifest(build).get("store")
    if not remote and not (build / "store").is_dir():
        raise StoreError(f"{build / 'store'} is missing: {REBUILD}")
    return remote or str(build / "store")


def index_dir(data: Path) -> Path:
    build = current_build(data)
    if build is None:
        raise StoreError(f"no built data in {data}: run `kg build` first (or pass --data DIR)")
    if not (build / "index").is_dir():
        raise StoreError(f"{build / 'index'} is missing: {REBUILD}")
    return build / "index"


def manifest(data: Path) -> dict:
    build = current_build(data)
    if build is None:
        raise StoreError(f"no built data in {data}: run `kg build` first (or pass --data DIR)")
    return read_manifest(build)


class BuildLocked(StoreError):
    pass


@contextmanager
def lock(data: Path):
    """Hold the data folder's build lock (an flock, released by the system even when the build is
    killed), making the folder if need be; refuse at once when another build holds it: two builds
    would delete each other's work."""
    try:
        data.mkdir(parents=True, exist_ok=True)
        fd = os.open(data / ".build.lock", os.O_RDWR | os.O_CREAT, 0o644)
    except PermissionError as e:
        raise StoreError(f"cannot write to {data} ({e.strerror}): choose another --data folder or fix its "
                         "permissions") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(fd, 32, 0).decode(errors="replace").strip()
        os.close(fd)
        raise BuildLocked(f"another kg build (pid {holder or '?'}) is running on {data}: "
                          "wait for it to finish, then build again") from None
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)


def new_build(data: Path) -> Path:
    """A fresh, empty build folder beside the current one."""
    builds = data / "builds"
    builds.mkdir(exist_ok=True)
    new = builds / f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
    (new / "docs").mkdir(parents=True)
    return new


def swap(data: Path, new: Path) -> None:
    """Point DATA/current at the new build atomically, then remove older builds. The build just
    replaced is kept until the next swap, so readers still holding it can finish."""
    link = data / "current"
    try:
        previous = current_build(data)
    except StoreError:  # a file or folder in the place of the link: moved aside, not deleted
        previous = None
        if link.exists() and not link.is_symlink():
            link.rename(data / f"current.broken-{time.strftime('%Y%m%dT%H%M%S')}")
        elif link.is_symlink():
            link.unlink()
    tmp = data / f".current-{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(os.path.relpath(new, data), tmp)
    os.replace(tmp, link)
    # compared as resolved paths: `data` may be relative, `previous` is resolved
    keep = {new.resolve(), previous.resolve() if previous else None}
    for old in (data / "builds").iterdir():
        if old.resolve() not in keep and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
