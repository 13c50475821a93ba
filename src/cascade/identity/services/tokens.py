"""API tokens: personal (act as their owner) and integration (act for the vendor program).

The secret is shown once at creation; only its SHA-256 digest is stored.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from cascade.access.actor import (
    ALL_SCOPES,
    Actor,
    ActorKind,
    actor_for_integration,
    actor_for_person,
)
from cascade.access.policies import Action, require
from cascade.audit.services import audit_record
from cascade.core.errors import PermissionDenied, ValidationFailed
from cascade.identity.models import ApiToken, TokenKind
from cascade.tenancy.models import Tenant

TOKEN_PREFIX = "cas"
_LAST_USED_GRANULARITY = timedelta(minutes=5)


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # shown to the user once, never stored


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *,
    actor: Actor,
    kind: str,
    name: str,
    scopes: list[str],
    expires_at: datetime | None = None,
) -> IssuedToken:
    if actor.kind != ActorKind.PERSON or actor.person is None or not actor.is_member:
        raise PermissionDenied("Only signed-in members can create tokens.", code="forbidden")
    if kind not in TokenKind.values:
        raise ValidationFailed.field(
            "kind", f"kind must be one of {', '.join(TokenKind.values)}.", code="invalid_choice"
        )
    if kind == TokenKind.INTEGRATION:
        require(actor, Action.INTEGRATION_TOKEN_MANAGE)
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ValidationFailed.field(
            "name", "Give the token a name of 1 to 100 characters.", code="invalid_name"
        )
    unknown = set(scopes) - set(ALL_SCOPES)
    if unknown or not scopes:
        raise ValidationFailed.field(
            "scopes", f"Choose scopes among: {', '.join(sorted(ALL_SCOPES))}.", code="invalid_scope"
        )
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationFailed.field(
            "expires_at", "The expiry must be in the future.", code="invalid_date"
        )
    prefix = secrets.token_hex(6)
    raw = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        tenant=actor.tenant,
        kind=kind,
        name=name,
        person=actor.person if kind == TokenKind.PERSONAL else None,
        prefix=prefix,
        digest=_digest(raw),
        scopes=sorted(set(scopes)),
        created_by=actor.person,
        expires_at=expires_at,
    )
    audit_record(
        actor=actor,
        action="api_token.create",
        target=token,
        after={"name": name, "kind": kind, "scopes": token.scopes},
    )
    return IssuedToken(token=token, secret=raw)


@transaction.atomic
def api_token_revoke(*, actor: Actor, token: ApiToken) -> ApiToken:
    own = actor.person is not None and token.person_id == actor.person.pk
    if not own:
        require(actor, Action.INTEGRATION_TOKEN_MANAGE)
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action="api_token.revoke", target=token)
    return token


def api_token_authenticate(*, tenant: Tenant, raw: str) -> Actor | None:
    """The actor a bearer token stands for in this tenant, or None if it is not valid here."""
    if not raw.startswith(f"{TOKEN_PREFIX}_") or len(raw) > 200:
        return None
    token = (
        ApiToken.unscoped.select_related("person")
        .filter(tenant=tenant, digest=_digest(raw), revoked_at__isnull=True)
        .first()
    )
    now = timezone.now()
    if token is None or (token.expires_at is not None and token.expires_at <= now):
        return None
    if token.last_used_at is None or now - token.last_used_at > _LAST_USED_GRANULARITY:
        ApiToken.unscoped.filter(pk=token.pk).update(last_used_at=now)
    if token.kind == TokenKind.INTEGRATION:
        return actor_for_integration(tenant=tenant, token=token)
    actor = actor_for_person(tenant=tenant, person=token.person, token=token)
    return actor if actor.is_member else None
