from __future__ import annotations

from datetime import timedelta

import attrs

from application.shared.ports import Clock
from application.tenancy.access import Access
from application.tenancy.config import TenancyConfig
from application.tenancy.ports import Mailer, PasswordHasher, TenancyUnitOfWork
from application.tenancy.secrets import digest, new_token
from application.tenancy.team import publish_team_size
from contracts.tenancy.dto import InviteIn, TeamMemberView
from domain.shared.errors import Conflict
from domain.tenancy.model import Membership, User, normalize_email


@attrs.frozen(kw_only=True)
class InviteMember:
    vendor_id: int
    data: InviteIn
    access: Access


def invite_member(
    cmd: InviteMember, *, uow: TenancyUnitOfWork, clock: Clock, mailer: Mailer,
    hasher: PasswordHasher, config: TenancyConfig,
) -> TeamMemberView:
    """Add someone to the vendor's team by email with a role. A new address gets an account
    with no usable password and an email with a token to set one."""
    assert cmd.access.platform_id is not None
    now = clock.now()
    email = normalize_email(cmd.data.email)
    token: str | None = None
    with uow:
        team = uow.team(cmd.vendor_id)
        user = uow.users.by_email(email)
        if user is None:
            user = User(email=email, name=cmd.data.name, password_hash=hasher.hash(new_token()), created_at=now)
            uow.users.add(user)
            uow.flush()
            token = new_token()
            uow.reset_tokens.add(user.id, digest(token), now + timedelta(minutes=config.reset_token_minutes))
        elif team.of_user(user.id) is not None:
            raise Conflict(f"'{email}' is already in the team", field="email")
        membership = Membership(user_id=user.id, platform_id=cmd.access.platform_id, vendor_id=cmd.vendor_id,
                                role=cmd.data.role, created_at=now)
        team.add(membership)
        uow.flush()
        publish_team_size(uow, cmd.access.platform_id, cmd.vendor_id, now)
        uow.audit("team.invited", actor=cmd.access.actor, at=now, target_type="user", target_id=user.id,
                  platform_id=cmd.access.platform_id, vendor_id=cmd.vendor_id, details={"role": cmd.data.role})
        uow.commit()
        view = TeamMemberView(membership_id=membership.id, user_id=user.id, email=user.email,
                              name=user.name, role=membership.role)
    if token is not None:
        mailer.send(email, "You were invited to Wizamart",
                    f"Set your password with this token (valid {config.reset_token_minutes} minutes):\n\n{token}\n")
    else:
        mailer.send(email, "You were added to a Wizamart team", f"You now have the role {cmd.data.role}.\n")
    return view
