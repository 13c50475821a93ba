"""Background work of the catalog, for the django-tasks workers."""

from django.utils import timezone
from django_tasks import task

from cascade.catalog.reminders import review_reminders_send_all


@task()
def send_review_reminders() -> int:
    return review_reminders_send_all(timezone.localdate())
