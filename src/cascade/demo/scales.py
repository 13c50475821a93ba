"""How much data a seed writes: `tiny` for tests, `demo` for a laptop, `large` for benchmarks."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    organizations: int
    people: int  # people in partner organizations (vendor staff come on top)
    distributors: int
    vendor_staff: int  # besides the demo logins
    moved_people: int  # people with an ended membership at a previous partner
    pending_registrations: int
    pending_invitations: int

    @classmethod
    def custom(cls, *, organizations: int, people: int) -> Scale:
        """A scale of any size, with the same proportions as the named ones."""
        if organizations < 4:
            raise ValueError("A program needs at least 4 organizations.")
        if people < organizations + 3:
            raise ValueError("Give at least as many people as organizations, plus 3.")
        return cls(
            name=f"custom-{organizations}x{people}",
            organizations=organizations,
            people=people,
            distributors=max(2, min(organizations // 16, 80)),
            vendor_staff=max(3, min(organizations // 20, 40)),
            moved_people=max(2, people // 100),
            pending_registrations=max(2, min(people // 250, 500)),
            pending_invitations=max(2, min(people // 250, 500)),
        )


SCALES = {
    "tiny": Scale(
        name="tiny",
        organizations=20,
        people=100,
        distributors=3,
        vendor_staff=3,
        moved_people=4,
        pending_registrations=3,
        pending_invitations=3,
    ),
    "demo": Scale(
        name="demo",
        organizations=200,
        people=2_000,
        distributors=12,
        vendor_staff=12,
        moved_people=30,
        pending_registrations=8,
        pending_invitations=8,
    ),
    "large": Scale(
        name="large",
        organizations=10_000,
        people=1_000_000,
        distributors=60,
        vendor_staff=40,
        moved_people=10_000,
        pending_registrations=500,
        pending_invitations=500,
    ),
}
