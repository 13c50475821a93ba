"""Roles a membership can hold, and job roles, as the domain names them."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    LEARNER = "learner", "Learner"
    PARTNER_MANAGER = "partner_manager", "Partner manager"
    PARTNER_ADMIN = "partner_admin", "Partner admin"
    PROGRAM_ADMIN = "program_admin", "Program admin"
    CONTENT_AUTHOR = "content_author", "Content author"
    REVIEWER = "reviewer", "Reviewer"
    TRANSLATOR = "translator", "Translator"
    ANALYST = "analyst", "Analyst"
    CHANNEL_ACCOUNT_MANAGER = "channel_account_manager", "Channel account manager"


PARTNER_ROLES = frozenset({Role.LEARNER, Role.PARTNER_MANAGER, Role.PARTNER_ADMIN})
VENDOR_ROLES = frozenset(
    {
        Role.PROGRAM_ADMIN,
        Role.CONTENT_AUTHOR,
        Role.REVIEWER,
        Role.TRANSLATOR,
        Role.ANALYST,
        Role.CHANNEL_ACCOUNT_MANAGER,
    }
)


class JobRole(models.TextChoices):
    SALES = "sales", "Sales"
    PRESALES = "presales", "Presales / technical"
    MARKETING = "marketing", "Marketing"
    SUPPORT = "support", "Support"
    EXECUTIVE = "executive", "Executive"
    OTHER = "other", "Other"
