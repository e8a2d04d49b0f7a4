"""Learners of a served classroom: a name and a PIN, each learner with a progress file of their own.

`perceptron-tutor serve` starts one app process per browser connection; each begins with "who are
you?" and then opens `DIR/<file stem>.db`, that learner's own progress. This module decides what a
name is, which file it maps to, and whether a PIN is right. Standard library only.

Names. A name is what a learner types, cleaned at this boundary (`tutor.text.clean`), put in
Unicode normal form NFKC (so full-width letters and the two ways of writing a Hangul syllable are
one name) and with its white space collapsed. Two names are the same learner when their *key*
is the same: the NFKC form, case-folded, normalised again (Unicode's "caseless matching", The
Unicode Standard §3.13, D145): "Kim", "KIM" and "ｋｉｍ" are one learner, so no two learners ever
share a file on a case-insensitive file system either. A name never becomes a path: the file stem
is an ASCII slug of the key (letters and digits only, at most 20 characters; "learner" when the
name has none, as a Hangul name) followed by the first 80 bits of the key's SHA-256, e.g.
`kim-5b0f...`. So `../`, NUL, a 10,000-character name or "김철수" all give a stem of at most 41
characters from `[a-z0-9-]`.

PINs. 4 to 12 digits (full-width digits as an IME types them count). Stored as a salted scrypt
hash (`hashlib.scrypt`, RFC 7914) with its parameters, N = 2¹⁴, r = 8, p = 1 (16 MiB, the
interactive-login parameters of the scrypt paper, Percival 2009, §7), a 16-byte random salt and a
32-byte key, in `DIR/<stem>.login` (JSON, mode 0600, created exclusively so that two first visits
with one name cannot both win). A sign-in with an unknown name computes the same scrypt against
a dummy record, so a wrong PIN and an unknown name get the same answer in about the same time.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from tutor.text import clean

LOGIN_FORMAT = "perceptron-tutor-login"
LOGIN_VERSION = 1
LOGIN_SUFFIX = ".login"
DB_SUFFIX = ".db"
MAX_NAME_CHARS = 40
MIN_PIN_DIGITS, MAX_PIN_DIGITS = 4, 12
MAX_LOGIN_BYTES = 4096
SLUG_CHARS = 20
HASH_HEX = 20  # 80 bits of SHA-256
MAX_FAILURES = 5  # wrong sign-ins in one session, then the session ends
FAILURE_DELAY_SECONDS = 1.0  # after each wrong sign-in
# Across sessions (a new tab gives five more tries): after NAME_FAILURES wrong PINs in a row for
# one name, every sign-in with that name is refused for LOCK_SECONDS after the latest one, the
# right PIN too, with the same sentence. Kept in DIR/<stem>.fails; a right PIN removes it, and a
# teacher can delete it.
NAME_FAILURES = 10
LOCK_SECONDS = 300.0
FAILS_SUFFIX = ".fails"

# scrypt: N = 2**14, r = 8, p = 1 uses 128·N·r bytes = 16 MiB (RFC 7914 §2).
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
SCRYPT_DKLEN = 32
SALT_BYTES = 16
# A .login file is untrusted too: parameters beyond these would let it take memory or minutes.
MAX_SCRYPT_N, MAX_SCRYPT_R, MAX_SCRYPT_P = 2**17, 16, 4
SCRYPT_MAXMEM = 2**28  # 256 MiB: above 128·N·r for the largest parameters allowed

_SPACES = re.compile(r"\s+")
_SLUG_DROP = re.compile(r"[^a-z0-9]+")
_NAME_PUNCTUATION = frozenset("-_.' ")


class LoginError(Exception):
    """A sign-in or first visit refused; `key` is the catalog key of the sentence to show."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


@dataclass(frozen=True)
class Learner:
    """A signed-in learner: the name as first typed, and their own progress file."""

    name: str
    stem: str
    db_path: Path


def display_name(typed: str) -> str:
    """The name as it is kept and shown: cleaned, NFKC, white space collapsed and trimmed.

    Raises LoginError("serve.login.bad_name") for an empty name, one longer than
    MAX_NAME_CHARS, or one with a character that is not a letter, a mark, a digit, a space or
    one of - _ . ' (so no slash, backslash, colon or NUL ever reaches anything).
    """
    text = unicodedata.normalize("NFKC", clean(typed))
    text = _SPACES.sub(" ", text).strip()
    if not text or len(text) > MAX_NAME_CHARS:
        raise LoginError("serve.login.bad_name")
    for char in text:
        if char not in _NAME_PUNCTUATION and unicodedata.category(char)[0] not in "LMN":
            raise LoginError("serve.login.bad_name")
    return text


def name_key(name: str) -> str:
    """The identity of a name: NFKC(casefold(NFKC(name))), Unicode's compatibility caseless
    match (The Unicode Standard §3.13, D146), on the display form. "Kim" and "KIM" are one."""
    return unicodedata.normalize("NFKC", display_name(name).casefold())


def file_stem(key: str) -> str:
    """A file name stem for a name key: `[a-z0-9-]`, at most 41 characters, never empty, never
    starting with a dot, the same for the same key and different (80 bits of SHA-256) for
    different keys. Works on any string, so it is safe even on a key not made by `name_key`."""
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:HASH_HEX]
    ascii_part = unicodedata.normalize("NFKD", key).encode("ascii", "ignore").decode("ascii")
    slug = _SLUG_DROP.sub("-", ascii_part.lower()).strip("-")[:SLUG_CHARS].strip("-")
    return f"{slug or 'learner'}-{digest}"


def normalize_pin(typed: str) -> str:
    """The PIN's digits (full-width digits become ASCII). Raises LoginError("serve.login.bad_pin")
    unless it is MIN_PIN_DIGITS to MAX_PIN_DIGITS digits."""
    pin = unicodedata.normalize("NFKC", typed).strip()
    if not (MIN_PIN_DIGITS <= len(pin) <= MAX_PIN_DIGITS) or not pin.isascii() or not pin.isdigit():
        raise LoginError("serve.login.bad_pin")
    return pin


def hash_pin(pin: str, salt: bytes, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P,
             dklen: int = SCRYPT_DKLEN) -> bytes:
    """scrypt(pin, salt; N, r, p) → `dklen` bytes (RFC 7914), through `hashlib.scrypt`."""
    return hashlib.scrypt(pin.encode("ascii"), salt=salt, n=n, r=r, p=p, maxmem=SCRYPT_MAXMEM,
                          dklen=dklen)


def new_record(name: str, pin: str, *, now: float | None = None) -> dict[str, object]:
    """The JSON record of a first visit: the name, the scrypt parameters, salt and hash."""
    salt = secrets.token_bytes(SALT_BYTES)
    return {
        "format": LOGIN_FORMAT,
        "version": LOGIN_VERSION,
        "name": name,
        "kdf": "scrypt",
        "n": SCRYPT_N,
        "r": SCRYPT_R,
        "p": SCRYPT_P,
        "salt": salt.hex(),
        "hash": hash_pin(pin, salt).hex(),
        "created_at": time.time() if now is None else now,
    }


_DUMMY_SALT = bytes(SALT_BYTES)


def _record_params(record: object) -> tuple[int, int, int, bytes, bytes] | None:
    """(N, r, p, salt, hash) of a login record, or None when it is not one we can check
    within bounds (a damaged or forged file refuses every PIN; it is never a traceback)."""
    if not isinstance(record, dict) or record.get("format") != LOGIN_FORMAT:
        return None
    n, r, p = record.get("n"), record.get("r"), record.get("p")
    for value, top in ((n, MAX_SCRYPT_N), (r, MAX_SCRYPT_R), (p, MAX_SCRYPT_P)):
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= top:
            return None
    assert isinstance(n, int) and isinstance(r, int) and isinstance(p, int)
    if n < 2 or n & (n - 1):
        return None  # scrypt's N is a power of two above 1
    try:
        salt = bytes.fromhex(str(record.get("salt")))
        digest = bytes.fromhex(str(record.get("hash")))
    except ValueError:
        return None
    if not 8 <= len(salt) <= 64 or not 16 <= len(digest) <= 64:
        return None
    return n, r, p, salt, digest


def read_record(path: Path) -> dict[str, object] | None:
    """A .login file's record, read bounded; None when missing, not a regular file, too large or
    not JSON."""
    try:
        if not path.is_file() or path.is_symlink():
            return None
        with path.open("rb") as file:
            raw = file.read(MAX_LOGIN_BYTES + 1)
        if len(raw) > MAX_LOGIN_BYTES:
            return None
        data = json.loads(raw.decode("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _read_fails(path: Path) -> tuple[int, float]:
    """(wrong PINs in a row, time of the latest) for one name; (0, 0.0) when none or unreadable."""
    record = read_record(path)
    if record is None:
        return 0, 0.0
    count, last = record.get("count"), record.get("last")
    if not isinstance(count, int) or isinstance(count, bool) or not isinstance(last, int | float):
        return 0, 0.0
    return max(0, min(count, 10**6)), float(last)


def _write_fails(path: Path, count: int, now: float) -> None:
    """Best effort (a folder that cannot be written keeps only the per-session bound)."""
    temporary = path.with_name(f"{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as file:
            json.dump({"count": count, "last": now}, file)
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)


class Classroom:
    """The learners of one progress folder (`serve --progress-dir DIR`)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def paths(self, key: str) -> tuple[str, Path, Path]:
        stem = file_stem(key)
        return stem, self.folder / f"{stem}{LOGIN_SUFFIX}", self.folder / f"{stem}{DB_SUFFIX}"

    def sign_in(self, name: str, pin: str) -> Learner:
        """The learner whose name and PIN these are.

        Raises LoginError: "serve.login.bad_name" / "serve.login.bad_pin" for input that is not a
        name or a PIN at all (said before anything is looked up), and "serve.login.refused" for a
        wrong PIN *and* for a name nobody has chosen, after the same scrypt work; also for the
        right PIN while the name is locked (NAME_FAILURES wrong ones in a row, LOCK_SECONDS).
        """
        shown = display_name(name)
        key = name_key(shown)
        digits = normalize_pin(pin)
        stem, login, db = self.paths(key)
        record = read_record(login)
        params = _record_params(record)
        if params is None:
            # the same work as checking a real record
            hash_pin(digits, _DUMMY_SALT, SCRYPT_N, SCRYPT_R, SCRYPT_P, SCRYPT_DKLEN)
            raise LoginError("serve.login.refused")
        n, r, p, salt, digest = params
        right = hmac.compare_digest(hash_pin(digits, salt, n, r, p, len(digest)), digest)
        fails = self.folder / f"{stem}{FAILS_SUFFIX}"
        count, last = _read_fails(fails)
        now = time.time()
        if count >= NAME_FAILURES and now - last < LOCK_SECONDS:
            _write_fails(fails, count + (not right), now)
            raise LoginError("serve.login.refused")
        if not right:
            _write_fails(fails, count + 1, now)
            raise LoginError("serve.login.refused")
        if count:
            fails.unlink(missing_ok=True)
        assert record is not None
        kept = record.get("name")
        kept_name = clean(kept)[:MAX_NAME_CHARS] if isinstance(kept, str) and kept else shown
        return Learner(kept_name, stem, db)

    def register(self, name: str, pin: str, again: str) -> Learner:
        """A first visit: choose `name` with `pin` (typed twice). The same name and PIN as an
        existing learner simply sign in.

        Raises LoginError: bad_name / bad_pin as `sign_in`; "serve.login.mismatch" when the two
        PINs differ; "serve.login.taken" when the name is someone else's; "serve.login.no_folder"
        when the record cannot be written.
        """
        shown = display_name(name)
        key = name_key(shown)
        digits = normalize_pin(pin)
        if normalize_pin(again) != digits:
            raise LoginError("serve.login.mismatch")
        stem, login, db = self.paths(key)
        if login.exists() or login.is_symlink():
            try:
                return self.sign_in(shown, digits)
            except LoginError:
                raise LoginError("serve.login.taken") from None
        data = json.dumps(new_record(shown, digits), ensure_ascii=False).encode("utf-8")
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(login, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0),
                         0o600)
        except FileExistsError:  # another first visit with this name won the race
            raise LoginError("serve.login.taken") from None
        except OSError:
            raise LoginError("serve.login.no_folder") from None
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
        except OSError:
            login.unlink(missing_ok=True)
            raise LoginError("serve.login.no_folder") from None
        return Learner(shown, stem, db)

    def names(self) -> dict[str, str]:
        """file stem → the learner's name, for every readable .login file in the folder."""
        out: dict[str, str] = {}
        try:
            entries = sorted(self.folder.glob(f"*{LOGIN_SUFFIX}"))
        except OSError:
            return out
        for path in entries:
            record = read_record(path)
            name = record.get("name") if record else None
            if isinstance(name, str) and name:
                out[path.name[: -len(LOGIN_SUFFIX)]] = clean(name)[:MAX_NAME_CHARS]
        return out


class Gate:
    """Bounded sign-in attempts for one session: MAX_FAILURES wrong ones end it."""

    def __init__(self, max_failures: int = MAX_FAILURES) -> None:
        self.max_failures = max_failures
        self.failures = 0

    def failed(self) -> bool:
        """Count one wrong attempt; True when the session must end."""
        self.failures += 1
        return self.failures >= self.max_failures
