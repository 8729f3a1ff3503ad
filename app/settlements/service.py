"""Net settlement between two councils per month.

A statement covers the pair's unpaid issued invoices of the month (invoices whose period is the
month) both ways, and the credit notes against them. What A's documents come to (invoices' gross
less their credit notes) minus what B's come to is the net: B pays A when it is positive, A pays
B otherwise. The VAT invoices are not changed; each council still accounts for its own VAT.

`open` statements are rebuilt whenever they are read or a run is made, so they follow the
invoices; once the payer records the payment the statement is frozen (never rebuilt). When the
payee confirms, every covered invoice is marked paid on both sides, with the statement's
reference, in the same transaction. Recording and confirming are idempotent: the same request
again answers the same statement; a different one after the first answers 409.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Select,
    Table,
    delete,
    false,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, selectinload

from app.audit import service as audit
from app.core import clock, money
from app.core.actor import Actor, Role
from app.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.councils import service as councils
from app.invoicing import service as invoicing
from app.invoicing.models import CreditNote, Invoice, InvoiceStatus
from app.notifications import service as notifications
from app.settlements.models import SettlementItem, SettlementStatement, SettlementStatus

FINANCE_ROLES = (Role.finance, Role.council_admin)
Pair = tuple[uuid.UUID, uuid.UUID]


@dataclass(frozen=True)
class Item:
    kind: str  # invoice | credit_note
    invoice_id: uuid.UUID
    credit_note_id: uuid.UUID | None
    number: str
    issuer_council_id: uuid.UUID
    issue_date: date
    gross_pence: int

    @property
    def key(self) -> tuple[str, uuid.UUID, int]:
        return (self.kind, self.credit_note_id or self.invoice_id, self.gross_pence)


@dataclass(frozen=True)
class Net:
    a_to_b_pence: int
    b_to_a_pence: int
    payer: uuid.UUID
    payee: uuid.UUID
    net_pence: int


def pair_of(x: uuid.UUID, y: uuid.UUID) -> Pair:
    return (x, y) if str(x) < str(y) else (y, x)


def net_of(pair: Pair, items: Iterable[Item]) -> Net:
    """What A's documents come to, what B's come to, and who pays whom the difference. Credit
    notes count against their issuer. On a tie, nothing moves (B 'pays' A nothing)."""
    a, b = pair
    owed = {a: 0, b: 0}
    for item in items:
        sign = -1 if item.kind == "credit_note" else 1
        owed[item.issuer_council_id] += sign * item.gross_pence
    net = owed[a] - owed[b]
    if net >= 0:
        return Net(owed[a], owed[b], payer=b, payee=a, net_pence=net)
    return Net(owed[a], owed[b], payer=a, payee=b, net_pence=-net)


def _finance_council(actor: Actor) -> uuid.UUID:
    if actor.council_id is None or not actor.has_any(*FINANCE_ROLES):
        raise Forbidden("Only finance officers and council admins see settlements.")
    return actor.council_id


# --- what a month's statements cover -----------------------------------------------------------


def _items_by_pair(
    session: Session, period: str, council_id: uuid.UUID | None, pair: Pair | None = None
) -> dict[Pair, list[Item]]:
    where: list[ColumnElement[bool]] = [
        Invoice.period == period,
        Invoice.status == InvoiceStatus.issued,
    ]
    if council_id is not None:
        where.append(
            or_(Invoice.issuer_council_id == council_id, Invoice.customer_council_id == council_id)
        )
    if pair is not None:
        where.append(Invoice.issuer_council_id.in_(pair))
        where.append(Invoice.customer_council_id.in_(pair))
    invoices = session.execute(
        select(
            Invoice.id,
            Invoice.number,
            Invoice.issuer_council_id,
            Invoice.customer_council_id,
            Invoice.issue_date,
            Invoice.gross_pence,
        ).where(*where)
    ).all()
    found: dict[Pair, list[Item]] = defaultdict(list)
    pair_by_invoice: dict[uuid.UUID, Pair] = {}
    for row in invoices:
        key = pair_of(row.issuer_council_id, row.customer_council_id)
        pair_by_invoice[row.id] = key
        found[key].append(
            Item(
                "invoice",
                row.id,
                None,
                row.number,
                row.issuer_council_id,
                row.issue_date,
                row.gross_pence,
            )
        )
    if invoices:
        notes = session.execute(
            select(
                CreditNote.id,
                CreditNote.invoice_id,
                CreditNote.number,
                CreditNote.issuer_council_id,
                CreditNote.issue_date,
                CreditNote.gross_pence,
            )
            .join(Invoice, Invoice.id == CreditNote.invoice_id)
            .where(*where)
        ).all()
        for note in notes:
            found[pair_by_invoice[note.invoice_id]].append(
                Item(
                    "credit_note",
                    note.invoice_id,
                    note.id,
                    note.number,
                    note.issuer_council_id,
                    note.issue_date,
                    note.gross_pence,
                )
            )
    for items in found.values():
        items.sort(key=lambda i: (str(i.issuer_council_id), i.issue_date, i.number))
    return found


def _item_rows(statement_id: uuid.UUID, items: list[Item]) -> list[dict[str, Any]]:
    return [
        {
            "id": uuid.uuid4(),
            "statement_id": statement_id,
            "position": position,
            "kind": item.kind,
            "invoice_id": item.invoice_id,
            "credit_note_id": item.credit_note_id,
            "number": item.number,
            "issuer_council_id": item.issuer_council_id,
            "issue_date": item.issue_date,
            "gross_pence": item.gross_pence,
        }
        for position, item in enumerate(items, start=1)
    ]


# --- generating ------------------------------------------------------------------------------


def generate(
    session: Session, period: str, council_id: uuid.UUID | None, pair: Pair | None = None
) -> int:
    """Build or rebuild the month's open statements (one council's, one pair's, or every
    pair's); frozen ones are left alone. Returns how many statements were written."""
    wanted = _items_by_pair(session, period, council_id, pair)
    stmt = select(
        SettlementStatement.id,
        SettlementStatement.council_a_id,
        SettlementStatement.council_b_id,
        SettlementStatement.status,
        SettlementStatement.generation,
    ).where(SettlementStatement.period == period)
    if council_id is not None:
        stmt = stmt.where(
            or_(
                SettlementStatement.council_a_id == council_id,
                SettlementStatement.council_b_id == council_id,
            )
        )
    if pair is not None:
        stmt = stmt.where(
            SettlementStatement.council_a_id == pair[0],
            SettlementStatement.council_b_id == pair[1],
        )
    existing = {(s.council_a_id, s.council_b_id): s for s in session.execute(stmt)}
    item_rows, written = _rebuild_open(session, existing, wanted)
    new = {key: items for key, items in wanted.items() if key not in existing}
    for key, statement_id in _insert_statements(session, period, new).items():
        item_rows += _item_rows(statement_id, new[key])
        written += 1
    if item_rows:
        session.execute(insert(SettlementItem), item_rows)
    session.expire_all()
    return written


def _rebuild_open(
    session: Session, existing: dict[Pair, Any], wanted: dict[Pair, list[Item]]
) -> tuple[list[dict[str, Any]], int]:
    """Rebuild the open statements whose documents changed; delete those with none left (their
    items go with them, ON DELETE CASCADE). Each change is guarded by the status and generation
    read, so a statement whose payment was recorded meanwhile stays as it was."""
    current = _stored_items(
        session, [s.id for s in existing.values() if s.status == SettlementStatus.open]
    )
    item_rows: list[dict[str, Any]] = []
    gone: list[uuid.UUID] = []
    written = 0
    now = clock.now()
    for key, statement in existing.items():
        items = wanted.get(key, [])
        if statement.status != SettlementStatus.open:
            continue
        if not items:
            gone.append(statement.id)
            continue
        if sorted(i.key for i in items) == sorted(current.get(statement.id, [])):
            continue
        net = net_of(key, items)
        result = session.execute(
            update(SettlementStatement)
            .where(
                SettlementStatement.id == statement.id,
                SettlementStatement.status == SettlementStatus.open,
                SettlementStatement.generation == statement.generation,
            )
            .values(
                a_to_b_pence=net.a_to_b_pence,
                b_to_a_pence=net.b_to_a_pence,
                net_pence=net.net_pence,
                payer_council_id=net.payer,
                payee_council_id=net.payee,
                generation=SettlementStatement.generation + 1,
                generated_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            continue  # the payment was recorded meanwhile: frozen
        session.execute(delete(SettlementItem).where(SettlementItem.statement_id == statement.id))
        item_rows += _item_rows(statement.id, items)
        written += 1
    if gone:
        session.execute(
            delete(SettlementStatement).where(
                SettlementStatement.id.in_(gone),
                SettlementStatement.status == SettlementStatus.open,
            )
        )
    return item_rows, written


def _stored_items(
    session: Session, statement_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[tuple[str, uuid.UUID, int]]]:
    stored: dict[uuid.UUID, list[tuple[str, uuid.UUID, int]]] = defaultdict(list)
    if not statement_ids:
        return stored
    rows = session.execute(
        select(
            SettlementItem.statement_id,
            SettlementItem.kind,
            SettlementItem.invoice_id,
            SettlementItem.credit_note_id,
            SettlementItem.gross_pence,
        ).where(SettlementItem.statement_id.in_(statement_ids))
    )
    for statement_id, kind, invoice_id, note_id, gross in rows:
        stored[statement_id].append((kind, note_id or invoice_id, gross))
    return stored


def _insert_statements(
    session: Session, period: str, new: dict[Pair, list[Item]]
) -> dict[Pair, uuid.UUID]:
    """New open statements, many rows a statement; the pairs a concurrent run made first (unique
    per pair and month) are left out, as that run holds their items."""
    if not new:
        return {}
    codes = {c: councils.get_council(session, c).code for c in {c for pair in new for c in pair}}
    now = clock.now()
    ids = {pair: uuid.uuid4() for pair in new}
    rows: list[dict[str, Any]] = []
    for pair, items in new.items():
        net = net_of(pair, items)
        rows.append(
            {
                "id": ids[pair],
                "period": period,
                "reference": f"SET-{period}-{codes[pair[0]]}-{codes[pair[1]]}",
                "council_a_id": pair[0],
                "council_b_id": pair[1],
                "payer_council_id": net.payer,
                "payee_council_id": net.payee,
                "a_to_b_pence": net.a_to_b_pence,
                "b_to_a_pence": net.b_to_a_pence,
                "net_pence": net.net_pence,
                "status": SettlementStatus.open,
                "generation": 1,
                "generated_at": now,
            }
        )
    dialect = session.get_bind().dialect.name
    table = cast("Table", SettlementStatement.__table__)
    statement = (pg_insert if dialect == "postgresql" else sqlite_insert)(table)
    # One compiled statement, sent as multi-row batches (insertmanyvalues); a row another run
    # made first returns nothing.
    made = set(
        session.connection()
        .execute(statement.on_conflict_do_nothing().returning(table.c.id), rows)
        .scalars()
    )
    return {pair: statement_id for pair, statement_id in ids.items() if statement_id in made}


def run(session: Session, actor: Actor, period: str) -> int:
    """A settlement run for the month: a finance team's own pairs, or (platform admins) every
    pair on the platform."""
    council_id = None if actor.is_platform_admin else _finance_council(actor)
    written = generate(session, period, council_id)
    audit.record(
        session,
        actor,
        "settlement_run.create",
        "council" if council_id else "platform",
        council_id or uuid.UUID(int=0),
        council_id,
        f"Settlement run for {period}: {written} statements written",
        {"period": period, "written": written},
    )
    return written


# --- reading ---------------------------------------------------------------------------------


def readable_statements(actor: Actor) -> Select[SettlementStatement]:
    """The one statement of what an actor may read (DESIGN.md rule 11)."""
    stmt = select(SettlementStatement).options(selectinload(SettlementStatement.items))
    if actor.is_platform_admin:
        return stmt
    if actor.council_id is None or not actor.has_any(*FINANCE_ROLES):
        return stmt.where(false())
    council_id = actor.council_id
    return stmt.where(
        or_(
            SettlementStatement.council_a_id == council_id,
            SettlementStatement.council_b_id == council_id,
        )
    )


def list_statements(session: Session, actor: Actor, period: str) -> list[SettlementStatement]:
    """The month's statements of the actor's council, rebuilt first while they are open."""
    council_id = _finance_council(actor)
    generate(session, period, council_id)
    stmt = readable_statements(actor).where(SettlementStatement.period == period)
    return list(session.scalars(stmt.order_by(SettlementStatement.reference)))


def _load(session: Session, actor: Actor, statement_id: uuid.UUID) -> SettlementStatement:
    """A statement the actor may read; their own council's without the role: 403; 404 else."""
    if not actor.is_platform_admin:
        hidden = session.get(SettlementStatement, statement_id)
        if hidden is not None and actor.council_id in (hidden.council_a_id, hidden.council_b_id):
            _finance_council(actor)
    found = session.scalar(
        readable_statements(actor)
        .where(SettlementStatement.id == statement_id)
        .execution_options(populate_existing=True)
    )
    if found is None:
        raise NotFound("No such settlement statement.")
    return found


def get_statement(session: Session, actor: Actor, statement_id: uuid.UUID) -> SettlementStatement:
    """One statement either council's finance team may read (others: 404), rebuilt first while
    it is open."""
    statement = _load(session, actor, statement_id)
    if statement.status == SettlementStatus.open:
        pair = (statement.council_a_id, statement.council_b_id)
        generate(session, statement.period, None, pair)
        statement = _load(session, actor, statement_id)
    return statement


# --- paying and confirming ------------------------------------------------------------------


def _check_current(session: Session, statement: SettlementStatement) -> None:
    pair = (statement.council_a_id, statement.council_b_id)
    now = _items_by_pair(session, statement.period, None, pair).get(pair, [])
    stored = sorted(
        (i.kind, i.credit_note_id or i.invoice_id, i.gross_pence) for i in statement.items
    )
    if sorted(i.key for i in now) != stored:
        raise Conflict(
            "The invoices covered by this statement changed since it was prepared "
            "(paid, issued or credited). Reload it and check the new amount."
        )


def record_payment(
    session: Session, actor: Actor, statement_id: uuid.UUID, reference: str, paid_on: date
) -> SettlementStatement:
    statement = _load(session, actor, statement_id)
    if actor.council_id != statement.payer_council_id:
        raise Forbidden("Only the paying council's finance team records the payment.")
    if statement.status != SettlementStatus.open:
        if (statement.payment_reference, statement.paid_on) == (reference, paid_on):
            return statement  # the same request again
        raise Conflict("The payment for this statement has already been recorded.")
    if paid_on > clock.today():
        raise InvalidInput("The payment date cannot be in the future.", ["body", "paid_on"])
    latest = max((i.issue_date for i in statement.items), default=None)
    if latest is not None and paid_on < latest:
        raise InvalidInput(
            f"The payment date is before the last document it covers ({latest}).",
            ["body", "paid_on"],
        )
    _check_current(session, statement)
    result = session.execute(
        update(SettlementStatement)
        .where(
            SettlementStatement.id == statement.id,
            SettlementStatement.status == SettlementStatus.open,
            SettlementStatement.generation == statement.generation,
        )
        .values(
            status=SettlementStatus.payment_recorded,
            payment_reference=reference,
            paid_on=paid_on,
            payment_recorded_at=clock.now(),
            payment_recorded_by_id=actor.user_id,
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict("This statement changed at the same time. Reload it.")
    _tell_both(
        session,
        actor,
        statement,
        "settlement.payment_recorded",
        f"Payment of {money.format_pounds(statement.net_pence, symbol=True)} recorded for "
        f"settlement {statement.reference} ({reference}, {paid_on})",
        notify=statement.payee_council_id,
    )
    return _load(session, actor, statement.id)


def confirm(session: Session, actor: Actor, statement_id: uuid.UUID) -> SettlementStatement:
    """The payee confirms receipt: the statement is settled and every covered invoice is marked
    paid, on both sides, with the statement's reference, all in this transaction."""
    statement = _load(session, actor, statement_id)
    if actor.council_id != statement.payee_council_id:
        raise Forbidden("Only the receiving council's finance team confirms the payment.")
    if statement.status == SettlementStatus.settled:
        return statement
    if statement.status != SettlementStatus.payment_recorded:
        raise Conflict("No payment has been recorded for this statement yet.")
    _check_current(session, statement)
    result = session.execute(
        update(SettlementStatement)
        .where(
            SettlementStatement.id == statement.id,
            SettlementStatement.status == SettlementStatus.payment_recorded,
        )
        .values(
            status=SettlementStatus.settled, confirmed_at=clock.now(), confirmed_by_id=actor.user_id
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict("This statement changed at the same time. Reload it.")
    assert statement.paid_on is not None
    invoice_ids = sorted({i.invoice_id for i in statement.items}, key=str)
    invoicing.mark_paid_by_settlement(
        session, actor, invoice_ids, statement.reference, statement.paid_on
    )
    _tell_both(
        session,
        actor,
        statement,
        "settlement.settled",
        f"Settlement {statement.reference} confirmed: {len(invoice_ids)} invoices paid",
        notify=statement.payer_council_id,
    )
    return _load(session, actor, statement.id)


def _tell_both(
    session: Session,
    actor: Actor,
    statement: SettlementStatement,
    action: str,
    summary: str,
    notify: uuid.UUID,
) -> None:
    for council_id in (statement.council_a_id, statement.council_b_id):
        audit.record(
            session,
            actor,
            action,
            "settlement",
            statement.id,
            council_id,
            summary,
            {"period": statement.period, "net_pence": statement.net_pence},
        )
    email = councils.council_settings(session, notify).finance_email
    if email:
        notifications.queue_email(
            session,
            email,
            summary,
            f"{summary}. It is in the Talent Pool under Settlements.",
            dedupe_key=f"{action}:{statement.id}",
        )


def get_statement_for_document(
    session: Session, actor: Actor, statement_id: uuid.UUID
) -> SettlementStatement:
    """A statement to download, exactly as stored (not rebuilt: documents print what is
    stored)."""
    return _load(session, actor, statement_id)
