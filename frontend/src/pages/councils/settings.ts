// The council's settings, for council admins (finance may read): a task list of four groups,
// each a form, then "check your answers" before anything is saved (every change is audited).
import { api, seg } from "../../api";
import type { CouncilSettings } from "../../councilTypes";
import { errorSummary } from "../../components/errorSummary";
import { html, type SafeHtml } from "../../components/escape";
import { addFieldError, errorTitle, hasErrors, noErrors, type FormErrors } from "../../components/formErrors";
import { button, formText, formValues, textInput, textarea } from "../../components/forms";
import { notificationBanner } from "../../components/notificationBanner";
import { formatPence } from "../../format";
import { parsePounds, penceToPounds } from "../../numbers";
import type { Page, View } from "../../page";
import { setFlash, takeFlash } from "../../session";
import { backLink, failure, onSubmit, splitList, summaryCard, summaryRows, tag, type CardRow } from "./kit";

type Kind = "text" | "email" | "lines" | "list" | "percent" | "vat" | "pounds" | "days" | "yesno" | "treatment";

export interface FieldSpec {
  key: string;
  label: string;
  kind: Kind;
  hint?: string;
  /** Needed before the group counts as complete. */
  required?: boolean;
}

export interface Section {
  slug: string;
  title: string;
  intro: string;
  fields: FieldSpec[];
}

const TREATMENTS: Record<string, string> = {
  standard: "Standard rated",
  zero: "Zero rated",
  exempt: "Exempt",
  outside_scope: "Outside the scope of VAT",
};

export const SECTIONS: readonly Section[] = [
  {
    slug: "invoicing",
    title: "Invoicing and VAT",
    intro: "What your council's recharge invoices say: the VAT, the address and who to contact.",
    fields: [
      { key: "vat_treatment", label: "VAT treatment", kind: "treatment", hint: "Staff lent between councils are normally standard rated (HMRC VATGPB8860)." },
      { key: "vat_rate_bps", label: "VAT rate", kind: "vat", hint: "For standard rated supplies, for example 20." },
      { key: "vat_reason", label: "Reason for this VAT treatment", kind: "text", hint: "Needed unless standard rated; printed on every invoice line." },
      { key: "vat_number", label: "VAT registration number", kind: "text", hint: "For example GB123456789.", required: true },
      { key: "finance_email", label: "Finance email address", kind: "email", hint: "Where other councils send questions about your invoices.", required: true },
      { key: "address_lines", label: "Invoice address", kind: "lines", hint: "Up to 4 lines, one a line, without the town and postcode.", required: true },
      { key: "town", label: "Town or city", kind: "text", required: true },
      { key: "postcode", label: "Postcode", kind: "text", required: true },
      { key: "invoice_address", label: "Invoice address", kind: "lines", required: true },
      { key: "payment_terms_days", label: "Payment terms", kind: "days", hint: "Days from the invoice date to the due date." },
      { key: "ledger_code", label: "Ledger code", kind: "text", hint: "Optional: printed on your exports for your finance system." },
      { key: "cost_centre", label: "Cost centre", kind: "text" },
      { key: "subjective_code", label: "Subjective code", kind: "text" },
    ],
  },
  {
    slug: "bookings",
    title: "Bookings rules",
    intro: "What other councils must do to book your officers, and your officers' default rate.",
    fields: [
      { key: "po_required", label: "Does your council need a purchase order number on every booking it makes?", kind: "yesno" },
      { key: "cancellation_notice_days", label: "Cancellation notice", kind: "days", hint: "Working days before a booked week starts." },
      { key: "late_cancellation_charge", label: "Do you charge for late cancellations?", kind: "yesno" },
      { key: "late_cancellation_charge_percent", label: "Charge for late cancellations", kind: "percent", hint: "The share of the booked hours charged when a booking is cancelled inside the notice period: 0 for none." },
      { key: "default_rate_pence_per_hour", label: "Default recharge rate", kind: "pounds", hint: "Pounds per hour, for officers without a rate of their own." },
    ],
  },
  {
    slug: "people",
    title: "People and domains",
    intro: "The email domains your council invites people at. Invitations to other addresses are refused.",
    fields: [{ key: "email_domains", label: "Email domains", kind: "list", hint: "One a line, for example westberks.gov.uk.", required: true }],
  },
  {
    slug: "payments",
    title: "Payments",
    intro: "How other councils pay your invoices. Invoices cannot be issued without bank details.",
    fields: [
      { key: "bank_account_name", label: "Bank account name", kind: "text", required: true },
      { key: "bank_sort_code", label: "Sort code", kind: "text", hint: "6 digits, for example 30-99-50.", required: true },
      { key: "bank_account_number", label: "Account number", kind: "text", hint: "8 digits.", required: true },
      { key: "remittance_email", label: "Remittance email address", kind: "email", hint: "Where payers send remittance advice." },
      { key: "stripe_enabled", label: "Can other councils pay your invoices by card (Stripe)?", kind: "yesno" },
    ],
  },
];

/** The fields of a section this server has (a field the API does not return is not shown). */
export function fieldsOf(section: Section, settings: CouncilSettings): FieldSpec[] {
  const structured = "address_lines" in settings;
  return section.fields.filter((f) => f.key in settings && !(structured && f.key === "invoice_address"));
}

function isSet(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return value !== null && value !== undefined && value !== "";
}

export function sectionComplete(section: Section, settings: CouncilSettings): boolean {
  return fieldsOf(section, settings).every((f) => !f.required || isSet(settings[f.key]) || (f.key === "vat_number" && settings.vat_treatment !== "standard"));
}

export function display(field: FieldSpec, value: unknown): string {
  if (!isSet(value)) return "Not set";
  switch (field.kind) {
    case "lines":
      return Array.isArray(value) ? value.join(", ") : String(value).replace(/\n/g, ", ");
    case "list":
      return (value as string[]).join(", ");
    case "percent":
      return `${String(value)}%`;
    case "vat":
      return `${Number(value) / 100}%`;
    case "pounds":
      return `${formatPence(Number(value))} an hour`;
    case "days":
      return `${String(value)} days`;
    case "yesno":
      return value ? "Yes" : "No";
    case "treatment":
      return TREATMENTS[String(value)] ?? String(value);
    default:
      return String(value);
  }
}

function inputValue(field: FieldSpec, value: unknown): string {
  if (!isSet(value)) return "";
  if (field.kind === "lines" || field.kind === "list") return Array.isArray(value) ? value.join("\n") : String(value);
  if (field.kind === "vat") return String(Number(value) / 100);
  if (field.kind === "pounds") return penceToPounds(Number(value));
  return String(value);
}

function fieldId(field: FieldSpec): string {
  return field.key.replace(/_/g, "-");
}

function control(field: FieldSpec, value: string, error: string | undefined): SafeHtml {
  const id = fieldId(field);
  if (field.kind === "yesno" || field.kind === "treatment") {
    const options = field.kind === "yesno" ? [["true", "Yes"], ["false", "No"]] : Object.entries(TREATMENTS);
    return html`<div class="govuk-form-group${error ? " govuk-form-group--error" : ""}">
<fieldset class="govuk-fieldset"${field.hint || error ? html` aria-describedby="${[field.hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ")}"` : ""}>
<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">${field.label}</legend>
${field.hint ? html`<div id="${id}-hint" class="govuk-hint">${field.hint}</div>` : ""}
${error ? html`<p id="${id}-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> ${error}</p>` : ""}
<div class="govuk-radios${field.kind === "yesno" ? " govuk-radios--inline" : ""}" data-module="govuk-radios">
${options.map(([v, text], i) => html`<div class="govuk-radios__item"><input class="govuk-radios__input" id="${i === 0 ? id : `${id}-${v}`}" name="${field.key}" type="radio" value="${v}"${v === value ? html` checked` : ""}><label class="govuk-label govuk-radios__label" for="${i === 0 ? id : `${id}-${v}`}">${text}</label></div>`)}
</div></fieldset></div>`;
  }
  if (field.kind === "lines" || field.kind === "list")
    return textarea({ id, name: field.key, label: field.label, labelClass: "govuk-label--s", hint: field.hint, value, error, rows: 4 });
  const numeric = ["percent", "vat", "pounds", "days"].includes(field.kind);
  const suffix = field.kind === "percent" || field.kind === "vat" ? "%" : field.kind === "days" ? "days" : undefined;
  return textInput({
    id,
    name: field.key,
    label: field.label,
    labelClass: "govuk-label--s",
    hint: field.hint,
    value,
    error,
    type: field.kind === "email" ? "email" : "text",
    spellcheck: field.kind === "email" ? false : undefined,
    inputmode: numeric ? (field.kind === "pounds" || field.kind === "vat" ? "decimal" : "numeric") : undefined,
    inputClass: numeric ? "govuk-input--width-5" : undefined,
    prefix: field.kind === "pounds" ? "£" : undefined,
    suffix,
  });
}

/** Reads one field from the form as the API wants it, or the message to show. */
export function parseField(field: FieldSpec, text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  const name = field.label.toLowerCase();
  switch (field.kind) {
    case "yesno":
      return text ? { ok: true, value: text === "true" } : { ok: false, error: `Select yes or no` };
    case "treatment":
      return text ? { ok: true, value: text } : { ok: false, error: "Select the VAT treatment" };
    case "lines":
      if (field.key === "invoice_address") return { ok: true, value: text };
      return { ok: true, value: text.split("\n").map((l) => l.trim()).filter(Boolean) };
    case "list":
      return { ok: true, value: splitList(text) };
    case "pounds": {
      const pounds = parsePounds(text, "The default recharge rate");
      return pounds.ok ? { ok: true, value: pounds.value } : pounds;
    }
    case "vat": {
      if (!/^\d+(\.\d{1,2})?$/.test(text)) return { ok: false, error: "Enter the VAT rate as a number, like 20" };
      return { ok: true, value: Math.round(Number(text) * 100) };
    }
    case "percent":
    case "days":
      if (!/^\d+$/.test(text)) return { ok: false, error: `Enter the ${name} as a whole number` };
      return { ok: true, value: Number(text) };
    default:
      return { ok: true, value: text === "" ? null : text };
  }
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

interface FormState {
  section: Section;
  settings: CouncilSettings;
  texts: Record<string, string>;
  errors: FormErrors;
}

function councilId(view: View): string {
  return view.me?.council?.id ?? "";
}

function drawForm(view: View, state: FormState): void {
  const { section, settings, texts, errors } = state;
  view.setTitle(errorTitle(section.title, errors));
  const fields = fieldsOf(section, settings);
  const main = view.show(html`${backLink("/council/settings")}
<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">${errorSummary(errors.summary)}
<span class="govuk-caption-l">Council settings</span>
<h1 class="govuk-heading-l">${section.title}</h1>
<p class="govuk-body">${section.intro}</p>
<form method="post" action="${view.path}" novalidate id="settings-form">
${fields.map((f) => control(f, texts[f.key] ?? "", errors.fields[fieldId(f)]))}
${button("Continue")}
</form></div></div>`);
  onSubmit(main, "#settings-form", async (form) => {
    const next: Record<string, string> = {};
    for (const f of fields) next[f.key] = f.kind === "lines" || f.kind === "list" ? ((new FormData(form).get(f.key) as string | null) ?? "").trim() : formText(form, f.key) || (formValues(form, f.key)[0] ?? "");
    const found = noErrors();
    const changes: Record<string, unknown> = {};
    for (const f of fields) {
      const parsed = parseField(f, next[f.key] ?? "");
      if (!parsed.ok) addFieldError(found, fieldId(f), parsed.error);
      else if (!same(parsed.value, settings[f.key]) && !(parsed.value === null && !isSet(settings[f.key]))) changes[f.key] = parsed.value;
    }
    if (hasErrors(found)) {
      drawForm(view, { ...state, texts: next, errors: found });
      return;
    }
    drawCheck(view, { ...state, texts: next, errors: noErrors() }, changes);
  });
}

function drawCheck(view: View, state: FormState, changes: Record<string, unknown>): void {
  const { section, settings } = state;
  const keys = Object.keys(changes);
  view.setTitle(`Check your changes: ${section.title}`);
  const rows: CardRow[] = fieldsOf(section, settings)
    .filter((f) => keys.includes(f.key))
    .map((f) => ({ key: f.label, value: html`${display(f, changes[f.key])} <span class="govuk-hint govuk-!-margin-bottom-0">was ${display(f, settings[f.key])}</span>` }));
  const main = view.show(html`<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">${errorSummary(state.errors.summary)}
<span class="govuk-caption-l">${section.title}</span>
<h1 class="govuk-heading-l">Check your changes</h1>
${keys.length === 0 ? html`<p class="govuk-body">You have not changed anything.</p>` : summaryRows(rows)}
<form method="post" action="${view.path}" novalidate id="check-form">
<div class="govuk-button-group">
${keys.length ? button("Save changes") : ""}
<button type="button" class="govuk-button govuk-button--secondary" data-module="govuk-button" id="change-answers">Change your answers</button>
</div></form></div></div>`);
  main?.querySelector("#change-answers")?.addEventListener("click", () => drawForm(view, state));
  onSubmit(main, "#check-form", async () => {
    try {
      await api.patch(`/councils/${seg(councilId(view))}/settings`, changes, { signal: view.signal });
    } catch (error) {
      const fields = Object.fromEntries(fieldsOf(section, settings).map((f) => [f.key, fieldId(f)]));
      const failed = failure(error, fields);
      if (failed && view.isCurrent()) drawForm(view, { ...state, errors: failed.errors });
      return;
    }
    setFlash({ heading: `${section.title} saved`, success: true });
    view.navigate("/council/settings");
  });
}

function loadSettings(view: View): Promise<CouncilSettings> {
  return api.get<CouncilSettings>(`/councils/${seg(councilId(view))}/settings`, { signal: view.signal });
}

export function taskList(settings: CouncilSettings, editable: boolean): SafeHtml {
  return html`<ul class="govuk-task-list" id="settings-tasks">
${SECTIONS.map((section) => {
  const done = sectionComplete(section, settings);
  const id = `task-${section.slug}`;
  return html`<li class="govuk-task-list__item govuk-task-list__item--with-link">
  <div class="govuk-task-list__name-and-hint">${editable ? html`<a class="govuk-link govuk-task-list__link" href="/council/settings/${section.slug}" aria-describedby="${id}-status">${section.title}</a>` : html`<span id="${id}-name">${section.title}</span>`}</div>
  <div class="govuk-task-list__status" id="${id}-status">${done ? "Completed" : tag("Incomplete", "blue")}</div>
</li>`;
})}
</ul>`;
}

export const settingsPage: Page = {
  path: "/council/settings",
  title: "Council settings",
  access: "signed-in",
  roles: ["council_admin", "finance"],
  async render(view) {
    const settings = await loadSettings(view);
    const editable = Boolean(view.me?.roles.includes("council_admin"));
    const flash = takeFlash();
    view.show(html`${flash ? notificationBanner(flash) : ""}
<span class="govuk-caption-l">${view.me?.council?.name ?? ""}</span>
<h1 class="govuk-heading-l">Council settings</h1>
${editable ? html`<p class="govuk-body">Each change is recorded in your council's <a class="govuk-link" href="/audit?entity=council&entity_id=${councilId(view)}">history</a>.</p>` : html`<p class="govuk-body">Only council admins can change these.</p>`}
${taskList(settings, editable)}
${SECTIONS.map((section) => summaryCard(section.title, fieldsOf(section, settings).map((f) => ({ key: f.label, value: display(f, settings[f.key]), change: editable ? `/council/settings/${section.slug}` : undefined })), `card-${section.slug}`))}`);
  },
};

export const settingsSectionPage: Page = {
  path: "/council/settings/:section",
  title: "Council settings",
  access: "signed-in",
  roles: ["council_admin"],
  async render(view) {
    const section = SECTIONS.find((s) => s.slug === view.params.section);
    if (!section) {
      view.navigate("/council/settings", { replace: true });
      return;
    }
    const settings = await loadSettings(view);
    const texts = Object.fromEntries(fieldsOf(section, settings).map((f) => [f.key, inputValue(f, settings[f.key])]));
    drawForm(view, { section, settings, texts, errors: noErrors() });
  },
};
