"""The learning targets' requests: learners' home pages and the video player's heartbeats.

Called by bench/run.py inside its Django setup (the server's settings and database).

- **Home.** The catalog learners of run.py (four tiers and regions) get some learning first,
  idempotently: a self-enrollment in three items they may see and progress in two lessons,
  written through the services once (a later run finds them and writes nothing). Then a browser
  session each; the target GETs `/` (the learner's home page, HTML) as each in turn.
- **Heartbeats.** `HEARTBEAT_PEOPLE` active learners spread over the program (every n-th
  learner membership by id), `LESSONS_PER_PERSON` lessons each that they may see, a
  browser session each (cookie and CSRF token, as the player sends them). The target POSTs to
  `/learning/progress/<lesson>/heartbeat/` for every pair in turn, each pair playing its lesson
  forward stretch by stretch (10 s at a time, within the first 40 s of a 10-minute video, so no
  heartbeat completes a lesson and every one is the ordinary update path).
"""

from __future__ import annotations

import json
import secrets
import time
from typing import Any

HEARTBEAT_PEOPLE = 200
LESSONS_PER_PERSON = 5
STRETCHES = 4
VIDEO_SECONDS = 600.0
HOME_ENROLLMENTS = 3
HOME_PROGRESS = 2


def heartbeat_path(item_id: int) -> str:
    return f"/learning/progress/{item_id}/heartbeat/"


def _session(person: Any, host: str) -> str:
    from django.conf import settings
    from django.test import Client

    browser = Client(HTTP_HOST=host)
    browser.force_login(person)
    return str(browser.cookies[settings.SESSION_COOKIE_NAME].value)


def _browser_headers(session: str, csrf: str | None = None) -> dict[str, str]:
    from django.conf import settings

    cookie = f"{settings.SESSION_COOKIE_NAME}={session}"
    if csrf is None:
        return {"Cookie": cookie}
    return {
        "Cookie": f"{cookie}; {settings.CSRF_COOKIE_NAME}={csrf}",
        "X-CSRFToken": csrf,
        "Content-Type": "application/json",
    }


def _visible_lessons(actor: Any, count: int, offset: int) -> list[int]:
    from cascade.catalog.browse import items_visible_to
    from cascade.catalog.item_models import ItemKind
    from cascade.catalog.selectors import viewer_for

    lessons = items_visible_to(viewer_for(actor)).filter(kind=ItemKind.LESSON).order_by("pk")
    return list(lessons.values_list("pk", flat=True)[offset : offset + count])


def home_sessions(
    tenant: Any, learners: dict[str, dict[str, Any]], host: str
) -> tuple[dict[str, dict[str, str]], dict[str, Any]]:
    """A browser session (headers) for each learner, after giving them some learning (once)."""
    from cascade.access.actor import actor_for_person
    from cascade.catalog.browse import items_visible_to
    from cascade.catalog.selectors import viewer_for
    from cascade.core.scoping import tenant_scope
    from cascade.identity.models import Person
    from cascade.learning.models import Enrollment, LessonProgress
    from cascade.learning.progress import video_heartbeat
    from cascade.learning.services import enroll_self

    sessions: dict[str, dict[str, str]] = {}
    written = {"enrollments": 0, "lesson_progress": 0}
    with tenant_scope(tenant):
        for key, learner in learners.items():
            person = Person.objects.get(email=learner["email"])
            actor = actor_for_person(tenant=tenant, person=person)
            if Enrollment.objects.filter(person=person).count() < HOME_ENROLLMENTS:
                visible = items_visible_to(viewer_for(actor)).order_by("-published_at", "-id")
                for item_id in visible.values_list("pk", flat=True)[:HOME_ENROLLMENTS]:
                    enroll_self(actor=actor, item_id=item_id)
                    written["enrollments"] += 1
            if LessonProgress.objects.filter(person=person).count() < HOME_PROGRESS:
                for item_id in _visible_lessons(actor, HOME_PROGRESS, 0):
                    video_heartbeat(
                        actor=actor,
                        item_id=item_id,
                        played_from=0,
                        played_to=30,
                        position=30,
                        duration=VIDEO_SECONDS,
                    )
                    written["lesson_progress"] += 1
            learner["home_enrollments"] = Enrollment.objects.filter(person=person).count()
            learner["home_lesson_progress"] = LessonProgress.objects.filter(person=person).count()
            sessions[key] = _browser_headers(_session(person, host))
            print(
                f"   home of {key}: {learner['home_enrollments']} enrollments, "
                f"{learner['home_lesson_progress']} lessons in progress"
            )
    return sessions, {"home_learners": len(sessions), "home_written_now": written}


def heartbeat_requests(
    tenant: Any, host: str
) -> tuple[list[tuple[str, dict[str, str], str, bytes]], dict[str, Any]]:
    """Heartbeats of HEARTBEAT_PEOPLE learners x LESSONS_PER_PERSON lessons, stretch by stretch."""
    from cascade.access.actor import actor_for_person
    from cascade.core.scoping import tenant_scope
    from cascade.identity.models import Membership, MembershipStatus
    from cascade.identity.roles import Role

    started = time.perf_counter()
    with tenant_scope(tenant):
        learners = Membership.objects.filter(
            status=MembershipStatus.ACTIVE,
            organization__isnull=False,
            roles=Membership.encode_roles([Role.LEARNER]),
        )
        total = learners.count()
        step = max(1, total // HEARTBEAT_PEOPLE)
        # Spread over the program: every `step`-th membership by id (deterministic).
        ids = list(learners.order_by("pk").values_list("pk", flat=True))[::step][:HEARTBEAT_PEOPLE]
        chosen = list(learners.filter(pk__in=ids).select_related("person").order_by("pk"))
        pairs: list[tuple[int, str, str]] = []  # (lesson, session, csrf)
        for index, membership in enumerate(chosen):
            actor = actor_for_person(tenant=tenant, person=membership.person)
            lessons = _visible_lessons(actor, LESSONS_PER_PERSON, (index * 37) % 500)
            if not lessons:
                continue
            session = _session(membership.person, host)
            csrf = secrets.token_hex(16)  # 32 characters: a CSRF secret
            pairs.extend((lesson, session, csrf) for lesson in lessons)
    requests = []
    for stretch in range(STRETCHES):
        start = 10.0 * stretch
        body = json.dumps(
            {
                "played_from": start,
                "played_to": start + 10,
                "position": start + 10,
                "duration": VIDEO_SECONDS,
                "locale": "en",
            }
        ).encode()
        for lesson, session, csrf in pairs:
            requests.append((heartbeat_path(lesson), _browser_headers(session, csrf), "POST", body))
    people = len({session for _, session, _ in pairs})
    print(
        f"   heartbeats: {people} learners x up to {LESSONS_PER_PERSON} lessons = "
        f"{len(pairs)} (person, lesson) pairs, {STRETCHES} stretches each "
        f"({time.perf_counter() - started:.1f} s to prepare)"
    )
    return requests, {"heartbeat_people": people, "heartbeat_pairs": len(pairs)}
