"""The kinds of notification Cascade sends, and whether e-mail is on by default for each.

Later capabilities add their kinds here (assignment due, certification expiring...).
"""

from __future__ import annotations

KINDS: dict[str, bool] = {
    "registration.pending": True,
    "registration.approved": True,
    "registration.rejected": True,
    "invitation.accepted": False,
    "membership.ended": True,
    "catalog.review_due": True,
    "learning.due_soon": True,
    "learning.overdue": True,
    "learning.team_overdue": True,
    "learning.reminder": True,
}

LABELS: dict[str, str] = {
    "registration.pending": "Someone asks to join your organization",
    "registration.approved": "Your registration was approved",
    "registration.rejected": "Your registration was declined",
    "invitation.accepted": "Someone accepted your invitation",
    "membership.ended": "Your membership ended",
    "catalog.review_due": "Content you own is due for review",
    "learning.due_soon": "Learning assigned to you is due soon",
    "learning.overdue": "Learning assigned to you is overdue",
    "learning.team_overdue": "People in your team have overdue learning",
    "learning.reminder": "Your manager reminds you of learning assigned to you",
}
