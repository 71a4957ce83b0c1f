"""Hypothesis: identity's value rules (slug, hostname, colour, CSS length, URL), the API-key
checksum, and the entities' behaviour."""

from __future__ import annotations

import string
from collections.abc import Callable
from datetime import timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from nexus.identity.domain.api_keys import (
    API_KEY_LENGTH,
    BASE62,
    has_valid_checksum,
    new_api_key,
)
from nexus.identity.domain.credentials import digest, new_otp_code, new_token
from nexus.identity.domain.organizations import MemberRole, Theme
from nexus.identity.domain.rules import normalise_hostname
from nexus.shared.errors import AuthenticationError, ValidationError
from tests.factories import (
    NOW,
    make_api_key,
    make_domain,
    make_magic_link,
    make_member,
    make_organization,
    make_refresh_token,
)

SLUG = r"[a-z0-9]+(-[a-z0-9]+)*"
slugs = st.from_regex(SLUG, fullmatch=True).filter(lambda s: 3 <= len(s) <= 63)
labels = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?", fullmatch=True)


@given(slugs)
def test_valid_slugs_are_kept(slug: str) -> None:
    assert make_organization(slug=slug).slug == slug


@given(st.text(max_size=70))
def test_invalid_slugs_are_refused(slug: str) -> None:
    import re

    assume(not (3 <= len(slug) <= 63 and re.fullmatch(SLUG, slug)))
    with pytest.raises(ValidationError) as raised:
        make_organization(slug=slug)
    assert raised.value.field == "organizations.slug"


@pytest.mark.parametrize("slug", ["ab", "-acme", "acme-", "ac--me", "Acme", "ac_me", "a" * 64])
def test_slug_examples_refused(slug: str) -> None:
    with pytest.raises(ValidationError, match=r"organizations\.slug"):
        make_organization(slug=slug)


@given(st.lists(labels, min_size=1, max_size=4), st.from_regex(r"[a-z]{2,10}", fullmatch=True))
def test_valid_hostnames_are_kept_and_normalised(parts: list[str], tld: str) -> None:
    host = ".".join([*parts, tld])
    assume(len(host) <= 253)
    assert normalise_hostname(host) == host
    assert make_domain(domain=f"  {host.upper()}. ").domain == host


@given(st.text(max_size=60))
def test_text_that_is_not_a_hostname_is_refused(value: str) -> None:
    import re

    candidate = value.strip().lower().removesuffix(".")
    label = r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?"
    valid = (
        re.fullmatch(rf"{label}(\.{label})+", candidate) is not None
        and not candidate.split(".")[-1].isdigit()
    )
    assume(not valid)
    with pytest.raises(ValidationError) as raised:
        normalise_hostname(value)
    assert raised.value.field == "organization_domains.domain"


@pytest.mark.parametrize(
    "host",
    ["localhost", "10.0.0.1", "-a.example.org", "a_b.example.org", "a..b.org", "x" * 64 + ".org"],
)
def test_hostname_examples_refused(host: str) -> None:
    with pytest.raises(ValidationError):
        make_domain(domain=host)


hex_digits = st.sampled_from("0123456789abcdefABCDEF")


@given(st.lists(hex_digits, min_size=3, max_size=3) | st.lists(hex_digits, min_size=6, max_size=6))
def test_valid_colours_are_kept(digits: list[str]) -> None:
    colour = "#" + "".join(digits)
    assert make_organization(accent_color=colour).accent_color == colour


@given(st.text(max_size=10))
def test_invalid_colours_are_refused(value: str) -> None:
    import re

    assume(not re.fullmatch(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})", value))
    with pytest.raises(ValidationError) as raised:
        make_organization(login_card_color=value)
    assert raised.value.field == "organizations.login_card_color"
    assert "hex colour" in raised.value.rule


units = st.sampled_from(["px", "rem", "em", "%", "vh", "vw", "vmin", "vmax", "ch", "pt"])


@given(st.integers(min_value=0, max_value=999_999), st.integers(0, 9999) | st.none(), units)
def test_valid_css_lengths_are_kept(whole: int, fraction: int | None, unit: str) -> None:
    value = f"{whole}{'' if fraction is None else f'.{fraction}'}{unit}"
    assert make_organization(login_card_max_width=value).login_card_max_width == value


@pytest.mark.parametrize(
    "value", ["440", "-4px", "1.5", "px", "1.5 rem", "calc(1px)", "1e3px", "4PX", "1px;color:red"]
)
def test_invalid_css_lengths_are_refused(value: str) -> None:
    with pytest.raises(ValidationError, match=r"organizations\.login_card_padding: must be a CSS"):
        make_organization(login_card_padding=value)


@given(st.text(alphabet=string.ascii_letters + "0123456789;{}<>() ", max_size=12))
def test_css_lengths_never_accept_anything_but_a_length(value: str) -> None:
    import re

    assume(
        not re.fullmatch(
            r"0|(\d{1,6}(\.\d{1,4})?|\.\d{1,4})(px|rem|em|%|vh|vw|vmin|vmax|ch|pt)", value
        )
    )
    with pytest.raises(ValidationError):
        make_organization(login_border_radius=value)


@given(
    st.sampled_from(["http", "https"]),
    st.lists(labels, min_size=1, max_size=3),
    st.from_regex(r"(/[a-zA-Z0-9._~-]{0,12}){0,3}", fullmatch=True),
)
def test_http_urls_are_kept(scheme: str, host: list[str], path: str) -> None:
    url = f"{scheme}://{'.'.join(host)}.org{path}"
    assert make_organization(logo_url=url).logo_url == url


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "ftp://example.org/x",
        "https://",
        "example.org/logo.png",
        "https://exa mple.org",
        "data:image/png;base64,AAAA",
        "https://example.org:99999/",
        "https://example.org/" + "x" * 2048,
    ],
)
def test_non_http_urls_are_refused(url: str) -> None:
    with pytest.raises(ValidationError, match=r"organizations\.font_url: must be an http"):
        make_organization(font_url=url)


def test_roles_and_themes_are_closed_sets() -> None:
    with pytest.raises(ValidationError, match=r"organization_members\.role: must be one of"):
        make_member(role="superuser")
    with pytest.raises(ValidationError, match=r"organizations\.default_theme"):
        make_organization(default_theme="sepia")
    assert make_member(role="owner").role is MemberRole.OWNER
    assert make_organization(default_theme="light").default_theme is Theme.LIGHT
    assert make_organization().default_theme is None


def test_change_is_partial_and_all_or_nothing() -> None:
    organization = make_organization(accent_color="#000", login_footer_text="keep me")
    later = NOW + timedelta(minutes=1)
    assert organization.change({"name": "Renamed", "accent_color": "#111"}, later) == [
        "name",
        "accent_color",
    ]
    assert organization.login_footer_text == "keep me"
    assert organization.updated_at == later
    with pytest.raises(ValidationError, match="primary_color"):
        organization.change({"name": "Other", "primary_color": "green"}, later)
    assert organization.name == "Renamed"
    with pytest.raises(ValidationError, match="is not a field that can be changed"):
        organization.change({"owner_id": organization.owner_id}, later)
    assert organization.change({"name": "Renamed"}, later + timedelta(1)) == []
    assert organization.updated_at == later


def test_domain_verification_compares_the_digest() -> None:
    token = new_token()
    domain = make_domain(verification_token_hash=digest(token))
    with pytest.raises(AuthenticationError):
        domain.verify(token + "x", NOW)
    assert not domain.is_verified
    domain.verify(token, NOW)
    assert domain.is_verified
    assert domain.verified_at == NOW
    assert token not in repr(domain)
    assert domain.verification_token_hash not in repr(domain)


def test_one_time_codes_and_attempts() -> None:
    codes = {new_otp_code() for _ in range(200)}
    assert all(len(c) == 6 and c.isdigit() for c in codes)
    assert len(codes) > 150
    link = make_magic_link()
    assert link.code_matches("123456")
    assert not link.code_matches("123457")
    link.otp_attempts = 5
    assert not link.accepts_code_tries(NOW)
    with pytest.raises(ValidationError, match="otp_attempts"):
        link.otp_attempts = 6


def test_refresh_token_revocation_keeps_the_first_reason() -> None:
    token = make_refresh_token()
    assert token.is_active(NOW)
    token.revoke(NOW, "rotated")  # type: ignore[arg-type]
    token.revoke(NOW + timedelta(1), "logout")  # type: ignore[arg-type]
    assert token.was_rotated
    assert token.revoked_at == NOW
    with pytest.raises(ValidationError, match="revoked_reason"):
        make_refresh_token(revoked_reason="stolen")
    with pytest.raises(ValidationError, match="ip_address"):
        make_refresh_token(ip_address="999.1.1.1")


def test_api_keys_have_the_documented_shape() -> None:
    keys = {new_api_key() for _ in range(100)}
    assert len(keys) == 100
    for key in keys:
        assert key.startswith("nxk_")
        assert len(key) == API_KEY_LENGTH
        assert has_valid_checksum(key)
    key = make_api_key()
    assert key.key_hash not in repr(key)


def test_every_one_character_change_of_a_key_fails_the_checksum(
    figure: Callable[[str], None],
) -> None:
    key = new_api_key()
    alternatives = BASE62 + "_-!. "
    changed = 0
    for position in range(len(key)):
        for char in alternatives:
            if char == key[position]:
                continue
            assert not has_valid_checksum(key[:position] + char + key[position + 1 :])
            changed += 1
        assert not has_valid_checksum(key[:position] + key[position + 1 :])
        assert not has_valid_checksum(key[:position] + "a" + key[position:])
    figure(f"one-character changes refused by the checksum: {changed}")
    assert changed == len(key) * (len(alternatives) - 1)


@given(st.text(max_size=60))
def test_random_text_never_passes_the_checksum(value: str) -> None:
    assert not has_valid_checksum(value) or value.startswith("nxk_")
    assert has_valid_checksum(None) is False
