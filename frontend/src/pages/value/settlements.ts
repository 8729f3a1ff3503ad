// Net settlement between two councils per month: the list of a month's statements, and one
// statement, where the paying council records its payment and the receiving council confirms it.
import { api, seg, toProblem } from "../../api";
import { errorSummary } from "../../components/errorSummary";
import { html, type SafeHtml } from "../../components/escape";
import { addFieldError, errorTitle, errorsFromProblem, noErrors, type FormErrors } from "../../components/formErrors";
import { button, dateInput, formDate, formText, parseDateParts, select, textInput, type DateParts } from "../../components/forms";
import { notificationBanner, type BannerOptions } from "../../components/notificationBanner";
import { submitGuard } from "../../components/submit";
import { summaryList } from "../../components/summaryList";
import { table } from "../../components/table";
import { formatDate, formatPence } from "../../format";
import type { Me } from "../../models";
import type { Page, View } from "../../page";
import { monthLabel } from "./dashboard";
import type { Settlement, SettlementList } from "./valueTypes";

const FINANCE: Page["roles"] = ["finance", "council_admin"];
const STATUS: Record<Settlement["status"], string> = {
  open: "Waiting for payment",
  payment_recorded: "Payment recorded, waiting for confirmation",
  settled: "Settled",
};

/** The month before the server's today, as YYYY-MM. */
export function lastMonth(today: string): string {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, "0")}`;
}

/** This month and the 12 before it, newest first. */
export function recentMonths(today: string): string[] {
  const out: string[] = [today.slice(0, 7)];
  let current = lastMonth(today);
  for (let i = 0; i < 12; i += 1) {
    out.push(current);
    current = lastMonth(`${current}-01`);
  }
  return out;
}

function partnerOf(s: Settlement, me: Me | null): Settlement["councils"][number] {
  return s.councils.find((c) => c.id !== me?.council?.id) ?? s.payee;
}

export function directionText(s: Settlement, me: Me | null): string {
  const mine = me?.council?.id;
  if (s.net_pence === 0) return "Nothing to pay either way";
  if (s.payer.id === mine) return `You pay ${s.payee.name} ${formatPence(s.net_pence)}`;
  if (s.payee.id === mine) return `${s.payer.name} pays you ${formatPence(s.net_pence)}`;
  return `${s.payer.name} pays ${s.payee.name} ${formatPence(s.net_pence)}`;
}

export const settlementsPage: Page = {
  path: "/settlements",
  title: "Settlements",
  access: "signed-in",
  roles: FINANCE,
  nav: { label: "Settlements", order: 62 },
  async render(view) {
    const today = view.me?.today ?? "2026-01-01";
    const months = recentMonths(today);
    const asked = view.query.get("period") ?? "";
    const period = months.includes(asked) ? asked : lastMonth(today);
    const found = await api.get<SettlementList>(`/settlements?period=${period}`, { signal: view.signal });
    const main = view.show(html`<h1 class="govuk-heading-l">Settlements</h1>
<p class="govuk-body">Each month, for each council you invoiced or were invoiced by, one statement nets the unpaid invoices and credit notes both ways into one payment. The VAT invoices do not change.</p>
<form method="get" action="/settlements" novalidate id="period-form">
${select({ id: "period", label: "Month", value: period, items: months.map((m) => ({ value: m, text: monthLabel(m) })) })}
${button("Show statements", { secondary: true })}
</form>
${table({
  id: "statements",
  caption: `Statements for ${monthLabel(period)}`,
  head: ["Partner council", "Net payment", "Status", "Statement"],
  rows: found.items.map((s) => [
    partnerOf(s, view.me).name,
    directionText(s, view.me),
    STATUS[s.status],
    html`<a class="govuk-link" href="/settlements/${s.id}">${s.reference}</a>`,
  ]),
  cards: { title: 0, actions: 3 },
  empty: "No unpaid invoices between your council and another in this month.",
})}`);
    main?.querySelector<HTMLFormElement>("#period-form")?.addEventListener("submit", (event) => {
      event.preventDefault();
      view.navigate(`/settlements?period=${formText(event.currentTarget as HTMLFormElement, "period")}`);
    });
  },
};

interface StatementState {
  statement: Settlement;
  reference: string;
  paidOn: DateParts;
  errors: FormErrors;
  banner: BannerOptions | null;
}

function paymentForm(state: StatementState): SafeHtml {
  const s = state.statement;
  return html`<h2 class="govuk-heading-m">Record your payment</h2>
<p class="govuk-body">Pay ${s.payee.name} ${formatPence(s.net_pence)} quoting ${s.reference}, then record it here. The statement cannot change after that; ${s.payee.name} confirms when the money arrives.</p>
<form method="post" action="/settlements/${s.id}/payment" novalidate id="payment-form">
${textInput({ id: "reference", label: "Payment reference", hint: "As it appears on your bank statement", maxlength: 100, spellcheck: false, autocomplete: "off", value: state.reference, error: state.errors.fields.reference })}
${dateInput({ id: "paid-on", legend: "Date paid", hint: "For example, 27 1 2027", value: state.paidOn, error: state.errors.fields["paid-on-day"] })}
${button("Record payment")}
</form>`;
}

function confirmForm(s: Settlement): SafeHtml {
  return html`<h2 class="govuk-heading-m">Confirm you received the payment</h2>
<p class="govuk-body">${s.payer.name} recorded paying ${formatPence(s.net_pence)} on ${formatDate(s.paid_on)}, reference ${s.payment_reference ?? ""}. When you confirm, every invoice on this statement is marked paid, for both councils.</p>
<form method="post" action="/settlements/${s.id}/confirm" novalidate id="confirm-form">${button("Confirm payment received")}</form>`;
}

export function statementContent(state: StatementState, me: Me | null): SafeHtml {
  const s = state.statement;
  const mine = me?.council?.id;
  const a = s.councils[0] ?? s.payer;
  const b = s.councils[1] ?? s.payee;
  return html`${errorSummary(state.errors.summary)}${state.banner ? notificationBanner(state.banner) : ""}
<span class="govuk-caption-l">Settlement statement for ${monthLabel(s.period)}</span>
<h1 class="govuk-heading-l">${s.reference}</h1>
${summaryList([
  { key: "Between", value: `${a.name} and ${b.name}` },
  { key: `${a.name}'s documents`, value: formatPence(s.a_to_b_pence) },
  { key: `${b.name}'s documents`, value: formatPence(s.b_to_a_pence) },
  { key: "Net payment", value: directionText(s, me) },
  { key: "Status", value: STATUS[s.status] },
  ...(s.payment_reference ? [{ key: "Payment", value: `${s.payment_reference}, ${formatDate(s.paid_on)}` }] : []),
])}
${table({
  id: "documents",
  caption: "Invoices and credit notes covered",
  head: ["Document", "Issued by", "Date", "Amount"],
  rows: s.invoices.map((i) => [
    `${i.kind === "credit_note" ? "Credit note" : "Invoice"} ${i.number}`,
    i.issuer.name,
    formatDate(i.issue_date),
    i.kind === "credit_note" ? `-${formatPence(i.gross_pence)}` : formatPence(i.gross_pence),
  ]),
  cards: { title: 0 },
})}
<p class="govuk-body">Download: <a class="govuk-link" href="/api/v1/settlements/${s.id}/document?format=pdf" download>PDF</a> · <a class="govuk-link" href="/api/v1/settlements/${s.id}/document?format=csv" download>CSV</a></p>
<p class="govuk-body">The VAT invoices do not change: each council accounts for the VAT on its own invoices. Until a payment is recorded, this statement follows the invoices as they are paid, issued or credited.</p>
${s.status === "open" && s.payer.id === mine ? paymentForm(state) : ""}
${s.status === "payment_recorded" && s.payee.id === mine ? confirmForm(s) : ""}
<p class="govuk-body"><a class="govuk-link" href="/settlements?period=${s.period}">All statements for ${monthLabel(s.period)}</a></p>`;
}

async function act(view: View, state: StatementState, path: string, body: unknown, banner: BannerOptions): Promise<void> {
  let statement: Settlement;
  try {
    statement = await api.post<Settlement>(`/settlements/${seg(state.statement.id)}/${path}`, body, { signal: view.signal });
  } catch (error) {
    const problem = toProblem(error);
    if (!problem || !view.isCurrent()) return;
    draw(view, { ...state, errors: errorsFromProblem(problem, { reference: "reference", paid_on: "paid-on-day" }), banner: null });
    return;
  }
  if (view.isCurrent()) draw(view, { statement, reference: "", paidOn: { day: "", month: "", year: "" }, errors: noErrors(), banner });
}

function draw(view: View, state: StatementState): void {
  view.setTitle(errorTitle(`Settlement ${state.statement.reference}`, state.errors));
  const main = view.show(statementContent(state, view.me));
  if (!main) return;
  const on = submitGuard();
  on(main.querySelector<HTMLFormElement>("#payment-form"), (form) => {
    const reference = formText(form, "reference");
    const paidOn = formDate(form, "paid-on");
    const errors = noErrors();
    if (!reference) addFieldError(errors, "reference", "Enter the payment reference");
    const parsed = parseDateParts(paidOn, "The date paid");
    if (!parsed.ok) addFieldError(errors, "paid-on-day", parsed.error);
    if (errors.summary.length || !parsed.ok) {
      draw(view, { ...state, reference, paidOn, errors, banner: null });
      return;
    }
    return act(view, { ...state, reference, paidOn }, "payment", { reference, paid_on: parsed.value }, {
      heading: "Payment recorded",
      text: `${state.statement.payee.name} will confirm when it arrives.`,
      success: true,
    });
  });
  on(main.querySelector<HTMLFormElement>("#confirm-form"), () =>
    act(view, state, "confirm", {}, { heading: "Settled", text: "Every invoice on this statement is marked paid.", success: true }),
  );
}

export const settlementPage: Page = {
  path: "/settlements/:id",
  title: "Settlement statement",
  access: "signed-in",
  roles: FINANCE,
  async render(view) {
    const statement = await api.get<Settlement>(`/settlements/${seg(view.params.id ?? "")}`, { signal: view.signal });
    draw(view, { statement, reference: "", paidOn: { day: "", month: "", year: "" }, errors: noErrors(), banner: null });
  },
};
