"""Seeding the demo program's learning through the learning services.

The story the demo logins find:
- the vendor recommends curricula per job role and business model, and runs two assignment
  rules (every partner person gets "New partner onboarding", due 90 days after joining; people
  at security-specialized partners get the "Security specialization" path, due in 60 days);
- Bluebird Networks' manager assigned the SD-WAN path to part of the team a while ago; some
  finished it, some are late;
- the demo learner is half-way through the firewall course, watched part of a video (the home
  offers to continue there), completed a course last quarter and has a card overdue.

Lessons are completed through `lesson_taken` and `video_heartbeat`, so lesson progress,
enrollments, the rollup to courses and paths, and the domain events are what production writes.
Dates are then set relative to the seed's day (the services date things from the real today,
and a seed may be dated otherwise): assignments made weeks ago, completions last quarter. At the
large scale the rules are created but not applied: applying them to a million people is the
benchmark's job, not the seed's.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from cascade.access.actor import Actor, actor_for_person
from cascade.catalog.browse import live_items
from cascade.catalog.item_models import CatalogItem, ItemVariant
from cascade.catalog.models import Audience
from cascade.core.errors import NotFound
from cascade.core.scoping import tenant_scope
from cascade.demo.catalog_content import COURSES, LESSONS, MODULES, PATHS
from cascade.demo.catalog_seed import AUDIENCE_NAMES
from cascade.demo.logins import DEMO_LOGINS, DemoLogin
from cascade.identity.models import Membership, MembershipStatus, Person
from cascade.identity.roles import JobRole
from cascade.learning.curricula import curriculum_set
from cascade.learning.models import (
    AssignmentRule,
    Curriculum,
    DueFrom,
    Enrollment,
    LessonProgress,
)
from cascade.learning.progress import lesson_taken, video_heartbeat
from cascade.learning.rules import rule_apply
from cascade.learning.services import assign, enroll_self
from cascade.tenancy.models import BusinessModel, Tenant

Progress = Callable[[str], None]

CURRICULA = (
    (JobRole.SALES, "", "Partner sales", ("c-sales", "p-onboarding")),
    (JobRole.PRESALES, "", "Presales engineer", ("c-fw", "c-sdwan", "p-security")),
    (JobRole.PRESALES, BusinessModel.MSP, "MSP presales", ("c-sdwan", "p-sdwan", "c-fw")),
    (JobRole.MARKETING, "", "Partner marketing", ("c-sales",)),
    (JobRole.SUPPORT, "", "Partner support", ("support-cases", "c-fw")),
)


def seed_learning(
    *, tenant: Tenant, scale_name: str, seed: int, today: date, now: datetime, progress: Progress
) -> dict[str, int]:
    """Write the demo program's learning into `tenant` (nothing when it has some already)."""
    with tenant_scope(tenant):
        if Curriculum.objects.exists() or Enrollment.objects.exists():
            return {}
        progress("Writing learning: curricula, rules, assignments and progress...")
        _DemoLearning(tenant=tenant, apply_rules=scale_name != "large", today=today, now=now).run()
        return {
            "learning curricula": Curriculum.objects.count(),
            "learning rules": AssignmentRule.objects.count(),
            "learning enrollments": Enrollment.objects.count(),
            "learning lesson progress": LessonProgress.objects.count(),
        }


class _DemoLearning:
    def __init__(self, *, tenant: Tenant, apply_rules: bool, today: date, now: datetime):
        self.tenant = tenant
        self.apply_rules = apply_rules
        self.today = today
        self.now = now
        self.items = _items_by_key(tenant)

    def run(self) -> None:
        admin = self._actor(_login("admin"))
        self._curricula(admin)
        self._rules(admin)
        self._team_assignments()
        self._learner_story()

    # --- helpers --------------------------------------------------------------------------------

    def _actor(self, login: DemoLogin) -> Actor:
        person = Person.objects.get(email=login.email(self.tenant.slug))
        return actor_for_person(tenant=self.tenant, person=person)

    def _ids(self, keys: tuple[str, ...]) -> list[int]:
        return [self.items[key].pk for key in keys if key in self.items]

    def _lessons_of(self, key: str) -> list[CatalogItem]:
        """The lessons and cards below a container, in order (at its published revision)."""
        found: list[CatalogItem] = []
        item = self.items.get(key)
        if item is None:
            return found
        queue = [item]
        while queue:
            current = queue.pop(0)
            if current.kind in ("lesson", "card"):
                found.append(current)
                continue
            revision = current.published_revision
            children = revision.content.get("children", []) if revision is not None else []
            by_id = CatalogItem.objects.select_related("published_revision").in_bulk(
                [c["id"] for c in children]
            )
            queue[0:0] = [by_id[c["id"]] for c in children if c["id"] in by_id]
        return found

    def _take(self, actor: Actor, lessons: list[CatalogItem]) -> None:
        for lesson in lessons:
            try:
                lesson_taken(actor=actor, item_id=lesson.pk, kind="article")
            except NotFound:
                continue  # a lesson of a narrower audience than its course (a teaser)

    # --- the vendor -----------------------------------------------------------------------------

    def _curricula(self, admin: Actor) -> None:
        for job_role, business_model, name, keys in CURRICULA:
            ids = self._ids(keys)
            if ids:
                curriculum_set(
                    actor=admin,
                    job_role=job_role,
                    business_model=business_model,
                    name=name,
                    item_ids=ids,
                )

    def _rules(self, admin: Actor) -> None:
        audiences = {a.name: a for a in Audience.objects.all()}
        plans = (
            ("New partner onboarding for everyone", "everyone", "p-onboarding", 90, "joining"),
            ("Security specialists", "security", "p-security", 60, "assignment"),
        )
        for name, audience_key, key, days, due_from in plans:
            audience = audiences.get(AUDIENCE_NAMES[audience_key])
            item = self.items.get(key)
            if audience is None or item is None:
                continue
            rule = AssignmentRule.objects.create(
                tenant=self.tenant,
                name=name,
                audience=audience,
                item=item,
                required=True,
                due_days=days,
                due_from=DueFrom(due_from),
                created_by=admin.person,
            )
            if self.apply_rules:
                rule_apply(tenant=self.tenant, rule=rule)

    # --- a partner manager's team ---------------------------------------------------------------

    def _team_assignments(self) -> None:
        """Bluebird's manager assigned the SD-WAN path six weeks ago, due two weeks ago: some
        finished it, some are on it, some have not started (late)."""
        manager = self._actor(_login("manager"))
        path = self.items.get("p-sdwan")
        if path is None or manager.organization_id is None:
            return
        learner_email = _login("learner").email(self.tenant.slug)
        team = list(
            Membership.objects.filter(
                organization_id=manager.organization_id, status=MembershipStatus.ACTIVE
            )
            .exclude(person__email=learner_email)
            .exclude(person_id=manager.person.pk if manager.person else 0)
            .select_related("person")
            .order_by("pk")[:12]
        )
        if not team:
            return
        result = assign(
            actor=manager,
            item_id=path.pk,
            membership_ids=[m.pk for m in team],
            required=True,
        )
        enrollment_ids = [e.pk for e in result.created]
        Enrollment.objects.filter(pk__in=enrollment_ids).update(
            created_at=self.now - timedelta(days=42),
            due_on=self.today - timedelta(days=14),
        )
        lessons = self._lessons_of("p-sdwan")
        for index, membership in enumerate(team):
            actor = actor_for_person(tenant=self.tenant, person=membership.person)
            share = (1.0, 1.0, 0.5, 0.0)[index % 4]
            self._take(actor, lessons[: int(len(lessons) * share)])
            if share == 1.0:
                # Required steps were done; the path also wants one elective.
                self._take(actor, self._lessons_of("c-sdwan-clinic"))

    # --- the demo learner -----------------------------------------------------------------------

    def _learner_story(self) -> None:
        learner = self._actor(_login("learner"))
        manager = self._actor(_login("manager"))
        membership = learner.membership
        # Completed last quarter: the sales course.
        sales = self.items.get("c-sales")
        if sales is not None:
            enroll_self(actor=learner, item_id=sales.pk)
            self._take(learner, self._lessons_of("c-sales"))
            Enrollment.objects.filter(person=learner.person, item=sales).update(
                created_at=self.now - timedelta(days=120),
                started_at=self.now - timedelta(days=118),
                completed_at=self.now - timedelta(days=100),
                closed_at=self.now - timedelta(days=100),
            )
        # Half-way through the firewall course, assigned by the manager, due in ten days.
        firewall = self.items.get("c-fw")
        if firewall is not None and membership is not None:
            assign(actor=manager, item_id=firewall.pk, membership_ids=[membership.pk])
            Enrollment.objects.filter(person=learner.person, item=firewall).update(
                due_on=self.today + timedelta(days=10)
            )
            lessons = self._lessons_of("c-fw")
            self._take(learner, lessons[: len(lessons) // 2])
        # A card assigned as a recommendation, now overdue.
        card = self.items.get("card-deal-fields")
        if card is not None and membership is not None:
            assign(
                actor=manager,
                item_id=card.pk,
                membership_ids=[membership.pk],
                required=False,
            )
            Enrollment.objects.filter(person=learner.person, item=card).update(
                due_on=self.today - timedelta(days=3),
                created_at=self.now - timedelta(days=20),
            )
        # Part of a video watched on another device: the home offers to continue there.
        video = next(
            (
                lesson
                for lesson in self._lessons_of("c-sdwan")
                if not LessonProgress.objects.filter(
                    person=learner.person, item=lesson, completed_at__isnull=False
                ).exists()
            ),
            None,
        )
        if video is not None:
            video_heartbeat(
                actor=learner,
                item_id=video.pk,
                played_from=0,
                played_to=50,
                position=50,
                duration=240,
            )


def _login(local_part: str) -> DemoLogin:
    return next(login for login in DEMO_LOGINS if login.local_part == local_part)


def _items_by_key(tenant: Tenant) -> dict[str, CatalogItem]:
    """The demo catalog's published items by their plan key (found by their English title)."""
    titles = {plan.key: plan.title for plan in LESSONS}
    titles |= {plan.key: plan.title for plan in (*MODULES, *COURSES, *PATHS)}
    by_title = {
        title: item_id
        for title, item_id in ItemVariant.objects.filter(
            locale=tenant.default_locale, title__in=list(titles.values())
        ).values_list("title", "item_id")
    }
    live = live_items().select_related("published_revision").in_bulk(list(by_title.values()))
    return {
        key: live[by_title[title]]
        for key, title in titles.items()
        if title in by_title and by_title[title] in live
    }
