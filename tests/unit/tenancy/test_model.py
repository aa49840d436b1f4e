from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.shared.errors import Conflict, ValidationFailed
from domain.tenancy.model import LoginBackoff, Membership, Platform, User, Vendor, ensure_not_last_owner

NOW = datetime(2026, 11, 22, tzinfo=UTC)


def test_platform_validates_code_and_languages() -> None:
    with pytest.raises(ValidationFailed, match="code"):
        Platform(code="Bad Code", name="x", created_at=NOW)
    with pytest.raises(ValidationFailed, match="languages"):
        Platform(code="ok", name="x", languages=["en", "es"], created_at=NOW)
    with pytest.raises(ValidationFailed, match="default_language"):
        Platform(code="ok", name="x", languages=["fr"], default_language="en", created_at=NOW)
    assert Platform(code="ok", name="x", languages=["fr", "fr", "lb"], default_language="fr",
                    created_at=NOW).languages == ["fr", "lb"]


def test_user_email_is_normalized_and_checked() -> None:
    assert User(email="  Ana@Example.LU ", name="Ana", password_hash="h", created_at=NOW).email == "ana@example.lu"
    with pytest.raises(ValidationFailed, match="email"):
        User(email="ana@", name="Ana", password_hash="h", created_at=NOW)


def test_membership_roles_fit_their_scope() -> None:
    with pytest.raises(ValidationFailed, match="platform_admin"):
        Membership(user_id=1, platform_id=1, role="owner", created_at=NOW)
    with pytest.raises(ValidationFailed, match="choose from"):
        Membership(user_id=1, platform_id=1, vendor_id=2, role="platform_admin", created_at=NOW)


def test_closed_vendor_stays_closed() -> None:
    vendor = Vendor(platform_id=1, company_id=1, code="shop", name="Shop", status="closed", created_at=NOW)
    with pytest.raises(Conflict):
        vendor.reactivate()
    with pytest.raises(Conflict):
        vendor.suspend(NOW)


def test_last_owner_rule() -> None:
    with pytest.raises(Conflict, match="at least one owner"):
        ensure_not_last_owner(1, removing_owner=True)
    ensure_not_last_owner(2, removing_owner=True)
    ensure_not_last_owner(1, removing_owner=False)


@given(failures=st.integers(min_value=0, max_value=60))
def test_backoff_doubles_from_the_free_attempts_and_is_capped(failures: int) -> None:
    backoff = LoginBackoff(free_attempts=5, base=timedelta(seconds=30), ceiling=timedelta(hours=1))
    lock = backoff.lock_for(failures)
    if failures < 5:
        assert lock is None
    else:
        assert timedelta(seconds=30) <= lock <= timedelta(hours=1)
        nxt = backoff.lock_for(failures + 1)
        assert nxt == min(timedelta(hours=1), lock * 2)
