"""The secret key: from the environment, or generated once and kept in instance/."""

import os
import secrets
import time
from pathlib import Path


def load_or_create(instance_path):
    """Read instance/secret_key, creating it atomically (several workers may start at once)."""
    path = Path(instance_path) / "secret_key"
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    for _ in range(50):  # another worker may be between creating and writing the file
        value = path.read_text().strip()
        if value:
            return value
        time.sleep(0.02)
    raise RuntimeError(f"{path} is empty; remove it and start again")
