"""People, their memberships in partner programs, API tokens and invitations.

A Person is one login and belongs to nobody but themself: it is global, so learning records and
credentials follow the person across companies and tenants. What a person may do inside a tenant
comes from their Membership there. When someone moves from one partner to another, the old
membership ends (ended_on set, status ended) and a new one starts; history is never rewritten.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from cascade.core.scoping import TenantOwned
from cascade.identity.roles import JobRole, Role


class PersonManager(BaseUserManager["Person"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> Person:
        person = self.model(email=self.normalize_email(email).lower(), **extra)
        person.set_password(password)
        person.save(using=self._db)
        return person

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> Person:
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class Person(AbstractBaseUser, PermissionsMixin):
    """One login, identified by e-mail. `is_staff` means platform operator, not vendor staff."""

    email = models.EmailField(max_length=254, unique=True)
    full_name = models.CharField(max_length=150)
    preferred_locale = models.CharField(max_length=12, blank=True)
    time_zone = models.CharField(max_length=64, default="UTC")
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = PersonManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="person_email_unique_case_insensitive"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class MembershipStatus(models.TextChoices):
    PENDING = "pending", "Pending approval"
    ACTIVE = "active", "Active"
    ENDED = "ended", "Ended"


class Membership(TenantOwned):
    """Person x tenant x (partner organization, or vendor staff when organization is empty).

    At most one current (pending or active) membership per person per tenant.
    `roles` is stored as ",a,b," so "has role X" is a portable indexed-friendly substring match
    on both SQLite and PostgreSQL; use `role_list` and `with_role()` rather than the raw string.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        "tenancy.PartnerOrganization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    roles = models.CharField(max_length=200, default=",learner,")
    job_role = models.CharField(max_length=20, choices=JobRole.choices, default=JobRole.OTHER)
    status = models.CharField(
        max_length=10, choices=MembershipStatus.choices, default=MembershipStatus.ACTIVE
    )
    started_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "person"],
                condition=Q(status__in=["pending", "active"]),
                name="one_current_membership_per_person_per_tenant",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="membership_ends_after_it_starts",
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "organization", "status"], name="membership_org_status"),
            models.Index(fields=["tenant", "status", "id"], name="membership_status_keyset"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}@{self.organization_id or 'vendor'}"

    @property
    def role_list(self) -> list[str]:
        return [r for r in self.roles.split(",") if r]

    @staticmethod
    def encode_roles(roles: list[str] | set[str] | frozenset[str]) -> str:
        return "," + ",".join(sorted(set(roles))) + ","

    @staticmethod
    def role_filter(role: str) -> Q:
        return Q(roles__contains=f",{role},")

    @property
    def is_vendor_staff(self) -> bool:
        return self.organization_id is None

    def has_role(self, role: Role | str) -> bool:
        return f",{role}," in self.roles


class TokenKind(models.TextChoices):
    PERSONAL = "personal", "Personal"
    INTEGRATION = "integration", "Integration"


class ApiToken(TenantOwned):
    """A bearer token for the REST API. Only a SHA-256 digest of the secret is stored.

    Personal tokens act as their owner (never more than the owner's membership allows).
    Integration tokens act for the vendor program as a system client, limited by their scopes.
    Tokens are random 256-bit secrets, so a fast digest is as strong as a slow password hash.
    """

    kind = models.CharField(max_length=12, choices=TokenKind.choices)
    name = models.CharField(max_length=100)
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="api_tokens"
    )
    prefix = models.CharField(max_length=16, unique=True)
    digest = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    created_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"


class InvitationStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    REVOKED = "revoked", "Revoked"


class Invitation(TenantOwned):
    """An invitation to join a program as vendor staff or as a member of a partner organization.

    The link e-mailed is a signed value of (id, nonce): nothing secret is stored, and re-sending
    rotates the nonce so older links stop working.
    """

    email = models.EmailField(max_length=254)
    organization = models.ForeignKey(
        "tenancy.PartnerOrganization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
    )
    roles = models.CharField(max_length=200, default=",learner,")
    job_role = models.CharField(max_length=20, choices=JobRole.choices, default=JobRole.OTHER)
    invited_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    nonce = models.CharField(max_length=32)
    status = models.CharField(
        max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    message = models.TextField(blank=True, max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                "tenant",
                Lower("email"),
                condition=Q(status="pending"),
                name="one_pending_invitation_per_email_per_tenant",
            ),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def role_list(self) -> list[str]:
        return [r for r in self.roles.split(",") if r]
