// "Invoices": the invoices the council sent (outgoing, drafts included) and those other councils
// sent it (incoming), filtered by month and status from the address (`/invoices?period=2027-09`),
// and the exports for the ledger and payroll as downloads.
import { api, toProblem } from "../api";
import { errorSummary } from "../components/errorSummary";
import { html, type SafeHtml } from "../components/escape";
import { addFieldError, errorTitle, errorsFromProblem, hasErrors, noErrors, type FormErrors } from "../components/formErrors";
import { button, dateInput, datePartsOf, formDate, formText, parseDateParts, select, type DateParts } from "../components/forms";
import { table } from "../components/table";
import { formatDay, formatPence } from "../format";
import type { Page, View } from "../page";
import type { Invoice, InvoiceDirection, ListPage } from "../models";
import {
  INVOICE_ROLES,
  INVOICE_STATUSES,
  downloads,
  formMonth,
  invoiceName,
  invoiceStatusTag,
  invoiceStatusText,
  isPeriod,
  ledgerHref,
  monthBounds,
  monthInput,
  monthPartsOf,
  parseMonthParts,
  payrollHref,
  periodLabel,
  previousMonth,
  type LedgerDirection,
  type MonthParts,
} from "./invoicing";

const TITLE = "Invoices";
export const LIST_LIMIT = 200;

export interface InvoiceFilters {
  period: MonthParts;
  status: string;
}

export interface ExportValues {
  direction: LedgerDirection;
  from: DateParts;
  to: DateParts;
  payroll: MonthParts;
}

interface InvoicesState {
  filters: InvoiceFilters;
  outgoing: ListPage<Invoice> | null;
  incoming: ListPage<Invoice> | null;
  exports: ExportValues;
  errors: FormErrors;
}

/** The address's filters for the form. */
export function filtersFrom(query: URLSearchParams): InvoiceFilters {
  const period = query.get("period") ?? "";
  return {
    period: isPeriod(period) ? monthPartsOf(period) : { month: "", year: period ? period : "" },
    status: query.get("status") ?? "",
  };
}

/** Checks the filters; the query for the address (and the API), or the errors. */
export function validateFilters(filters: InvoiceFilters): { errors: FormErrors; query: URLSearchParams | null } {
  const errors = noErrors();
  const query = new URLSearchParams();
  const period = parseMonthParts(filters.period, "The month", true);
  if (!period.ok) addFieldError(errors, "period-month", period.error);
  else if (period.value) query.set("period", period.value);
  if (filters.status) {
    if ((INVOICE_STATUSES as readonly string[]).includes(filters.status)) query.set("status", filters.status);
    else addFieldError(errors, "status", "Select a status from the list");
  }
  return { errors, query: hasErrors(errors) ? null : query };
}

/** The API query for one direction. */
export function listQuery(direction: InvoiceDirection, filters: URLSearchParams): string {
  const out = new URLSearchParams({ direction });
  const period = filters.get("period");
  const status = filters.get("status");
  if (period) out.set("period", period);
  if (status) out.set("status", status);
  out.set("limit", String(LIST_LIMIT));
  return out.toString();
}

/**
 * What the export forms start with, by the server's today (from /me): the ledger from the first
 * day of last month to today, as the API's own default (so last month's invoices, issued early
 * this month, are in it); payroll for last month.
 */
export function defaultExports(today: string): ExportValues {
  const last = previousMonth(today);
  const [from] = monthBounds(last);
  return { direction: "both", from: datePartsOf(from), to: datePartsOf(today), payroll: monthPartsOf(last) };
}

function filtersForm(state: InvoicesState): SafeHtml {
  const { filters, errors } = state;
  return html`<form method="get" action="/invoices" novalidate id="filters-form">
  <h2 class="govuk-heading-m">Filters</h2>
  ${monthInput({
    id: "period",
    legend: "Month (optional)",
    hint: "The month the work was done, for example 9 2027",
    value: filters.period,
    error: errors.fields["period-month"],
  })}
  ${select({
    id: "status",
    label: "Status",
    items: [{ value: "", text: "Any status" }, ...INVOICE_STATUSES.map((status) => ({ value: status, text: invoiceStatusText(status) }))],
    value: filters.status,
    error: errors.fields.status,
  })}
  <div class="govuk-button-group">
    ${button("Show invoices", { secondary: true })}
    <a class="govuk-link" href="/invoices">Clear filters</a>
  </div>
</form>`;
}

function numberCell(invoice: Invoice, counterparty: string): SafeHtml {
  return html`<a class="govuk-link" href="/invoices/${invoice.id}">${invoiceName(invoice)}<span class="govuk-visually-hidden"> invoice, ${counterparty}, ${periodLabel(invoice.period)}</span></a>`;
}

function grossCell(invoice: Invoice): SafeHtml {
  return html`${formatPence(invoice.gross_pence)}${
    invoice.credited_gross_pence > 0
      ? html` <span class="govuk-body-s tp-week-note">${formatPence(invoice.credited_gross_pence)} credited</span>`
      : ""
  }`;
}

function listTable(direction: InvoiceDirection, page: ListPage<Invoice> | null, filtered: boolean): SafeHtml {
  if (page === null) return html``;
  const outgoing = direction === "outgoing";
  const none = filtered ? "No invoices match the filters." : outgoing ? "Your council has not sent any invoices yet." : "No council has sent your council an invoice yet.";
  return html`${table({
    id: direction,
    caption: outgoing ? "Invoices to other councils" : "Invoices from other councils",
    head: ["Number", outgoing ? "Customer" : "From", "Period", "Gross", "Status", "Due date"],
    rows: page.items.map((invoice) => {
      const other = outgoing ? invoice.customer.name : invoice.issuer.name;
      return [
        numberCell(invoice, other),
        other,
        periodLabel(invoice.period),
        grossCell(invoice),
        invoiceStatusTag(invoice.status),
        invoice.due_date ? formatDay(invoice.due_date) : "Not issued",
      ];
    }),
    empty: none,
    cards: { title: 0 },
  })}
${page.next_cursor ? html`<p class="govuk-body">Showing the ${LIST_LIMIT} most recent. Choose a month to see older invoices.</p>` : ""}`;
}

function exportsSection(state: InvoicesState): SafeHtml {
  const { exports: values, errors } = state;
  return html`<h2 class="govuk-heading-m" id="exports">Exports</h2>
<div class="govuk-grid-row">
  <div class="govuk-grid-column-two-thirds">
    <form method="get" action="/invoices" novalidate id="ledger-form">
      <h3 class="govuk-heading-s">Ledger export</h3>
      <p class="govuk-body">A CSV file for your council's ledger, with one row for each line of the invoices and credit notes issued between two dates.</p>
      ${select({
        id: "ledger-direction",
        name: "direction",
        label: "Invoices",
        items: [
          { value: "both", text: "Sent and received" },
          { value: "outgoing", text: "Sent to other councils" },
          { value: "incoming", text: "Received from other councils" },
        ],
        value: values.direction,
      })}
      ${dateInput({ id: "ledger-from", legend: "Issued from", hint: "For example, 1 9 2027. It starts on the first day of last month.", value: values.from, error: errors.fields["ledger-from-day"] })}
      ${dateInput({ id: "ledger-to", legend: "Issued to", hint: "For example, 30 9 2027. It starts on today's date.", value: values.to, error: errors.fields["ledger-to-day"] })}
      ${button("Download ledger CSV", { secondary: true })}
    </form>
    <form method="get" action="/invoices" novalidate id="payroll-form">
      <h3 class="govuk-heading-s">Payroll export</h3>
      <p class="govuk-body">A CSV file of the hours your council's officers worked for other councils in a month.</p>
      ${monthInput({ id: "payroll", legend: "Month", hint: "For example, 9 2027", value: values.payroll, error: errors.fields["payroll-month"] })}
      ${button("Download payroll CSV", { secondary: true })}
    </form>
  </div>
</div>`;
}

export function invoicesContent(state: InvoicesState): SafeHtml {
  const filtered = Boolean(state.filters.status || state.filters.period.month || state.filters.period.year);
  return html`${errorSummary(state.errors.summary)}
<h1 class="govuk-heading-l">${TITLE}</h1>
<p class="govuk-body">Recharges between your council and other councils for the hours their officers worked.</p>
<a href="/invoices/run" role="button" draggable="false" class="govuk-button" data-module="govuk-button" id="run-link">Run a month's recharge</a>
${filtersForm(state)}
${listTable("outgoing", state.outgoing, filtered)}
${listTable("incoming", state.incoming, filtered)}
${exportsSection(state)}`;
}

/** Checks the ledger export's dates: the download's address, or the errors. */
export function validateLedger(values: ExportValues): { errors: FormErrors; url: string | null } {
  const errors = noErrors();
  const from = parseDateParts(values.from, "The start date");
  const to = parseDateParts(values.to, "The end date");
  if (!from.ok) addFieldError(errors, "ledger-from-day", from.error);
  if (!to.ok) addFieldError(errors, "ledger-to-day", to.error);
  if (from.ok && to.ok && to.value < from.value) addFieldError(errors, "ledger-to-day", "The end date must be the same as or after the start date");
  if (!from.ok || !to.ok || hasErrors(errors)) return { errors, url: null };
  return { errors, url: ledgerHref(values.direction, from.value, to.value) };
}

export function validatePayroll(values: ExportValues): { errors: FormErrors; url: string | null } {
  const errors = noErrors();
  const period = parseMonthParts(values.payroll, "The month");
  if (!period.ok) {
    addFieldError(errors, "payroll-month", period.error);
    return { errors, url: null };
  }
  return { errors, url: payrollHref(period.value) };
}

function readExports(main: HTMLElement, previous: ExportValues): ExportValues {
  const ledger = main.querySelector<HTMLFormElement>("#ledger-form");
  const payroll = main.querySelector<HTMLFormElement>("#payroll-form");
  const direction = ledger ? formText(ledger, "direction") : previous.direction;
  return {
    direction: direction === "outgoing" || direction === "incoming" ? direction : "both",
    from: ledger ? formDate(ledger, "ledger-from") : previous.from,
    to: ledger ? formDate(ledger, "ledger-to") : previous.to,
    payroll: payroll ? formMonth(payroll, "payroll") : previous.payroll,
  };
}

function draw(view: View, state: InvoicesState): void {
  view.setTitle(errorTitle(TITLE, state.errors));
  const main = view.show(invoicesContent(state));
  if (!main) return;
  const filters = main.querySelector<HTMLFormElement>("#filters-form");
  filters?.addEventListener("submit", (event) => {
    event.preventDefault();
    const values: InvoiceFilters = { period: formMonth(filters, "period"), status: formText(filters, "status") };
    const { errors, query } = validateFilters(values);
    if (!query) {
      draw(view, { ...state, filters: values, exports: readExports(main, state.exports), errors });
      return;
    }
    const text = query.toString();
    view.navigate(text ? `/invoices?${text}` : "/invoices");
  });
  const exportForm = (id: string, check: (values: ExportValues) => { errors: FormErrors; url: string | null }) => {
    const form = main.querySelector<HTMLFormElement>(id);
    form?.addEventListener("submit", (event) => {
      event.preventDefault();
      const values = readExports(main, state.exports);
      const { errors, url } = check(values);
      if (!url) {
        draw(view, { ...state, exports: values, errors });
        return;
      }
      if (hasErrors(state.errors)) draw(view, { ...state, exports: values, errors: noErrors() });
      downloads.start(url);
    });
  };
  exportForm("#ledger-form", validateLedger);
  exportForm("#payroll-form", validatePayroll);
}

async function load(view: View, query: URLSearchParams): Promise<Pick<InvoicesState, "outgoing" | "incoming">> {
  const get = (direction: InvoiceDirection) =>
    api.get<ListPage<Invoice>>(`/invoices?${listQuery(direction, query)}`, { signal: view.signal });
  const [outgoing, incoming] = await Promise.all([get("outgoing"), get("incoming")]);
  return { outgoing, incoming };
}

export const invoicesPage: Page = {
  path: "/invoices",
  title: TITLE,
  access: "signed-in",
  roles: INVOICE_ROLES,
  nav: { label: "Invoices", order: 60 },
  async render(view) {
    const filters = filtersFrom(view.query);
    const exports = defaultExports(view.me?.today ?? "");
    const { errors, query } = validateFilters(filters);
    if (!query) {
      draw(view, { filters, outgoing: null, incoming: null, exports, errors });
      return;
    }
    let lists: Pick<InvoicesState, "outgoing" | "incoming">;
    try {
      lists = await load(view, query);
    } catch (error) {
      const problem = toProblem(error);
      if (!problem || !view.isCurrent()) return;
      if (problem.status !== 422) throw problem;
      draw(view, { filters, outgoing: null, incoming: null, exports, errors: errorsFromProblem(problem, { period: "period-month", status: "status" }) });
      return;
    }
    draw(view, { filters, ...lists, exports, errors: noErrors() });
  },
};
