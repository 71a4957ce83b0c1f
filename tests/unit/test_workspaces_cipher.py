"""The secret cipher (AES-256-GCM) and its key ring: round trip, tampering, moved ciphertexts,
key versions, the key file, the env variable's format, rotation, and values never shown."""

from __future__ import annotations

import base64
import os
import pickle
import stat
import threading
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nexus.shared.errors import DomainError, ValidationError
from nexus.shared.ids import WorkspaceId, new_id
from nexus.workspaces.domain.secrets import (
    SecretBinding,
    SecretCipher,
    SecretDecryptionError,
    SecretKeyMissingError,
    SecretPurpose,
    SecretTamperedError,
    SecretValue,
    key_version_of,
    parse_ciphertext,
)
from nexus.workspaces.infrastructure.key_ring import (
    KEY_FILE_ENV,
    KEYS_ENV,
    KeyRing,
    format_keys,
    key_file_beside,
    load_key_ring,
    load_or_create_key_file,
    new_key,
    parse_keys,
)
from nexus.workspaces.infrastructure.secret_cipher import AesGcmSecretCipher

WORKSPACE = WorkspaceId(new_id())
OTHER_WORKSPACE = WorkspaceId(new_id())
BINDING = SecretBinding.secret(WORKSPACE, "OPENAI_API_KEY")
VALUE = "sk-live-0123456789abcdef"
B64 = st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def ring(*versions: int) -> KeyRing:
    return KeyRing({v: new_key() for v in versions})


@pytest.fixture
def cipher() -> AesGcmSecretCipher:
    return AesGcmSecretCipher(ring(1))


def test_the_adapter_satisfies_the_port(cipher: AesGcmSecretCipher) -> None:
    port: SecretCipher = cipher
    assert port.newest_version == 1


@given(st.text(min_size=1, max_size=300).filter(lambda v: "\x00" not in v))
def test_round_trip(value: str) -> None:
    cipher = AesGcmSecretCipher(ring(1))
    encrypted = cipher.encrypt(SecretValue(value), BINDING)
    assert encrypted.startswith("v1:")
    assert cipher.decrypt(encrypted, BINDING).reveal() == value


def test_two_encryptions_of_one_value_differ_and_hide_it(cipher: AesGcmSecretCipher) -> None:
    first = cipher.encrypt(SecretValue(VALUE), BINDING)
    assert VALUE not in first
    assert VALUE.encode() not in parse_ciphertext(first)[1]
    assert first != cipher.encrypt(SecretValue(VALUE), BINDING)


def test_every_changed_character_is_refused(
    cipher: AesGcmSecretCipher, figure: Callable[[str], None]
) -> None:
    encrypted = cipher.encrypt(SecretValue(VALUE), BINDING)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_:v"
    refused = 0
    for position, original in enumerate(encrypted):
        for replacement in (alphabet[(alphabet.index(original) + 1) % len(alphabet)], "="):
            altered = encrypted[:position] + replacement + encrypted[position + 1 :]
            with pytest.raises(SecretDecryptionError):
                cipher.decrypt(altered, BINDING)
            refused += 1
    figure(f"secret cipher: {refused} one-character changes of a ciphertext refused")
    assert refused == 2 * len(encrypted)


def test_every_flipped_bit_of_the_payload_is_refused(cipher: AesGcmSecretCipher) -> None:
    encrypted = cipher.encrypt(SecretValue(VALUE), BINDING)
    version, payload = parse_ciphertext(encrypted)
    for index in range(len(payload)):
        for bit in range(8):
            altered = bytearray(payload)
            altered[index] ^= 1 << bit
            body = base64.urlsafe_b64encode(bytes(altered)).rstrip(b"=").decode()
            with pytest.raises(SecretTamperedError):
                cipher.decrypt(f"v{version}:{body}", BINDING)


@pytest.mark.parametrize(
    "edit",
    [
        lambda c: c[:-1],  # truncated
        lambda c: c + "A",  # extended
        lambda c: c[:3] + c[3:20],  # shortened below nonce + tag
        lambda c: c.upper(),
        lambda c: c.replace("v1:", "V1:"),
        lambda c: c.replace("v1:", "v01:"),
        lambda c: c.replace("v1:", ""),
        lambda c: " " + c,
        lambda c: c + "==",
        lambda c: "",
    ],
)
def test_malformed_ciphertexts_are_refused(
    cipher: AesGcmSecretCipher, edit: Callable[[str], str]
) -> None:
    encrypted = cipher.encrypt(SecretValue(VALUE), BINDING)
    with pytest.raises(SecretDecryptionError):
        cipher.decrypt(edit(encrypted), BINDING)


@pytest.mark.parametrize(
    "elsewhere",
    [
        SecretBinding.secret(OTHER_WORKSPACE, "OPENAI_API_KEY"),
        SecretBinding.secret(WORKSPACE, "ANTHROPIC_API_KEY"),
        SecretBinding.secret(WORKSPACE, "OPENAI_API_KEY_"),
        SecretBinding(
            workspace_id=WORKSPACE, purpose=SecretPurpose.ABI_SERVER_API_KEY, name="OPENAI_API_KEY"
        ),
        SecretBinding(
            workspace_id=WORKSPACE,
            purpose=SecretPurpose.INFERENCE_SERVER_API_KEY,
            name="OPENAI_API_KEY",
        ),
    ],
    ids=["other-workspace", "other-key", "longer-key", "abi-column", "inference-column"],
)
def test_a_ciphertext_moved_elsewhere_does_not_decrypt(
    cipher: AesGcmSecretCipher, elsewhere: SecretBinding
) -> None:
    encrypted = cipher.encrypt(SecretValue(VALUE), BINDING)
    with pytest.raises(SecretTamperedError, match="ciphertext refused") as raised:
        cipher.decrypt(encrypted, elsewhere)
    assert VALUE not in str(raised.value)


def test_a_server_key_is_bound_to_its_server(cipher: AesGcmSecretCipher) -> None:
    one = SecretBinding(
        workspace_id=WORKSPACE, purpose=SecretPurpose.ABI_SERVER_API_KEY, name=str(new_id())
    )
    other = SecretBinding(
        workspace_id=WORKSPACE, purpose=SecretPurpose.ABI_SERVER_API_KEY, name=str(new_id())
    )
    with pytest.raises(SecretTamperedError):
        cipher.decrypt(cipher.encrypt(SecretValue(VALUE), one), other)


def test_a_ring_without_the_key_version_names_it() -> None:
    encrypted = AesGcmSecretCipher(ring(1, 2, 3)).encrypt(SecretValue(VALUE), BINDING)
    assert key_version_of(encrypted) == 3
    with pytest.raises(SecretKeyMissingError, match="version 3") as raised:
        AesGcmSecretCipher(ring(1, 2)).decrypt(encrypted, BINDING)
    assert raised.value.key_version == 3
    assert VALUE not in str(raised.value)


def test_another_key_under_the_same_version_is_refused() -> None:
    encrypted = AesGcmSecretCipher(ring(1)).encrypt(SecretValue(VALUE), BINDING)
    with pytest.raises(SecretTamperedError):
        AesGcmSecretCipher(ring(1)).decrypt(encrypted, BINDING)


def test_a_ciphertext_relabelled_with_another_version_is_refused() -> None:
    keys = ring(1, 2)
    cipher = AesGcmSecretCipher(keys)
    encrypted = cipher.encrypt(SecretValue(VALUE), BINDING)
    with pytest.raises(SecretTamperedError):
        cipher.decrypt("v1:" + encrypted.removeprefix("v2:"), BINDING)


def test_rotation_moves_old_ciphertexts_to_the_newest_key() -> None:
    old_keys = ring(1)
    old = AesGcmSecretCipher(old_keys).encrypt(SecretValue(VALUE), BINDING)
    rotated_ring = KeyRing({**old_keys.keys, 2: new_key()})
    cipher = AesGcmSecretCipher(rotated_ring)
    assert cipher.newest_version == 2
    rotated = cipher.reencrypt(old, BINDING)
    assert key_version_of(rotated) == 2
    assert cipher.decrypt(rotated, BINDING).reveal() == VALUE
    # The newest ring alone reads it: the old key can be retired after the sweep.
    assert AesGcmSecretCipher(KeyRing({2: rotated_ring.keys[2]})).decrypt(
        rotated, BINDING
    ) == SecretValue(VALUE)
    # Idempotent: a ciphertext on the newest key comes back unchanged (a resumed sweep skips it).
    assert cipher.reencrypt(rotated, BINDING) == rotated
    # New ciphertexts use the newest key.
    assert key_version_of(cipher.encrypt(SecretValue(VALUE), BINDING)) == 2


def test_rotation_refuses_what_it_cannot_verify() -> None:
    cipher = AesGcmSecretCipher(ring(1, 2))
    current = cipher.encrypt(SecretValue(VALUE), BINDING)
    with pytest.raises(SecretTamperedError):
        cipher.reencrypt(current, SecretBinding.secret(OTHER_WORKSPACE, "OPENAI_API_KEY"))
    with pytest.raises(SecretKeyMissingError):
        cipher.reencrypt("v7:" + current.removeprefix("v2:"), BINDING)


# --- the value wrapper ---------------------------------------------------------------------


def test_a_secret_value_never_shows_itself() -> None:
    value = SecretValue(VALUE)
    shown = [repr(value), str(value), f"{value}", f"{value!r}", f"{value:>40}", repr([value])]
    assert all(VALUE not in text for text in shown)
    assert "hidden" in repr(value)
    assert value.reveal() == VALUE
    assert value == SecretValue(VALUE)
    assert value != SecretValue(VALUE + "x")
    with pytest.raises(TypeError):
        pickle.dumps(value)
    with pytest.raises(TypeError):
        hash(value)


@pytest.mark.parametrize(
    ("value", "rule"),
    [("", "empty"), ("a\x00b", "NUL"), ("x" * 65_537, "at most"), (b"bytes", "text")],
)
def test_bad_secret_values_are_refused_without_echoing_them(value: object, rule: str) -> None:
    with pytest.raises(ValidationError, match=rule) as raised:
        SecretValue(value)
    assert raised.value.field == "secrets.value"
    assert raised.value.value is None


def test_the_cipher_and_ring_reprs_name_versions_only() -> None:
    keys = ring(1, 2)
    cipher = AesGcmSecretCipher(keys)
    for key in keys.keys.values():
        encoded = base64.b64encode(key).decode()
        assert encoded not in repr(keys)
        assert encoded not in repr(cipher)
    assert repr(keys) == "KeyRing(versions=[1, 2])"


# --- the key ring's text format ------------------------------------------------------------


def test_the_env_format_round_trips_and_the_highest_version_is_newest() -> None:
    keys = {1: new_key(), 2: new_key(), 10: new_key()}
    text = format_keys(keys)
    assert text.startswith("10:")
    parsed = KeyRing.from_text(text)
    assert parsed.keys == keys
    assert parsed.newest == 10
    # URL-safe base64, no padding, spaces and newlines are accepted too.
    loose = " , ".join(
        f"{v}:{base64.urlsafe_b64encode(k).decode().rstrip('=')}" for v, k in keys.items()
    )
    assert parse_keys(loose + "\n") == keys


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("", "at least one key"),
        (" , ", "at least one key"),
        ("abc", "item 1 must be <version>:<base64 key>"),
        ("1:" + base64.b64encode(bytes(32)).decode() + ",two:abcd", "item 2 must be"),
        ("0:" + base64.b64encode(bytes(32)).decode(), "positive integer"),
        ("-1:" + base64.b64encode(bytes(32)).decode(), "item 1 must be"),
        ("1:" + base64.b64encode(bytes(16)).decode(), "32 bytes, not 16"),
        ("1:" + base64.b64encode(bytes(33)).decode(), "32 bytes, not 33"),
        ("1:a", "not valid base64"),
        (
            "1:"
            + base64.b64encode(bytes(32)).decode()
            + ",1:"
            + base64.b64encode(bytes(32)).decode(),
            "version 1 is listed twice",
        ),
    ],
)
def test_env_ring_errors_name_the_variable_and_the_rule(text: str, rule: str) -> None:
    with pytest.raises(ValidationError, match=rule) as raised:
        KeyRing.from_text(text)
    assert raised.value.field == KEYS_ENV


def test_ring_errors_never_echo_a_key() -> None:
    key = base64.b64encode(bytes(range(20))).decode()
    with pytest.raises(ValidationError) as raised:
        parse_keys(f"1:{key}")
    assert key not in str(raised.value)


@pytest.mark.parametrize("keys", [{}, {0: bytes(32)}, {1: bytes(31)}, {True: bytes(32)}])
def test_a_ring_built_in_code_is_validated(keys: dict[int, bytes]) -> None:
    with pytest.raises(ValidationError, match="key_ring"):
        KeyRing(keys)


# --- where the ring comes from -----------------------------------------------------------


def test_the_env_variable_wins(tmp_path: Path) -> None:
    keys = {3: new_key()}
    loaded = load_key_ring(f"sqlite:///{tmp_path}/nexus.db", {KEYS_ENV: format_keys(keys)})
    assert loaded.keys == keys
    assert not list(tmp_path.iterdir())


def test_a_key_file_is_created_beside_the_sqlite_file_with_mode_0600_and_reused(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path}/nexus.db"
    old_umask = os.umask(0)  # even with a permissive umask the file is 0600
    try:
        first = load_key_ring(url, {})
    finally:
        os.umask(old_umask)
    path = tmp_path / "nexus.db.secret-keys"
    assert key_file_beside(url) == path
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["nexus.db.secret-keys"]
    assert first.versions == [1]
    again = load_key_ring(url, {})
    assert again.keys == first.keys
    encrypted = AesGcmSecretCipher(first).encrypt(SecretValue(VALUE), BINDING)
    assert AesGcmSecretCipher(again).decrypt(encrypted, BINDING).reveal() == VALUE


def test_a_relative_sqlite_path_puts_the_key_file_beside_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert key_file_beside("sqlite:///data/x.db") == tmp_path / "data" / "x.db.secret-keys"


def test_concurrent_first_uses_agree_on_one_key(tmp_path: Path) -> None:
    path = tmp_path / "nexus.db.secret-keys"
    rings: list[KeyRing] = []
    barrier = threading.Barrier(8)

    def load() -> None:
        barrier.wait()
        rings.append(load_or_create_key_file(path))

    threads = [threading.Thread(target=load) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(rings) == 8
    assert len({ring.keys[1] for ring in rings}) == 1
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_a_key_file_readable_by_others_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "keys"
    load_or_create_key_file(path)
    path.chmod(0o644)
    with pytest.raises(ValidationError, match="owner only"):
        load_or_create_key_file(path)


def test_a_key_file_can_list_several_versions(tmp_path: Path) -> None:
    path = tmp_path / "keys"
    keys = {1: new_key(), 2: new_key()}
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.write(fd, ("# rotated\n" + format_keys(keys) + "\n").encode())
    os.close(fd)
    loaded = load_key_ring("postgresql+psycopg://db/nexus", {KEY_FILE_ENV: str(path)})
    assert loaded.keys == keys
    assert loaded.newest == 2


def test_a_broken_key_file_names_its_path(tmp_path: Path) -> None:
    path = tmp_path / "keys"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.write(fd, b"1:nope")
    os.close(fd)
    with pytest.raises(ValidationError, match="keys"):
        load_or_create_key_file(path)


def test_a_key_file_in_a_missing_directory_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="cannot be created"):
        load_or_create_key_file(tmp_path / "missing" / "keys")


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://postgres@127.0.0.1:5432/nexus",
        "sqlite://",
        "sqlite:///:memory:",
    ],
)
def test_no_key_file_without_a_sqlite_file(url: str) -> None:
    with pytest.raises(ValidationError, match=KEYS_ENV) as raised:
        load_key_ring(url, {})
    assert KEY_FILE_ENV in str(raised.value)


def test_a_garbage_database_url_is_a_validation_error() -> None:
    with pytest.raises(ValidationError, match="database_url"):
        load_key_ring("not a url", {})


def test_an_ephemeral_ring_holds_one_fresh_key() -> None:
    assert KeyRing.ephemeral().versions == [1]
    assert KeyRing.ephemeral().keys != KeyRing.ephemeral().keys


def test_every_error_is_a_domain_error() -> None:
    assert issubclass(SecretKeyMissingError, DomainError)
    assert issubclass(SecretTamperedError, DomainError)


def test_bindings_refuse_bad_parts() -> None:
    with pytest.raises(ValidationError):
        SecretBinding.secret(WORKSPACE, "")
    with pytest.raises(ValidationError):
        SecretBinding(workspace_id="w1", purpose="secret", name="A")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"secret_binding\.purpose"):
        SecretBinding(workspace_id=WORKSPACE, purpose="token", name="A")
    assert uuid.UUID(str(BINDING.workspace_id)) == WORKSPACE
