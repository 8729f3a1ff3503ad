// What the invoice pages share: status tags, months ("2027-09") counted from the server's today,
// VAT wording, the month-and-year date input, the numbers drafts will take, and the links to an
// invoice's documents and the exports.
import { API_BASE, seg } from "../api";
import { html, type SafeHtml } from "../components/escape";
import type { Invoice, InvoiceStatus, Me, Role } from "../models";
import { hoursText } from "../numbers";

/** Who handles invoices (the API lets finance officers and council admins in). */
export const INVOICE_ROLES: readonly Role[] = ["finance", "council_admin"];

export const INVOICE_STATUSES: readonly InvoiceStatus[] = ["draft", "issued", "paid", "credited"];

const TAGS: Record<InvoiceStatus, { text: string; colour: string }> = {
  draft: { text: "Draft", colour: "grey" },
  issued: { text: "Issued", colour: "blue" },
  paid: { text: "Paid", colour: "green" },
  credited: { text: "Credited", colour: "purple" },
};

export function invoiceStatusText(status: InvoiceStatus): string {
  return TAGS[status]?.text ?? status;
}

export function invoiceStatusTag(status: InvoiceStatus): SafeHtml {
  const tag = TAGS[status] ?? { text: status, colour: "grey" };
  return html`<strong class="govuk-tag govuk-tag--${tag.colour}">${tag.text}</strong>`;
}

/** The invoice's number, or "Draft" before it is issued. */
export function invoiceName(invoice: Pick<Invoice, "number">): string {
  return invoice.number ?? "Draft";
}

/** 450 → "7.5 hours": minutes as the rest of the service writes hours. */
export function minutesText(minutes: number): string {
  return hoursText(minutes / 60);
}

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isPeriod(text: string | null | undefined): text is string {
  return PERIOD.test(text ?? "");
}

/** "2027-09" → "September 2027". */
export function periodLabel(period: string): string {
  const match = PERIOD.exec(period);
  if (!match) return period;
  return `${MONTHS[Number(match[2]) - 1] ?? ""} ${match[1]}`;
}

/** The month before the one `today` ("2027-10-04", the server's today from /me) falls in: "2027-09". */
export function previousMonth(today: string): string {
  const match = /^(\d{4})-(\d{2})-\d{2}$/.exec(today);
  if (!match) return "";
  const year = Number(match[1]);
  const month = Number(match[2]) - 1; // the previous month's number, 1-12 (0: December before)
  return month === 0 ? `${year - 1}-12` : `${year}-${String(month).padStart(2, "0")}`;
}

/**
 * The numbers a run of drafts will take when issued one after another, from the first draft's
 * `next_number` ("WBK-2027-000004" → "WBK-2027-000005" …); empty when the API does not say.
 */
export function nextNumbers(first: string | null | undefined, count: number): string[] {
  const match = /^(.*-)(\d+)$/.exec(first ?? "");
  if (!match) return [];
  const prefix = match[1] ?? "";
  const digits = match[2] ?? "";
  return Array.from({ length: count }, (_, i) => `${prefix}${String(Number(digits) + i).padStart(digits.length, "0")}`);
}

/** The first and last day of a month: "2027-02" → ["2027-02-01", "2027-02-28"]. */
export function monthBounds(period: string): [string, string] {
  const match = PERIOD.exec(period);
  if (!match) return ["", ""];
  const year = Number(match[1]);
  const month = Number(match[2]);
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return [`${period}-01`, `${period}-${String(last).padStart(2, "0")}`];
}

export interface MonthParts {
  month: string;
  year: string;
}

export function monthPartsOf(period: string | null | undefined): MonthParts {
  const match = PERIOD.exec(period ?? "");
  if (!match) return { month: "", year: "" };
  return { month: String(Number(match[2])), year: match[1] ?? "" };
}

export type ParsedMonth = { ok: true; value: string } | { ok: false; error: string };

/**
 * Checks a month-and-year input: "2027-09", or the message to show. `name` names the month in
 * the messages ("The month"); `optional` lets both fields be empty (the value is then "").
 */
export function parseMonthParts(parts: MonthParts, name: string, optional = false): ParsedMonth {
  const month = parts.month.trim();
  const year = parts.year.trim();
  if (!month && !year) return optional ? { ok: true, value: "" } : { ok: false, error: `Enter ${name.toLowerCase()}` };
  if (!month) return { ok: false, error: `${name} must include a month` };
  if (!year) return { ok: false, error: `${name} must include a year` };
  if (!/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year) || Number(month) < 1 || Number(month) > 12) {
    return { ok: false, error: `${name} must be a real month, like 9 2027` };
  }
  if (Number(year) < 2000 || Number(year) > 2099) return { ok: false, error: `${name} must be between 2000 and 2099` };
  return { ok: true, value: `${year}-${month.padStart(2, "0")}` };
}

export interface MonthInputOptions {
  /** The inputs are `${id}-month` and `${id}-year`; errors link to the month. */
  id: string;
  legend: string;
  legendSize?: "s" | "m";
  hint?: string;
  error?: string;
  value?: MonthParts;
}

/** GOV.UK date input with the month and year only (no day). */
export function monthInput(o: MonthInputOptions): SafeHtml {
  const describedBy = [o.hint ? `${o.id}-hint` : "", o.error ? `${o.id}-error` : ""].filter(Boolean).join(" ");
  const part = (name: keyof MonthParts, label: string, width: number) => html`<div class="govuk-date-input__item">
      <div class="govuk-form-group">
        <label class="govuk-label govuk-date-input__label" for="${o.id}-${name}">${label}</label>
        <input class="govuk-input govuk-date-input__input govuk-input--width-${width}${o.error ? " govuk-input--error" : ""}" id="${o.id}-${name}" name="${o.id}-${name}" type="text" inputmode="numeric" value="${o.value?.[name] ?? ""}">
      </div>
    </div>`;
  return html`<div class="govuk-form-group${o.error ? " govuk-form-group--error" : ""}">
  <fieldset class="govuk-fieldset" role="group"${describedBy ? html` aria-describedby="${describedBy}"` : ""}>
    <legend class="govuk-fieldset__legend govuk-fieldset__legend--${o.legendSize ?? "s"}">${o.legend}</legend>
    ${o.hint ? html`<div id="${o.id}-hint" class="govuk-hint">${o.hint}</div>` : ""}
    ${o.error ? html`<p id="${o.id}-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> ${o.error}</p>` : ""}
    <div class="govuk-date-input" id="${o.id}">
      ${part("month", "Month", 2)}
      ${part("year", "Year", 4)}
    </div>
  </fieldset>
</div>`;
}

/** Reads a month input's two fields. */
export function formMonth(form: HTMLFormElement, id: string): MonthParts {
  const data = new FormData(form);
  const get = (name: string): string => {
    const value = data.get(name);
    return typeof value === "string" ? value.trim() : "";
  };
  return { month: get(`${id}-month`), year: get(`${id}-year`) };
}

/** "2000" basis points → "20%"; 1750 → "17.5%"; 0 → "0%" (integer maths). */
export function formatRateBps(bps: number): string {
  const whole = Math.trunc(bps / 100);
  const rest = String(Math.abs(bps % 100)).padStart(2, "0").replace(/0+$/, "");
  return rest ? `${whole}.${rest}%` : `${whole}%`;
}

/** What the VAT line says: "VAT at 20%", or the reason for another treatment. */
export function vatLabel(invoice: Pick<Invoice, "vat_category" | "vat_rate_bps" | "vat_reason">): string {
  if (invoice.vat_category === "S") return `VAT at ${formatRateBps(invoice.vat_rate_bps)}`;
  if (invoice.vat_reason) return `VAT: ${invoice.vat_reason}`;
  if (invoice.vat_category === "Z") return "VAT at 0% (zero rated)";
  return "VAT";
}

/** Gross less what credit notes took off. */
export function outstandingPence(invoice: Pick<Invoice, "gross_pence" | "credited_gross_pence">): number {
  return invoice.gross_pence - invoice.credited_gross_pence;
}

export type DocumentFormat = "pdf" | "csv" | "ubl";

export const DOCUMENT_FORMATS: readonly { format: DocumentFormat; text: string }[] = [
  { format: "pdf", text: "PDF" },
  { format: "csv", text: "CSV" },
  { format: "ubl", text: "UBL (PEPPOL BIS Billing 3.0 XML)" },
];

/** The invoice as a file: a plain link to the API (the router leaves /api/ links alone). */
export function documentHref(id: string, format: DocumentFormat): string {
  return `${API_BASE}/invoices/${seg(id)}/document?format=${format}`;
}

export type LedgerDirection = "both" | "outgoing" | "incoming";

export function ledgerHref(direction: LedgerDirection, from: string, to: string): string {
  return `${API_BASE}/exports/invoices.csv?${new URLSearchParams({ direction, from, to }).toString()}`;
}

export function payrollHref(period: string): string {
  return `${API_BASE}/exports/payroll.csv?${new URLSearchParams({ period }).toString()}`;
}

/** Starts a download (the export answers with an attachment, so the page stays). Tests replace it. */
export const downloads = {
  start(url: string): void {
    window.location.assign(url);
  },
};

/** Whether the signed-in person is on the issuing side of the invoice. */
export function isIssuer(me: Me | null, invoice: Pick<Invoice, "issuer">): boolean {
  return me?.council?.id === invoice.issuer.id;
}
