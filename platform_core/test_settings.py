"""Settings for the test suite: production settings with a fast password hasher."""

from platform_core.settings import *  # noqa: F403

# PBKDF2's deliberate slowness would dominate the suite; hashing is Django's, not ours, to test.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
