"""Apply every active assignment rule of every program: the daily sweep that reaches people who
came to match a rule through a change (a new tier, region, specialization or job role).

Running it again assigns nothing twice: a rule gives its item once per person.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from cascade.core.scoping import scopes_disabled, tenant_scope
from cascade.learning.rules import rules_apply_all
from cascade.tenancy.models import Tenant


class Command(BaseCommand):
    help = "Apply the vendor's assignment rules to everyone who matches them now."

    def handle(self, *args: Any, **options: Any) -> None:
        with scopes_disabled():
            tenants = list(Tenant.objects.all())
        total = 0
        for tenant in tenants:
            with tenant_scope(tenant):
                total += rules_apply_all(tenant=tenant)
        self.stdout.write(f"Assigned {total} items by rule.")
