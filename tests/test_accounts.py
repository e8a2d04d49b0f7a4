"""Learners of a served classroom (tutor/accounts.py): names never become paths, PINs are salted
scrypt hashes, and a wrong PIN says nothing about whether the name exists."""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor import accounts
from tutor.accounts import (
    MAX_FAILURES,
    MAX_NAME_CHARS,
    Classroom,
    Gate,
    LoginError,
    display_name,
    file_stem,
    name_key,
    normalize_pin,
)

STEM = re.compile(r"[a-z0-9][a-z0-9-]{0,40}")


def refused(call, *args) -> str:
    with pytest.raises(LoginError) as caught:
        call(*args)
    return caught.value.key


# --- names and file names -----------------------------------------------------------------------


@pytest.mark.parametrize("name", [
    "../../etc/passwd", "..", ".", "a\x00b", "x" * 10_000, "김철수", "CON", ".hidden",
    "a/b\\c:d", "\u202eevil", "\ud800", "", " ", "Ada\n", "..\x00/..",
])
def test_every_string_gives_a_safe_stem(name):
    stem = file_stem(name)
    assert STEM.fullmatch(stem), stem
    assert len(stem) <= 41


@given(st.text(max_size=200))
@settings(max_examples=300, deadline=None)
def test_any_text_gives_a_safe_stem(name):
    assert STEM.fullmatch(file_stem(name))


@pytest.mark.parametrize("name", ["../x", "a/b", "a\\b", "C:", "x" * (MAX_NAME_CHARS + 1), "",
                                  "   ", "\x00", "Ada!", "<b>"])
def test_names_that_are_not_names_are_refused_before_anything_is_looked_up(name):
    assert refused(display_name, name) == "serve.login.bad_name"


def test_control_characters_are_cleaned_at_the_boundary():
    assert display_name("A\x1bda") == "Ada"  # ESC removed (tutor.text.clean)
    assert display_name("a\x00b") == "ab"  # NUL removed, never in a path
    assert refused(display_name, "A\x1b[31mda") == "serve.login.bad_name"  # "[" is no letter


def test_longest_name_is_accepted_and_kept_as_typed():
    name = "가" * MAX_NAME_CHARS
    assert display_name(name) == name


def test_case_width_and_normal_form_are_one_learner():
    nfc = unicodedata.normalize("NFC", "김철수")
    nfd = unicodedata.normalize("NFD", "김철수")
    assert nfc != nfd
    assert name_key(nfc) == name_key(nfd)
    assert name_key("Kim") == name_key("KIM") == name_key("ｋｉｍ") == name_key("  kim ")
    assert name_key("Straße") == name_key("STRASSE")  # full case folding
    assert file_stem(name_key("Kim")) == file_stem(name_key("KIM"))


def test_different_names_get_different_files():
    names = ["Kim", "Kim Min", "Kim-Min", "김민", "김 민", "Ada", "ada lovelace", "Ａｄａ２"]
    stems = {file_stem(name_key(n)) for n in names}
    assert len(stems) == len(names)


def test_readable_stem_for_ascii_and_placeholder_for_hangul():
    assert file_stem(name_key("Ada Lovelace")).startswith("ada-lovelace-")
    assert file_stem(name_key("김철수")).startswith("learner-")
    # the hash part is SHA-256 of the key, independently computed
    key = name_key("Ada")
    assert file_stem(key).endswith(hashlib.sha256(key.encode()).hexdigest()[:20])


def test_pins():
    assert normalize_pin("２４６８") == "2468"  # full-width digits, as an IME types them
    assert normalize_pin(" 1234 ") == "1234"
    for bad in ("123", "1" * 13, "12a4", "", "١٢٣٤", "12.4"):
        assert refused(normalize_pin, bad) == "serve.login.bad_pin"


# --- first visit, sign-in -----------------------------------------------------------------------


def test_first_visit_then_sign_in(tmp_path):
    room = Classroom(tmp_path / "class")
    ada = room.register("Ada", "2468", "2468")
    assert ada.name == "Ada"
    assert ada.db_path.parent == tmp_path / "class"
    assert ada.db_path.name == f"{ada.stem}.db"
    again = room.sign_in("ADA", "２４６８")
    assert again == ada


def test_the_record_holds_a_salted_scrypt_hash_and_its_parameters(tmp_path):
    room = Classroom(tmp_path)
    ada = room.register("Ada", "2468", "2468")
    path = tmp_path / f"{ada.stem}.login"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    raw = path.read_text()
    assert "2468" not in raw
    record = json.loads(raw)
    assert record["kdf"] == "scrypt" and (record["n"], record["r"], record["p"]) == (2**14, 8, 1)
    salt = bytes.fromhex(record["salt"])
    assert len(salt) == 16
    expected = hashlib.scrypt(b"2468", salt=salt, n=record["n"], r=record["r"], p=record["p"],
                              dklen=32)
    assert bytes.fromhex(record["hash"]) == expected
    # another learner with the same PIN gets another salt, so another hash
    bea = json.loads((tmp_path / f"{room.register('Bea', '2468', '2468').stem}.login").read_text())
    assert bea["salt"] != record["salt"] and bea["hash"] != record["hash"]


def test_wrong_pin_and_unknown_name_get_the_same_answer_after_the_same_work(tmp_path,
                                                                             monkeypatch):
    room = Classroom(tmp_path)
    room.register("Ada", "2468", "2468")
    calls: list[tuple] = []
    real = accounts.hash_pin

    def counting(pin, salt, *args):
        calls.append((len(salt), *args))
        return real(pin, salt, *args)

    monkeypatch.setattr(accounts, "hash_pin", counting)
    assert refused(room.sign_in, "Ada", "1111") == "serve.login.refused"
    wrong = calls[:]
    calls.clear()
    assert refused(room.sign_in, "Nobody", "1111") == "serve.login.refused"
    unknown = calls[:]
    assert len(wrong) == len(unknown) == 1
    # the same scrypt work: salt length, N, r, p and key length
    assert wrong == unknown == [(16, accounts.SCRYPT_N, accounts.SCRYPT_R, accounts.SCRYPT_P, 32)]


def test_first_visit_with_a_taken_name(tmp_path):
    room = Classroom(tmp_path)
    room.register("Ada", "2468", "2468")
    assert refused(room.register, "ada", "1111", "1111") == "serve.login.taken"
    # the same name and PIN again is the same learner, not an error
    assert room.register("ADA", "2468", "2468").name == "Ada"
    assert refused(room.register, "Bea", "1234", "1243") == "serve.login.mismatch"
    assert len(list(tmp_path.glob("*.login"))) == 1


def test_two_first_visits_with_one_name_cannot_both_win(tmp_path, monkeypatch):
    """The record is created with O_EXCL: the second of two racing first visits is refused."""
    room = Classroom(tmp_path)
    real_exists = type(tmp_path).exists
    monkeypatch.setattr(type(tmp_path), "exists", lambda self: False if self.suffix == ".login"
                        else real_exists(self))
    room.register("Ada", "2468", "2468")
    assert refused(room.register, "Ada", "1111", "1111") == "serve.login.taken"
    assert room.sign_in("Ada", "2468").name == "Ada"


@pytest.mark.parametrize("content", [
    b"", b"not json", b"[]", b'{"format": "perceptron-tutor-login"}',
    json.dumps({"format": "perceptron-tutor-login", "n": 2**30, "r": 8, "p": 1,
                "salt": "00" * 16, "hash": "00" * 32}).encode(),
    json.dumps({"format": "perceptron-tutor-login", "n": 1000, "r": 8, "p": 1,
                "salt": "00" * 16, "hash": "00" * 32}).encode(),
    json.dumps({"format": "perceptron-tutor-login", "n": 16384, "r": 8, "p": 1,
                "salt": "zz", "hash": "00" * 32}).encode(),
    b"{" * 100_000,
])
def test_a_damaged_or_forged_record_refuses_every_pin(tmp_path, content):
    room = Classroom(tmp_path)
    _stem, login, _db = room.paths(name_key("Ada"))
    login.write_bytes(content)
    assert refused(room.sign_in, "Ada", "2468") == "serve.login.refused"


def test_a_symlinked_record_is_not_followed(tmp_path):
    room = Classroom(tmp_path / "class")
    other = Classroom(tmp_path / "other")
    other.register("Ada", "2468", "2468")
    stem, login, _db = room.paths(name_key("Ada"))
    (tmp_path / "class").mkdir()
    os.symlink(tmp_path / "other" / f"{stem}.login", login)
    assert refused(room.sign_in, "Ada", "2468") == "serve.login.refused"


def test_an_unwritable_folder_is_said_in_words(tmp_path):
    (tmp_path / "file").write_text("")
    room = Classroom(tmp_path / "file" / "class")
    assert refused(room.register, "Ada", "2468", "2468") == "serve.login.no_folder"


def test_names_of_the_folder(tmp_path):
    room = Classroom(tmp_path)
    ada = room.register("Ada", "2468", "2468")
    kim = room.register("김철수", "1357", "1357")
    (tmp_path / "junk.login").write_text("{")
    assert room.names() == {ada.stem: "Ada", kim.stem: "김철수"}


def test_the_gate_counts_wrong_attempts():
    gate = Gate()
    assert [gate.failed() for _ in range(MAX_FAILURES)] == [False] * (MAX_FAILURES - 1) + [True]


def test_wrong_pins_across_sessions_lock_the_name_for_a_while(tmp_path, monkeypatch):
    """A new tab gives five more tries; NAME_FAILURES in a row lock the name, right PIN too."""
    clock = [1_000_000.0]
    monkeypatch.setattr(accounts.time, "time", lambda: clock[0])
    room = Classroom(tmp_path)
    ada = room.register("Ada", "2468", "2468")
    for _ in range(accounts.NAME_FAILURES):
        assert refused(room.sign_in, "Ada", "1111") == "serve.login.refused"
    assert refused(room.sign_in, "Ada", "2468") == "serve.login.refused"  # locked: same words
    clock[0] += accounts.LOCK_SECONDS - 1
    assert refused(room.sign_in, "Ada", "2468") == "serve.login.refused"
    clock[0] += accounts.LOCK_SECONDS + 1
    assert room.sign_in("Ada", "2468") == ada
    assert not (tmp_path / f"{ada.stem}.fails").exists()  # the right PIN starts the count again
    for _ in range(accounts.NAME_FAILURES - 1):
        assert refused(room.sign_in, "Ada", "1111") == "serve.login.refused"
    assert room.sign_in("Ada", "2468") == ada  # nine in a row do not lock


def test_an_unknown_name_leaves_no_file(tmp_path):
    room = Classroom(tmp_path)
    for _ in range(accounts.NAME_FAILURES + 1):
        assert refused(room.sign_in, "Nobody", "1111") == "serve.login.refused"
    assert list(tmp_path.iterdir()) == []


def test_a_damaged_fails_file_counts_as_none(tmp_path):
    room = Classroom(tmp_path)
    ada = room.register("Ada", "2468", "2468")
    (tmp_path / f"{ada.stem}.fails").write_text('{"count": "many", "last": []}')
    assert room.sign_in("Ada", "2468") == ada
