"""Who may change the index through the app: the admin password, its hash, guessing limits
and the rule for an app reachable from other machines.

Pure logic, kept apart from the Streamlit script so every rule is unit-tested. The rules:
- Served on loopback only (scripts/run.sh's default) without a password: changes are open,
  since only this machine's user can reach the app.
- With a password (plain in RAPPORTSOK_ADMIN_PASSWORD or salted-hashed in
  RAPPORTSOK_ADMIN_PASSWORD_HASH): every change needs it. An empty value counts as none.
- Served on the network (address not loopback, or unset: Streamlit then listens on all
  interfaces) without a password: every change is refused, with the reason in Swedish.
- Wrong passwords are rate-limited per process (all sessions together), so guessing from many
  browser tabs is slowed down too.

Run `python -m rapportsok.app.security` to turn a password into a hash for the environment.
"""

from __future__ import annotations

import base64
import getpass
import hashlib
import hmac
import ipaddress
import os
import threading
import time
from dataclasses import dataclass, field

from rapportsok.index.settings import ADMIN_PASSWORD_HASH_ENV, Settings

# scrypt cost parameters (n=2^14, r=8, p=1: about 16 MB and 50 ms per check, the values
# Python's documentation and OWASP name as a minimum for interactive logins).
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
FREE_ATTEMPTS = 5
FIRST_DELAY_S = 2.0
MAX_DELAY_S = 300.0

NETWORK_WITHOUT_PASSWORD = (
    "Appen nås från andra datorer men inget administratörslösenord är satt, så ändringar "
    "(uppladdning, omindexering, rättelser) är avstängda. Sätt RAPPORTSOK_ADMIN_PASSWORD_HASH "
    "(eller RAPPORTSOK_ADMIN_PASSWORD) och starta om appen, eller kör den bara på den här datorn "
    "(scripts/run.sh gör det som standard)."
)


def hash_password(password: str, salt: bytes | None = None) -> str:
    """A salted scrypt hash as `scrypt$n$r$p$salt$hash` (base64 parts), for the environment."""
    salt = salt or os.urandom(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)
    encode = base64.b64encode
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${encode(salt).decode()}${encode(digest).decode()}"


def check_password(given: str, password: str | None, password_hash: str | None) -> bool:
    """Whether `given` matches the hash (preferred) or the plain password, in constant time."""
    if password_hash:
        try:
            scheme, n, r, p, salt, digest = password_hash.split("$")
            expected = base64.b64decode(digest)
            computed = hashlib.scrypt(
                given.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
                dklen=len(expected),
            )
        except ValueError:
            return False
        return scheme == "scrypt" and hmac.compare_digest(computed, expected)
    return bool(password) and hmac.compare_digest(given.encode(), password.encode())


def is_loopback(address: str | None) -> bool:
    """Whether a Streamlit `server.address` only accepts this machine (unset: all interfaces)."""
    if not address:
        return False
    if address == "localhost":
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class ChangePolicy:
    """What the app asks before a change: nothing, the password, or a refusal with its reason."""

    needs_password: bool
    refusal: str | None = None


def change_policy(address: str | None, settings: Settings) -> ChangePolicy:
    """The rule for changes in an app served at `address` with the configured password."""
    has_password = bool(settings.admin_password_hash or settings.admin_password)
    if has_password:
        return ChangePolicy(needs_password=True)
    if is_loopback(address):
        return ChangePolicy(needs_password=False)
    return ChangePolicy(needs_password=True, refusal=NETWORK_WITHOUT_PASSWORD)


@dataclass
class Throttle:
    """Slows down password guessing: after FREE_ATTEMPTS wrong passwords each further attempt
    waits, twice as long each time (up to MAX_DELAY_S); a right password resets it."""

    failures: int = 0
    blocked_until: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def wait_s(self, now: float | None = None) -> float:
        """Seconds until the next attempt is allowed (0: now)."""
        return max(0.0, self.blocked_until - (time.monotonic() if now is None else now))

    def record(self, ok: bool, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            if ok:
                self.failures, self.blocked_until = 0, 0.0
                return
            self.failures += 1
            if self.failures >= FREE_ATTEMPTS:
                delay = min(MAX_DELAY_S, FIRST_DELAY_S * 2 ** (self.failures - FREE_ATTEMPTS))
                self.blocked_until = now + delay


if __name__ == "__main__":
    first = getpass.getpass("Nytt administratörslösenord: ")
    if not first or first != getpass.getpass("Samma lösenord igen: "):
        raise SystemExit("Lösenorden var tomma eller olika; inget hash skapades.")
    print(f"{ADMIN_PASSWORD_HASH_ENV}='{hash_password(first)}'")
