"""Issue 10: an invoice is shown from the objects the service loaded (lines and both
councils with it), so a page of invoices costs the same few statements however many councils
it names, and nothing is read again per invoice."""

from __future__ import annotations

from app.auth import service as auth
from app.core.pagination import PageParams
from app.invoicing import api as invoicing_api
from app.invoicing import service as invoicing
from tests.invoicing.conftest import PERIOD, WEEKS, completed, make_lender
from tests.statements import statements


def test_a_page_of_invoices_reads_its_councils_with_the_invoices(client, db, make):
    lender = make_lender(make, db)
    for week in WEEKS[1:] + WEEKS[1:2]:  # three customers, one draft each
        completed(db, lender, make.user(make.council(), "booker"), week, 60)
    finance = auth.actor_for(lender.finance.user, "token")
    assert len(invoicing.run_recharge(db, finance, PERIOD)) == 3
    db.commit()
    db.expunge_all()  # nothing already loaded helps

    with statements(db) as seen:
        rows, _cursor = invoicing.list_invoices(
            db, finance, "outgoing", None, PERIOD, PageParams(limit=50)
        )
        shown = [invoicing_api.invoice_out(db, finance, invoice) for invoice in rows]

    assert len(shown) == 3
    assert {out.issuer.code for out in shown} == {lender.council.code}
    assert len({out.customer.id for out in shown}) == 3
    assert all(out.lines and out.lines[0].officer for out in shown)
    # The invoices with both councils, then their lines: no council read on its own.
    assert len(seen) == 2, seen
