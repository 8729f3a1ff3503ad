// Shared test data for the invoice pages.
import type { Invoice, InvoiceLine } from "../models";
import { reading, user, westBerks } from "./fixtures";

export const edinburgh = { id: "c3", name: "City of Edinburgh Council", code: "EDH", nation: "Scotland", region: "Scotland" };

// Finance officers on a server whose today is Monday 4 October 2027.
export const fiona = user(["finance"], {
  id: "u5",
  name: "Fiona Fraser",
  email: "fiona.finance@westberks.example.gov.uk",
  csrf_token: "csrf-f",
  today: "2027-10-04",
  current_week: "2027-W40",
});
export const frank = user(["finance"], {
  id: "u7",
  name: "Frank Foster",
  email: "frank.finance@reading.example.gov.uk",
  council: reading,
  csrf_token: "csrf-r",
  today: "2027-10-04",
  current_week: "2027-W40",
});

export function line(extra: Partial<InvoiceLine> = {}): InvoiceLine {
  return {
    booking_id: "b1",
    officer: "Peter Price",
    officer_id: "o2",
    week: "2027-W36",
    purchase_order: "PO-1234",
    minutes: 225,
    rate_pence_per_hour: 4550,
    amount_pence: 17063,
    kind: "time",
    ...extra,
  };
}

/** A draft from West Berkshire to Reading for September 2027. */
export function invoice(extra: Partial<Invoice> = {}): Invoice {
  return {
    id: "i1",
    number: null,
    status: "draft",
    issuer: westBerks,
    customer: reading,
    period: "2027-09",
    lines: [line()],
    vat_category: "S",
    vat_rate_bps: 2000,
    vat_reason: null,
    net_pence: 17063,
    vat_pence: 3413,
    gross_pence: 20476,
    credited_gross_pence: 0,
    issue_date: null,
    issued_at: null,
    due_date: null,
    paid_on: null,
    payment_reference: null,
    credit_notes: [],
    ...extra,
  };
}

/** The same invoice once issued. */
export function issued(extra: Partial<Invoice> = {}): Invoice {
  return invoice({
    number: "WBK-2027-000001",
    status: "issued",
    issue_date: "2027-09-15",
    issued_at: "2027-09-15T10:00:00+00:00",
    due_date: "2027-10-15",
    ...extra,
  });
}
