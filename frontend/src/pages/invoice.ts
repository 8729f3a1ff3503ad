// One invoice (GET /invoices/{id}): who, when, the lines and totals, the documents once issued,
// and the credit notes. The issuing council's finance team issue a draft (after checking it on
// invoiceIssue.ts), mark it paid and credit it here; the council that pays sees it read only
// (and may pay by card when that applies).
import { ProblemError, api, fieldName, seg, toProblem } from "../api";
import { errorSummary } from "../components/errorSummary";
import { html, type SafeHtml } from "../components/escape";
import { addFieldError, errorTitle, errorsFromProblem, hasErrors, noErrors, tidyMessage, type FormErrors } from "../components/formErrors";
import { submitGuard } from "../components/submit";
import { button, dateInput, formDate, formText, parseDateParts, textInput, textarea, type DateParts } from "../components/forms";
import { notificationBanner, type BannerOptions } from "../components/notificationBanner";
import { summaryList, type SummaryRow } from "../components/summaryList";
import { table } from "../components/table";
import { formatDay, formatPence, formatRate } from "../format";
import { formatHours, parseHours } from "../numbers";
import type { Page, View } from "../page";
import { takeFlash } from "../session";
import type { Council, Invoice, InvoiceLine, InvoiceParty, StripePayment } from "../models";
import { weekLabel } from "../weeks";
import { fetchInvoice } from "./invoiceIssue";
import { historyLink } from "./councils/kit";
import {
  DOCUMENT_FORMATS,
  INVOICE_ROLES,
  documentHref,
  invoiceName,
  invoiceStatusTag,
  isIssuer,
  minutesText,
  outstandingPence,
  periodLabel,
  vatLabel,
} from "./invoicing";

export interface PaidValues {
  reference: string;
  paidOn: DateParts;
}

export interface CreditValues {
  reason: string;
  /** Hours to credit, as typed, by booking id; all empty: everything not yet credited. */
  hours: Record<string, string>;
}

interface InvoiceState {
  invoice: Invoice;
  paid: PaidValues;
  credit: CreditValues;
  errors: FormErrors;
  banner: BannerOptions | null;
}

const EMPTY_PAID: PaidValues = { reference: "", paidOn: { day: "", month: "", year: "" } };
const EMPTY_CREDIT: CreditValues = { reason: "", hours: {} };
const PAID_FIELDS: Record<string, string> = { reference: "reference", paid_on: "paid-on-day" };

export function invoiceTitle(invoice: Invoice): string {
  return invoice.number ? `Invoice ${invoice.number}` : "Draft invoice";
}

function creditFieldId(index: number): string {
  return `credit-hours-${index}`;
}

function lineName(line: InvoiceLine): string {
  return `${line.officer}, ${weekLabel(line.week)}`;
}

function party(council: Council, details: InvoiceParty | undefined): SafeHtml {
  // The address as the invoice carries it, without repeating the council's name.
  const lines = (details?.address_lines ?? []).filter((line) => line.trim() && line !== council.name);
  return html`${council.name}${
    lines.length ? html`<span class="tp-week-note">${lines.map((line, i) => html`${i ? html`<br>` : ""}${line}`)}</span>` : ""
  }${details?.vat_number ? html`<span class="govuk-body-s tp-week-note">VAT number ${details.vat_number}</span>` : ""}`;
}

function summaryRows(invoice: Invoice): SummaryRow[] {
  const rows: SummaryRow[] = [
    { key: "Number", value: invoice.number ?? "Not issued yet" },
    { key: "Status", value: invoiceStatusTag(invoice.status) },
    { key: "From", value: party(invoice.issuer, invoice.parties?.seller) },
    { key: "To", value: party(invoice.customer, invoice.parties?.buyer) },
    { key: "Period", value: periodLabel(invoice.period) },
  ];
  if (invoice.issue_date) rows.push({ key: "Issue date", value: formatDay(invoice.issue_date) });
  if (invoice.due_date) rows.push({ key: "Due date", value: formatDay(invoice.due_date) });
  if (invoice.paid_on) rows.push({ key: "Paid on", value: formatDay(invoice.paid_on) });
  if (invoice.payment_reference) rows.push({ key: "Payment reference", value: invoice.payment_reference });
  return rows;
}

function totalRows(invoice: Invoice): SummaryRow[] {
  const rows: SummaryRow[] = [
    { key: "Net", value: html`<span id="total-net">${formatPence(invoice.net_pence)}</span>` },
    { key: vatLabel(invoice), value: html`<span id="total-vat">${formatPence(invoice.vat_pence)}</span>` },
    { key: "Gross", value: html`<span id="total-gross">${formatPence(invoice.gross_pence)}</span>` },
  ];
  if (invoice.credited_gross_pence > 0) {
    rows.push({ key: "Credited", value: html`<span id="total-credited">${formatPence(invoice.credited_gross_pence)}</span>` });
    rows.push({ key: "Left to pay", value: html`<span id="total-left">${formatPence(outstandingPence(invoice))}</span>` });
  }
  return rows;
}

function linesTable(invoice: Invoice): SafeHtml {
  return table({
    id: "lines",
    caption: "Lines",
    head: ["Officer", "Week", "Purchase order", "Hours", "Rate", "Amount"],
    rows: invoice.lines.map((line) => [
      line.kind === "late_cancellation" ? `${line.officer}: late cancellation charge (${String(line.charge_percent ?? 0)}% of the booked hours)` : line.officer,
      weekLabel(line.week),
      line.purchase_order ?? "None",
      minutesText(line.minutes),
      formatRate(line.rate_pence_per_hour),
      formatPence(line.amount_pence),
    ]),
    empty: "This invoice has no lines.",
    cards: { title: 1 },
  });
}

function downloadsSection(invoice: Invoice): SafeHtml {
  if (invoice.status === "draft") return html``;
  return html`<h2 class="govuk-heading-m" id="downloads">Download</h2>
<ul class="govuk-list">
  ${DOCUMENT_FORMATS.map(
    ({ format, text }) => html`<li><a class="govuk-link" href="${documentHref(invoice.id, format)}" download data-format="${format}">${text}<span class="govuk-visually-hidden"> of ${invoiceName(invoice)}</span></a></li>`,
  )}
</ul>`;
}

function creditNotesSection(invoice: Invoice): SafeHtml {
  if (invoice.credit_notes.length === 0) return html``;
  return table({
    id: "credit-notes",
    caption: "Credit notes",
    head: ["Number", "Date", "Reason", "Net", "VAT", "Gross"],
    rows: invoice.credit_notes.map((note) => [
      note.number,
      formatDay(note.issue_date),
      note.reason,
      formatPence(note.net_pence),
      formatPence(note.vat_pence),
      formatPence(note.gross_pence),
    ]),
    cards: { title: 0 },
  });
}

function issueSection(invoice: Invoice): SafeHtml {
  return html`<h2 class="govuk-heading-m">Issue this invoice</h2>
<p class="govuk-body">Issuing gives the invoice its number${invoice.next_number ? ` (${invoice.next_number})` : ""} and sends it to ${invoice.customer.name}. It cannot be changed after that: mistakes are put right with a credit note.</p>
<a href="/invoices/${invoice.id}/issue" role="button" draggable="false" class="govuk-button" data-module="govuk-button" id="issue-link">Issue invoice</a>`;
}

function paidSection(state: InvoiceState): SafeHtml {
  const { paid, errors } = state;
  return html`<h2 class="govuk-heading-m" id="mark-paid">Mark as paid</h2>
<form method="post" action="/invoices/${state.invoice.id}/mark-paid" novalidate id="paid-form">
  ${textInput({
    id: "reference",
    label: "Payment reference",
    hint: "As it appears on your bank statement or in your ledger",
    maxlength: 100,
    spellcheck: false,
    autocomplete: "off",
    value: paid.reference,
    error: errors.fields.reference,
  })}
  ${dateInput({
    id: "paid-on",
    legend: "Date paid",
    hint: "For example, 27 9 2027",
    value: paid.paidOn,
    error: errors.fields["paid-on-day"],
  })}
  ${button("Mark as paid")}
</form>`;
}

function creditSection(state: InvoiceState): SafeHtml {
  const { invoice, credit, errors } = state;
  return html`<h2 class="govuk-heading-m" id="credit-note">Credit note</h2>
<p class="govuk-body">A credit note takes hours off this invoice, for example when work was invoiced by mistake. ${invoice.customer.name} will see it.</p>
<form method="post" action="/invoices/${invoice.id}/credit-notes" novalidate id="credit-form">
  ${textarea({
    id: "credit-reason",
    name: "reason",
    label: "Reason for the credit note",
    hint: "It is printed on the credit note",
    rows: 3,
    maxlength: 500,
    value: credit.reason,
    error: errors.fields["credit-reason"],
  })}
  <div class="govuk-form-group">
    <fieldset class="govuk-fieldset" aria-describedby="credit-hours-hint">
      <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Hours to credit (optional)</legend>
      <div id="credit-hours-hint" class="govuk-hint">Leave these empty to credit everything not yet credited. To credit part, enter the hours for each line, in quarter hours.</div>
      ${invoice.lines.map((line, index) =>
        textInput({
          id: creditFieldId(index),
          name: `hours-${line.booking_id}`,
          label: lineName(line),
          hint: `Up to ${formatHours(line.minutes / 60)} hours`,
          inputmode: "decimal",
          inputClass: "govuk-input--width-4",
          spellcheck: false,
          autocomplete: "off",
          suffix: "hours",
          value: credit.hours[line.booking_id] ?? "",
          error: errors.fields[creditFieldId(index)],
        }),
      )}
    </fieldset>
  </div>
  ${button("Issue credit note", { secondary: true })}
</form>`;
}

function paySection(invoice: Invoice): SafeHtml {
  return html`<h2 class="govuk-heading-m">Pay</h2>
<p class="govuk-body">Pay ${formatPence(outstandingPence(invoice))} to ${invoice.issuer.name} by ${invoice.due_date ? formatDay(invoice.due_date) : "the due date"}, quoting ${invoiceName(invoice)}.</p>
<form method="post" action="/invoices/${invoice.id}/stripe" novalidate id="pay-form">
  ${button("Pay by card", { secondary: true })}
</form>`;
}

function actions(state: InvoiceState, me: View["me"]): SafeHtml {
  const { invoice } = state;
  if (!isIssuer(me, invoice)) {
    // Card payment is for the paying council's finance officers, while the invoice is due.
    const pays = me?.roles.includes("finance") && invoice.status === "issued" && outstandingPence(invoice) > 0;
    return pays ? paySection(invoice) : html``;
  }
  if (invoice.status === "draft") return issueSection(invoice);
  const parts: SafeHtml[] = [];
  if (invoice.status === "issued") parts.push(paidSection(state));
  if ((invoice.status === "issued" || invoice.status === "paid") && outstandingPence(invoice) > 0) parts.push(creditSection(state));
  return html`${parts}`;
}

export function invoiceContent(state: InvoiceState, me: View["me"]): SafeHtml {
  const { invoice } = state;
  const issuer = isIssuer(me, invoice);
  return html`<a href="/invoices" class="govuk-back-link">Back to invoices</a>
${errorSummary(state.errors.summary)}
${state.banner && !hasErrors(state.errors) ? notificationBanner(state.banner) : ""}
<span class="govuk-caption-l">${issuer ? `To ${invoice.customer.name}` : `From ${invoice.issuer.name}`}</span>
<h1 class="govuk-heading-l">${invoiceTitle(invoice)}</h1>
<div class="govuk-grid-row">
  <div class="govuk-grid-column-two-thirds">
    ${summaryList(summaryRows(invoice))}
  </div>
</div>
${linesTable(invoice)}
<div class="govuk-grid-row">
  <div class="govuk-grid-column-two-thirds">
    <h2 class="govuk-heading-m">Totals</h2>
    ${summaryList(totalRows(invoice))}
    ${downloadsSection(invoice)}
    ${actions(state, me)}
  </div>
</div>
${creditNotesSection(invoice)}
${issuer ? historyLink(me, "invoice", invoice.id, "this invoice") : ""}`;
}

// --- checking the forms -------------------------------------------------------------------------

export function validatePaid(values: PaidValues): { errors: FormErrors; body: { reference: string; paid_on: string } | null } {
  const errors = noErrors();
  if (!values.reference) addFieldError(errors, "reference", "Enter the payment reference");
  else if (values.reference.length > 100) addFieldError(errors, "reference", "The payment reference must be 100 characters or fewer");
  const date = parseDateParts(values.paidOn, "The date paid");
  if (!date.ok) addFieldError(errors, "paid-on-day", date.error);
  if (hasErrors(errors) || !date.ok) return { errors, body: null };
  return { errors, body: { reference: values.reference, paid_on: date.value } };
}

export interface CreditBody {
  lines: { booking_id: string; minutes: number }[];
  reason: string;
}

export function validateCredit(invoice: Invoice, values: CreditValues): { errors: FormErrors; body: CreditBody | null } {
  const errors = noErrors();
  if (!values.reason) addFieldError(errors, "credit-reason", "Enter the reason for the credit note");
  else if (values.reason.length > 500) addFieldError(errors, "credit-reason", "The reason must be 500 characters or fewer");
  const lines: CreditBody["lines"] = [];
  invoice.lines.forEach((line, index) => {
    const text = values.hours[line.booking_id] ?? "";
    if (!text) return;
    const hours = parseHours(text, { empty: "", name: `Hours to credit for ${lineName(line)}`, max: line.minutes / 60 });
    if (hours.ok) lines.push({ booking_id: line.booking_id, minutes: Math.round(hours.value * 4) * 15 });
    else addFieldError(errors, creditFieldId(index), hours.error);
  });
  if (hasErrors(errors)) return { errors, body: null };
  return { errors, body: { lines, reason: values.reason } };
}

/** The API's field errors for a credit note, against the form's fields (lines by position). */
export function creditErrors(problem: ProblemError, invoice: Invoice, body: CreditBody): FormErrors {
  const errors = noErrors();
  for (const error of problem.errors) {
    const [, field, index] = error.loc;
    if (field === "lines" && typeof index === "number") {
      const bookingId = body.lines[index]?.booking_id;
      const position = invoice.lines.findIndex((line) => line.booking_id === bookingId);
      if (position >= 0) {
        addFieldError(errors, creditFieldId(position), tidyMessage(error.msg));
        continue;
      }
    }
    if (fieldName(error.loc) === "reason") addFieldError(errors, "credit-reason", tidyMessage(error.msg));
    else errors.summary.push({ text: tidyMessage(error.msg) });
  }
  return hasErrors(errors) ? errors : errorsFromProblem(problem, {});
}

// --- drawing and acting -------------------------------------------------------------------------

function readCredit(form: HTMLFormElement, invoice: Invoice): CreditValues {
  const hours: Record<string, string> = {};
  for (const line of invoice.lines) hours[line.booking_id] = formText(form, `hours-${line.booking_id}`);
  return { reason: formText(form, "reason"), hours };
}

function draw(view: View, state: InvoiceState): void {
  view.setTitle(errorTitle(invoiceTitle(state.invoice), state.errors));
  const main = view.show(invoiceContent(state, view.me));
  if (!main) return;
  const on = submitGuard();
  const form = (selector: string) => main.querySelector<HTMLFormElement>(selector);
  on(form("#paid-form"), (paid) => markPaid(view, state, { reference: formText(paid, "reference"), paidOn: formDate(paid, "paid-on") }));
  on(form("#credit-form"), (credit) => creditNote(view, state, readCredit(credit, state.invoice)));
  on(form("#pay-form"), () => payByCard(view, state));
}

async function reload(view: View, state: InvoiceState, banner: BannerOptions): Promise<void> {
  let invoice = state.invoice;
  try {
    invoice = await fetchInvoice(view);
  } catch (error) {
    if (!toProblem(error)) return;
  }
  if (!view.isCurrent()) return;
  draw(view, { invoice, paid: EMPTY_PAID, credit: EMPTY_CREDIT, errors: noErrors(), banner });
}

function failed(view: View, state: InvoiceState, error: unknown, errors: (problem: ProblemError) => FormErrors, patch: Partial<InvoiceState> = {}): void {
  const problem = toProblem(error);
  if (!problem || !view.isCurrent()) return;
  draw(view, { ...state, ...patch, errors: errors(problem), banner: null });
}

async function markPaid(view: View, state: InvoiceState, values: PaidValues): Promise<void> {
  const { errors, body } = validatePaid(values);
  if (!body) {
    draw(view, { ...state, paid: values, errors, banner: null });
    return;
  }
  try {
    await api.post<Invoice>(`/invoices/${seg(state.invoice.id)}/mark-paid`, body, { signal: view.signal });
  } catch (error) {
    failed(view, state, error, (problem) => errorsFromProblem(problem, PAID_FIELDS), { paid: values });
    return;
  }
  await reload(view, state, {
    heading: `Invoice ${invoiceName(state.invoice)} marked as paid`,
    text: `Paid on ${formatDay(body.paid_on)}, reference ${body.reference}.`,
    success: true,
  });
}

async function creditNote(view: View, state: InvoiceState, values: CreditValues): Promise<void> {
  const { errors, body } = validateCredit(state.invoice, values);
  if (!body) {
    draw(view, { ...state, credit: values, errors, banner: null });
    return;
  }
  let note: Invoice["credit_notes"][number];
  try {
    note = await api.post<Invoice["credit_notes"][number]>(`/invoices/${seg(state.invoice.id)}/credit-notes`, body, { signal: view.signal });
  } catch (error) {
    failed(view, state, error, (problem) => creditErrors(problem, state.invoice, body), { credit: values });
    return;
  }
  await reload(view, state, {
    heading: `Credit note ${note.number} issued for ${formatPence(note.gross_pence)}`,
    text: `Against invoice ${invoiceName(state.invoice)}.`,
    success: true,
  });
}

async function payByCard(view: View, state: InvoiceState): Promise<void> {
  let payment: StripePayment;
  try {
    payment = await api.post<StripePayment>(`/invoices/${seg(state.invoice.id)}/stripe`, undefined, { signal: view.signal });
  } catch (error) {
    failed(view, state, error, (problem) => {
      const errors = noErrors();
      const why = problem.status === 404 || problem.status === 403 || problem.status === 409 ? problem.detail : "";
      errors.summary.push({ text: `Card payment is not available for this invoice. ${why || "Pay by bank transfer instead."}` });
      return errors;
    });
    return;
  }
  if (!view.isCurrent()) return;
  draw(view, {
    ...state,
    errors: noErrors(),
    banner: {
      heading: `Card payment of ${formatPence(payment.amount_pence)} started`,
      text: `Stripe payment reference ${payment.payment_intent_id}. The invoice shows as paid once the payment goes through.`,
      success: true,
    },
  });
}

export const invoicePage: Page = {
  path: "/invoices/:id",
  title: "Invoice",
  access: "signed-in",
  roles: INVOICE_ROLES,
  async render(view) {
    const invoice = await fetchInvoice(view);
    draw(view, { invoice, paid: EMPTY_PAID, credit: EMPTY_CREDIT, errors: noErrors(), banner: takeFlash() });
  },
};
