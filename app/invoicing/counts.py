"""What needs doing about invoices, counted for the home page."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core import clock
from app.core.actor import Actor, Role
from app.invoicing.models import Invoice, InvoiceStatus


def _finance_council(actor: Actor) -> object | None:
    if actor.council_id is None or not actor.has_any(Role.finance):
        return None
    return actor.council_id


def _count(session: Session, *conditions: object) -> int:
    stmt = select(func.count()).select_from(Invoice).where(*conditions)  # type: ignore[arg-type]
    return session.scalar(stmt) or 0


def drafts_to_issue(session: Session, actor: Actor) -> int:
    council_id = _finance_council(actor)
    if council_id is None:
        return 0
    return _count(
        session, Invoice.issuer_council_id == council_id, Invoice.status == InvoiceStatus.draft
    )


def overdue_to_pay(session: Session, actor: Actor) -> int:
    """Invoices other councils sent to the actor's council, past their due date and unpaid."""
    council_id = _finance_council(actor)
    if council_id is None:
        return 0
    return _count(
        session,
        Invoice.customer_council_id == council_id,
        Invoice.status == InvoiceStatus.issued,
        Invoice.due_date < clock.today(),
    )


def overdue_to_chase(session: Session, actor: Actor) -> int:
    """The actor's council's own invoices past their due date and unpaid."""
    council_id = _finance_council(actor)
    if council_id is None:
        return 0
    return _count(
        session,
        Invoice.issuer_council_id == council_id,
        Invoice.status == InvoiceStatus.issued,
        Invoice.due_date < clock.today(),
    )
