"""Hypothesis: users with arbitrary valid text round-trip through every adapter unchanged, and
text the policy refuses is refused before any adapter sees it."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nexus.container import Container
from nexus.shared.errors import ValidationError
from tests.factories import make_user

SAFE = st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00")
FIXTURE_OK = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@FIXTURE_OK
@given(
    name=st.text(alphabet=SAFE, min_size=1, max_size=255).filter(str.strip),
    bio=st.one_of(st.none(), st.text(alphabet=SAFE, max_size=2000)),
    # 5,000-20,000 characters, built from a short drawn text: drawing that many characters
    # one by one exceeds Hypothesis's entropy budget (its data_too_large health check).
    avatar=st.one_of(
        st.none(),
        st.builds(
            lambda unit, n: (unit * n)[:20_000],
            st.text(alphabet=SAFE, min_size=1, max_size=40),
            st.integers(5_000, 20_000),
        ),
    ),
    emoji=st.text(alphabet="😀🧮𝄞🀄👩‍🔬", min_size=1, max_size=50),
)
def test_valid_text_round_trips(
    container: Container, name: str, bio: str | None, avatar: str | None, emoji: str
) -> None:
    user = make_user(name=name, bio=bio, avatar=avatar, company=emoji[:200])
    uow = container.identity.unit_of_work
    with uow() as tx:
        tx.users.add(user)
        tx.commit()
    with uow() as tx:
        assert tx.users.get(user.id) == user


@pytest.mark.parametrize("field", ["name", "bio", "company", "first_name"])
def test_nul_is_refused_before_any_adapter(field: str) -> None:
    with pytest.raises(ValidationError, match="NUL"):
        make_user(**{field: "a\x00b"})
