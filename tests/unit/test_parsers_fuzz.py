"""Parsers of tokens, keys and files never raise anything but the project's own errors
(Hypothesis, on the in-memory adapters)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nexus.app import Nexus
from nexus.lab.samples import SAMPLE_INSTRUMENT
from nexus.shared.errors import AuthenticationError, DomainError

FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
text = st.text(max_size=80) | st.from_regex(r"nxk_[0-9A-Za-z]{0,45}", fullmatch=True)


@pytest.fixture
def app(memory_app: Nexus) -> Nexus:
    user = memory_app.identity.register_user(
        email="fuzz@example.org", name="Fuzz", password="correct horse battery"
    )
    memory_app.identity.create_api_key(user.id, name="real", actor=user.id)
    memory_app.identity.login(email="fuzz@example.org", password="correct horse battery")
    memory_app.identity.issue_magic_link("fuzz@example.org")
    return memory_app


@FUZZ
@given(raw=text)
def test_any_api_key_text_is_refused_with_an_authentication_error(app: Nexus, raw: str) -> None:
    with pytest.raises(AuthenticationError):
        app.identity.authenticate_api_key(raw)


@FUZZ
@given(raw=text)
def test_any_refresh_token_text_is_refused_cleanly(app: Nexus, raw: str) -> None:
    with pytest.raises(DomainError):
        app.identity.rotate_refresh_token(raw)
    assert app.identity.logout(raw) is False


@FUZZ
@given(token=text, code=st.text(max_size=12))
def test_any_magic_link_input_is_refused_cleanly(app: Nexus, token: str, code: str) -> None:
    with pytest.raises(DomainError):
        app.identity.redeem_magic_link(token)
    with pytest.raises(DomainError):
        app.identity.redeem_magic_link(email="fuzz@example.org", code=code)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=5)
    ),
    max_leaves=20,
)
event = st.fixed_dictionaries(
    {},
    optional={
        "id": st.integers() | st.text(max_size=5),
        "start": st.text(max_size=30) | st.just("2026-03-02T09:00:00-05:00"),
        "end": st.none() | st.text(max_size=30) | st.just("2026-03-02T11:00:00-05:00"),
        "user": json_values,
        "tool": st.integers(0, 3) | json_values,
    },
)


@FUZZ
@given(
    content=st.one_of(
        st.binary(max_size=200).map(lambda b: ("bytes", b)),
        json_values.map(lambda v: ("json", v)),
        st.lists(event, max_size=5).map(lambda v: ("json", v)),
    )
)
def test_any_usage_event_file_imports_or_is_a_clean_error(
    memory_app: Nexus, tmp_path_factory: pytest.TempPathFactory, content: tuple[str, Any]
) -> None:
    if not memory_app.lab.list_instruments():
        memory_app.lab.register_instrument(**SAMPLE_INSTRUMENT)
    path = Path(tmp_path_factory.mktemp("events")) / "events.json"
    kind, value = content
    if kind == "bytes":
        path.write_bytes(value)
    else:
        path.write_text(json.dumps(value))
    message = None
    try:
        memory_app.lab.import_usage_events(path)
    except DomainError as error:  # anything else fails the test
        message = str(error)
    assert message is None or message.strip()
