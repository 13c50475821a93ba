"""A person's own profile: name, language, time zone."""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.db import transaction

from cascade.core.errors import ValidationFailed
from cascade.identity.models import Person


@transaction.atomic
def profile_update(
    *,
    person: Person,
    full_name: str | None = None,
    preferred_locale: str | None = None,
    time_zone: str | None = None,
) -> Person:
    if full_name is not None:
        full_name = full_name.strip()
        if not full_name or len(full_name) > 150:
            raise ValidationFailed.field(
                "full_name", "Use 1 to 150 characters.", code="invalid_name"
            )
        person.full_name = full_name
    if preferred_locale is not None:
        if preferred_locale and preferred_locale not in dict(settings.LANGUAGES):
            raise ValidationFailed.field(
                "preferred_locale", "Unsupported language.", code="invalid_choice"
            )
        person.preferred_locale = preferred_locale
    if time_zone is not None:
        if time_zone not in zoneinfo.available_timezones():
            raise ValidationFailed.field("time_zone", "Unknown time zone.", code="invalid_choice")
        person.time_zone = time_zone
    person.save(update_fields=["full_name", "preferred_locale", "time_zone"])
    return person
