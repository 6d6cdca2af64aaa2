"""Files written whole or not at all, with the permissions any new file of the user gets.

A report or an export is written to a temporary file beside its destination and renamed.
``tempfile.mkstemp`` makes that file readable by its owner alone (0600), which is right for
a temporary file but would make a report nobody else on a shared folder can open: the file
is given the mode ``open()`` would have given it (0666 less the umask) before it is renamed.
Backups (:mod:`acsreview.web.backup`) keep 0600 on purpose: they hold password hashes.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _umask() -> int:
    # Read once, at import: os.umask can only be read by setting it, for the whole process.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


UMASK = _umask()


def like_a_new_file(path: Path | str) -> None:
    """Give ``path`` the permissions a file newly created by ``open()`` would have."""
    os.chmod(path, 0o666 & ~UMASK)


def write_whole(output: Path, data: bytes) -> None:
    """``data`` to ``output``, whole or not at all, with a new file's usual permissions."""
    fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", dir=output.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        like_a_new_file(tmp)
        os.replace(tmp, output)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
