"""Emails (issue 9): one canonical spelling per mailbox (NFC, lower case), control and
invisible characters refused, RFC 5321 lengths in octets. Hypothesis over hostile input."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nexus.identity.domain.emails import (
    ADDRESS_MAX_OCTETS,
    LOCAL_PART_MAX_OCTETS,
    normalise_email,
)
from nexus.shared.errors import ValidationError

INVISIBLE = [
    "\x00",  # NUL
    "\x07",  # BEL
    "\x1b",  # ESC
    "\x7f",  # DEL
    "\u200b",  # zero-width space
    "\u200c",  # zero-width non-joiner
    "\u200d",  # zero-width joiner
    "\u2060",  # word joiner
    "\ufeff",  # byte-order mark
    "\u202e",  # right-to-left override
    "\u2066",  # left-to-right isolate
    "\u00ad",  # soft hyphen
    "\ud800",  # lone surrogate
    "\ue000",  # private use
    "\u2028",  # line separator
]

hostile_char = st.one_of(
    st.sampled_from(INVISIBLE),
    st.characters(categories=["Cc", "Cf", "Cs", "Co", "Zl", "Zp"]),
)
# Letters, digits and the usual punctuation of addresses, with combining marks and case.
plain = st.text(
    alphabet=st.one_of(
        st.sampled_from("abcXYZ019._+-éÉñÑöÖ"),
        st.sampled_from("\u0301\u0308\u0303"),  # combining accents
        st.characters(categories=["Ll", "Lu", "Nd"]),
    ),
    min_size=1,
    max_size=70,
)


@pytest.mark.parametrize("char", INVISIBLE)
@pytest.mark.parametrize("where", ["local", "domain"])
def test_control_and_invisible_characters_are_refused(char: str, where: str) -> None:
    email = f"ad{char}a@example.org" if where == "local" else f"ada@exa{char}mple.org"
    with pytest.raises(ValidationError) as refused:
        normalise_email(email)
    assert refused.value.field == "users.email"
    assert "invisible" in refused.value.rule


@given(local=plain, domain=plain, hostile=hostile_char, at=st.integers(0, 200))
def test_a_hostile_character_anywhere_inside_is_refused(
    local: str, domain: str, hostile: str, at: int
) -> None:
    email = f"{local}@{domain}.org"
    position = at % (len(email) + 1)
    if position in (0, len(email)) and hostile.isspace():
        position = 1  # at the edges whitespace is trimmed, as the spec says
    with pytest.raises(ValidationError) as refused:
        normalise_email(email[:position] + hostile + email[position:])
    assert refused.value.field == "users.email"


@given(local=plain, domain=plain)
def test_any_email_normalises_to_nfc_lower_case_within_rfc_lengths_or_is_refused(
    local: str, domain: str
) -> None:
    address = f"{local}@{domain}.org"
    for spelling in (address, unicodedata.normalize("NFD", address)):
        outcome: str | ValidationError
        try:
            outcome = normalise_email(spelling)
        except ValidationError as refused:
            outcome = refused
        if isinstance(outcome, ValidationError):
            assert outcome.field == "users.email"
            continue
        assert outcome == unicodedata.normalize("NFC", outcome) == outcome.lower()
        assert normalise_email(outcome) == outcome  # idempotent
        assert len(outcome.encode()) <= ADDRESS_MAX_OCTETS
        assert len(outcome.rsplit("@", 1)[0].encode()) <= LOCAL_PART_MAX_OCTETS


@given(local=plain)
def test_two_unicode_normal_forms_are_one_address(local: str) -> None:
    composed = unicodedata.normalize("NFC", f"{local}é@example.org")
    decomposed = unicodedata.normalize("NFD", composed)
    try:
        expected = normalise_email(composed)
    except ValidationError:
        with pytest.raises(ValidationError):
            normalise_email(decomposed)
        return
    assert normalise_email(decomposed) == expected


@pytest.mark.parametrize(
    ("email", "ok"),
    [
        ("a" * 64 + "@example.org", True),
        ("a" * 65 + "@example.org", False),
        ("é" * 32 + "@example.org", True),  # 64 octets
        ("é" * 33 + "@example.org", False),  # 33 characters, 66 octets
        ("a@" + "b" * 248 + ".org", True),  # 254 octets
        ("a@" + "b" * 249 + ".org", False),
    ],
)
def test_rfc_5321_lengths_are_counted_in_octets(email: str, ok: bool) -> None:
    if ok:
        assert normalise_email(email) == email
    else:
        with pytest.raises(ValidationError, match="octets"):
            normalise_email(email)


def test_compatibility_forms_stay_distinct_mailboxes() -> None:
    """NFC, not NFKC: a full-width address is another mailbox, not an alias of the ASCII one."""
    assert normalise_email("\uff41da@example.org") != normalise_email("ada@example.org")
