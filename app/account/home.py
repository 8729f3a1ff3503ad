"""What needs doing now, for the signed-in person's roles: one count per kind of task, each
asked of the domain that owns it, with where to go to do it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.availability import counts as availability
from app.bookings import counts as bookings
from app.core.actor import Actor, Role
from app.councils import joining
from app.councils import service as councils
from app.invoicing import counts as invoicing
from app.officers import service as officers


@dataclass(frozen=True)
class Task:
    key: str
    count: int
    text: str
    href: str


# Settings a council must give before it can take part fully (see `missing_settings`).
SETTINGS_NEEDED = {
    "invoicing": ("finance_email", "address_lines", "town", "postcode"),
    "payments": ("bank_account_name", "bank_sort_code", "bank_account_number"),
    "people": ("email_domains",),
}


def _officer_tasks(session: Session, actor: Actor) -> list[Task]:
    officer = officers.get_my_officer(session, actor)
    consent = 0 if councils.consent_is_current(session, officer.consent_version) else 1
    return [
        Task("consent", consent, "Give your consent to be listed", "/profile"),
        Task(
            "timesheets",
            bookings.timesheets_to_submit(session, actor),
            "Bookings to send a timesheet for",
            "/bookings",
        ),
    ]


def _council_admin_tasks(session: Session, actor: Actor) -> list[Task]:
    assert actor.council_id is not None
    accepted = councils.has_accepted_agreement(session, actor.council_id)
    row = councils.council_settings(session, actor.council_id)
    unfinished = sum(
        1
        for fields in SETTINGS_NEEDED.values()
        if any(not getattr(row, field, None) for field in fields)
    )
    return [
        Task("agreement", 0 if accepted else 1, "Accept the pool's s113 agreement", "/agreement"),
        Task("settings", unfinished, "Council settings to finish", "/council/settings"),
    ]


def todo(session: Session, actor: Actor) -> list[Task]:
    """The tasks for the actor's roles, in the order people usually do them."""
    tasks: list[Task] = []
    if actor.is_platform_admin:
        count = joining.pending_count(session, actor)
        tasks.append(
            Task("join_requests", count, "Join requests to answer", "/platform/join-requests")
        )
    if actor.has_any(Role.council_admin) and actor.council_id is not None:
        tasks += _council_admin_tasks(session, actor)
    if actor.has_any(Role.officer, Role.manager):
        tasks.append(
            Task(
                "requests",
                bookings.requests_to_answer(session, actor),
                "Booking requests to answer",
                "/bookings",
            )
        )
    if actor.has_any(Role.officer):
        tasks += _officer_tasks(session, actor)
    if actor.has_any(Role.manager):
        count = availability.approvals_waiting(session, actor)
        tasks.append(Task("approvals", count, "Hours waiting for your sign-off", "/sign-off"))
    if actor.has_any(Role.booker):
        count = bookings.hours_to_record(session, actor)
        tasks.append(Task("hours_to_record", count, "Bookings to record hours for", "/bookings"))
    if actor.has_any(Role.finance):
        tasks += [
            Task(
                "drafts",
                invoicing.drafts_to_issue(session, actor),
                "Draft invoices to issue",
                "/invoices",
            ),
            Task(
                "overdue_to_pay",
                invoicing.overdue_to_pay(session, actor),
                "Invoices to your council that are overdue",
                "/invoices?direction=incoming",
            ),
            Task(
                "overdue_to_chase",
                invoicing.overdue_to_chase(session, actor),
                "Your council's invoices that are overdue",
                "/invoices",
            ),
        ]
    return tasks
