"""Writes about people: memberships, invitations, self-registration, API tokens, profiles."""

from cascade.identity.services.invitations import (
    invitation_accept,
    invitation_create,
    invitation_from_token,
    invitation_resend,
    invitation_revoke,
    invitation_token,
)
from cascade.identity.services.memberships import (
    membership_approve,
    membership_create,
    membership_end,
    membership_move,
    membership_reject,
    membership_update,
)
from cascade.identity.services.profile import profile_update
from cascade.identity.services.registration import registration_submit
from cascade.identity.services.tokens import (
    IssuedToken,
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
)

__all__ = [
    "IssuedToken",
    "api_token_authenticate",
    "api_token_create",
    "api_token_revoke",
    "invitation_accept",
    "invitation_create",
    "invitation_from_token",
    "invitation_resend",
    "invitation_revoke",
    "invitation_token",
    "membership_approve",
    "membership_create",
    "membership_end",
    "membership_move",
    "membership_reject",
    "membership_update",
    "profile_update",
    "registration_submit",
]
