// GOV.UK form controls as HTML. Labels, hints and error messages are wired up with
// aria-describedby as the Design System's own macros do.
import { html, type SafeHtml } from "./escape";

/** Loose on purpose: the server validates email addresses properly; this catches slips. */
export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function describedBy(...ids: (string | false | null | undefined)[]): SafeHtml {
  const list = ids.filter((id): id is string => Boolean(id));
  return list.length ? html` aria-describedby="${list.join(" ")}"` : html``;
}

function errorMessage(id: string, message: string | undefined): SafeHtml {
  if (!message) return html``;
  return html`<p id="${id}-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> ${message}</p>`;
}

function hint(id: string, text: string | undefined): SafeHtml {
  return text ? html`<div id="${id}-hint" class="govuk-hint">${text}</div>` : html``;
}

export interface InputOptions {
  id: string;
  name?: string;
  label: string;
  /** Makes the label the page's h1 (for one-question pages). */
  labelAsHeading?: boolean;
  labelClass?: string;
  value?: string | null;
  hint?: string;
  error?: string;
  type?: "text" | "email" | "password" | "tel" | "number";
  autocomplete?: string;
  spellcheck?: boolean;
  inputClass?: string;
  maxlength?: number;
  /** "decimal" for hours and amounts, "numeric" for whole numbers (GOV.UK: not type=number). */
  inputmode?: "decimal" | "numeric" | "text";
  /** Shown before or after the field, e.g. "£" or "hours" (hidden from screen readers). */
  prefix?: string;
  suffix?: string;
}

export function textInput(o: InputOptions): SafeHtml {
  const type = o.type ?? "text";
  const input = html`<input class="govuk-input${o.inputClass ? ` ${o.inputClass}` : ""}${o.error ? " govuk-input--error" : ""}" id="${o.id}" name="${o.name ?? o.id}" type="${type}" value="${o.value ?? ""}"${o.inputmode ? html` inputmode="${o.inputmode}"` : ""}${o.autocomplete ? html` autocomplete="${o.autocomplete}"` : ""}${o.spellcheck === false ? html` spellcheck="false"` : ""}${o.maxlength ? html` maxlength="${o.maxlength}"` : ""}${describedBy(o.hint && `${o.id}-hint`, o.error && `${o.id}-error`)}>`;
  return html`<div class="govuk-form-group${o.error ? " govuk-form-group--error" : ""}">
  <label class="govuk-label${o.labelClass ? ` ${o.labelClass}` : ""}" for="${o.id}">${o.label}</label>
  ${hint(o.id, o.hint)}
  ${errorMessage(o.id, o.error)}
  ${o.prefix || o.suffix ? html`<div class="govuk-input__wrapper">${o.prefix ? html`<div class="govuk-input__prefix" aria-hidden="true">${o.prefix}</div>` : ""}${input}${o.suffix ? html`<div class="govuk-input__suffix" aria-hidden="true">${o.suffix}</div>` : ""}</div>` : input}
</div>`;
}

/** GOV.UK password input: a password field with a "Show" button (PasswordInput component). */
export function passwordInput(o: Omit<InputOptions, "type" | "value">): SafeHtml {
  return html`<div class="govuk-form-group govuk-password-input${o.error ? " govuk-form-group--error" : ""}" data-module="govuk-password-input">
  <label class="govuk-label${o.labelClass ? ` ${o.labelClass}` : ""}" for="${o.id}">${o.label}</label>
  ${hint(o.id, o.hint)}
  ${errorMessage(o.id, o.error)}
  <div class="govuk-input__wrapper govuk-password-input__wrapper">
    <input class="govuk-input govuk-password-input__input govuk-js-password-input-input${o.error ? " govuk-input--error" : ""}" id="${o.id}" name="${o.name ?? o.id}" type="password" spellcheck="false" autocapitalize="none" autocomplete="${o.autocomplete ?? "current-password"}"${describedBy(o.hint && `${o.id}-hint`, o.error && `${o.id}-error`)}>
    <button type="button" class="govuk-button govuk-button--secondary govuk-password-input__toggle govuk-js-password-input-toggle" data-module="govuk-button" aria-controls="${o.id}" aria-label="Show password" hidden>Show</button>
  </div>
</div>`;
}

export interface TextareaOptions {
  id: string;
  name?: string;
  label: string;
  labelClass?: string;
  value?: string | null;
  hint?: string;
  error?: string;
  rows?: number;
  /** Adds the GOV.UK character count. */
  maxlength?: number;
}

export function textarea(o: TextareaOptions): SafeHtml {
  const rows = o.rows ?? 5;
  const field = html`<label class="govuk-label${o.labelClass ? ` ${o.labelClass}` : ""}" for="${o.id}">${o.label}</label>
  ${hint(o.id, o.hint)}
  ${errorMessage(o.id, o.error)}`;
  if (o.maxlength) {
    return html`<div class="govuk-form-group govuk-character-count${o.error ? " govuk-form-group--error" : ""}" data-module="govuk-character-count" data-maxlength="${o.maxlength}">
  ${field}
  <textarea class="govuk-textarea govuk-js-character-count${o.error ? " govuk-textarea--error" : ""}" id="${o.id}" name="${o.name ?? o.id}" rows="${rows}"${describedBy(`${o.id}-info`, o.hint && `${o.id}-hint`, o.error && `${o.id}-error`)}>${o.value ?? ""}</textarea>
  <div id="${o.id}-info" class="govuk-hint govuk-character-count__message">You can enter up to ${o.maxlength} characters</div>
</div>`;
  }
  return html`<div class="govuk-form-group${o.error ? " govuk-form-group--error" : ""}">
  ${field}
  <textarea class="govuk-textarea${o.error ? " govuk-textarea--error" : ""}" id="${o.id}" name="${o.name ?? o.id}" rows="${rows}"${describedBy(o.hint && `${o.id}-hint`, o.error && `${o.id}-error`)}>${o.value ?? ""}</textarea>
</div>`;
}

export interface CheckboxItem {
  value: string;
  text: string;
  hint?: string;
  checked?: boolean;
  /** Defaults to `${idPrefix}` for the first item and `${idPrefix}-${value}` for the others. */
  id?: string;
}

export interface CheckboxesOptions {
  idPrefix: string;
  name: string;
  legend: string;
  /** "s" | "m" | "l" | "xl", or "heading-m" etc. to put an h2 inside the legend. */
  legendSize?: "s" | "m" | "l";
  legendIsHeading?: boolean;
  /** Keeps the legend for screen readers only (when a visible heading already names the group). */
  legendHidden?: boolean;
  hint?: string;
  error?: string;
  items: readonly CheckboxItem[];
  small?: boolean;
}

export function checkboxItemId(idPrefix: string, index: number, value: string): string {
  return index === 0 ? idPrefix : `${idPrefix}-${value.replace(/[^A-Za-z0-9_-]/g, "-")}`;
}

export function checkboxes(o: CheckboxesOptions): SafeHtml {
  const size = o.legendSize ?? "m";
  const legendContent = o.legendIsHeading ? html`<h2 class="govuk-fieldset__heading">${o.legend}</h2>` : html`${o.legend}`;
  return html`<div class="govuk-form-group${o.error ? " govuk-form-group--error" : ""}">
  <fieldset class="govuk-fieldset"${describedBy(o.hint && `${o.idPrefix}-hint`, o.error && `${o.idPrefix}-error`)}>
    <legend class="govuk-fieldset__legend govuk-fieldset__legend--${size}${o.legendHidden ? " govuk-visually-hidden" : ""}">${legendContent}</legend>
    ${hint(o.idPrefix, o.hint)}
    ${errorMessage(o.idPrefix, o.error)}
    <div class="govuk-checkboxes${o.small ? " govuk-checkboxes--small" : ""}" data-module="govuk-checkboxes">
      ${o.items.map((item, index) => {
        const id = item.id ?? checkboxItemId(o.idPrefix, index, item.value);
        return html`<div class="govuk-checkboxes__item">
        <input class="govuk-checkboxes__input" id="${id}" name="${o.name}" type="checkbox" value="${item.value}"${item.checked ? html` checked` : ""}${item.hint ? html` aria-describedby="${id}-item-hint"` : ""}>
        <label class="govuk-label govuk-checkboxes__label" for="${id}">${item.text}</label>
        ${item.hint ? html`<div id="${id}-item-hint" class="govuk-hint govuk-checkboxes__hint">${item.hint}</div>` : ""}
      </div>`;
      })}
    </div>
  </fieldset>
</div>`;
}

export interface ButtonOptions {
  secondary?: boolean;
  warning?: boolean;
  /** Extra classes, e.g. "govuk-!-margin-bottom-0" for buttons in tables. */
  classes?: string;
  id?: string;
  name?: string;
  value?: string;
  type?: "submit" | "button";
}

/** `text` may be SafeHtml, e.g. with a visually hidden part naming what the button acts on. */
export function button(text: string | SafeHtml, options: ButtonOptions = {}): SafeHtml {
  const variant = options.warning ? " govuk-button--warning" : options.secondary ? " govuk-button--secondary" : "";
  return html`<button type="${options.type ?? "submit"}" class="govuk-button${variant}${options.classes ? ` ${options.classes}` : ""}" data-module="govuk-button" data-prevent-double-click="true"${options.id ? html` id="${options.id}"` : ""}${options.name ? html` name="${options.name}"` : ""}${options.value ? html` value="${options.value}"` : ""}>${text}</button>`;
}

/** Reads a text field from a form, trimmed. */
export function formText(form: HTMLFormElement, name: string): string {
  const value = new FormData(form).get(name);
  return typeof value === "string" ? value.trim() : "";
}

/** Reads every checked value of a group of checkboxes. */
export function formValues(form: HTMLFormElement, name: string): string[] {
  return new FormData(form).getAll(name).filter((v): v is string => typeof v === "string");
}

/** Reads a field without trimming (passwords). */
export function formRaw(form: HTMLFormElement, name: string): string {
  const value = new FormData(form).get(name);
  return typeof value === "string" ? value : "";
}

export interface SelectItem {
  value: string;
  text: string;
}

export interface SelectOptions {
  id: string;
  name?: string;
  label: string;
  labelClass?: string;
  hint?: string;
  error?: string;
  items: readonly SelectItem[];
  value?: string | null;
}

/** GOV.UK select. Prefer radios for short lists; a select suits long ordered lists (weeks). */
export function select(o: SelectOptions): SafeHtml {
  return html`<div class="govuk-form-group${o.error ? " govuk-form-group--error" : ""}">
  <label class="govuk-label${o.labelClass ? ` ${o.labelClass}` : ""}" for="${o.id}">${o.label}</label>
  ${hint(o.id, o.hint)}
  ${errorMessage(o.id, o.error)}
  <select class="govuk-select${o.error ? " govuk-select--error" : ""}" id="${o.id}" name="${o.name ?? o.id}"${describedBy(o.hint && `${o.id}-hint`, o.error && `${o.id}-error`)}>
    ${o.items.map((item) => html`<option value="${item.value}"${item.value === (o.value ?? "") ? html` selected` : ""}>${item.text}</option>`)}
  </select>
</div>`;
}

export interface DateParts {
  day: string;
  month: string;
  year: string;
}

export interface DateInputOptions {
  /** The inputs are `${id}-day`, `${id}-month` and `${id}-year`; errors link to the day. */
  id: string;
  legend: string;
  legendSize?: "s" | "m";
  hint?: string;
  error?: string;
  value?: DateParts;
}

/** GOV.UK date input: day, month and year in a fieldset. */
export function dateInput(o: DateInputOptions): SafeHtml {
  const part = (name: keyof DateParts, label: string, width: number) => html`<div class="govuk-date-input__item">
      <div class="govuk-form-group">
        <label class="govuk-label govuk-date-input__label" for="${o.id}-${name}">${label}</label>
        <input class="govuk-input govuk-date-input__input govuk-input--width-${width}${o.error ? " govuk-input--error" : ""}" id="${o.id}-${name}" name="${o.id}-${name}" type="text" inputmode="numeric" value="${o.value?.[name] ?? ""}">
      </div>
    </div>`;
  return html`<div class="govuk-form-group${o.error ? " govuk-form-group--error" : ""}">
  <fieldset class="govuk-fieldset" role="group"${describedBy(o.hint && `${o.id}-hint`, o.error && `${o.id}-error`)}>
    <legend class="govuk-fieldset__legend govuk-fieldset__legend--${o.legendSize ?? "s"}">${o.legend}</legend>
    ${hint(o.id, o.hint)}
    ${errorMessage(o.id, o.error)}
    <div class="govuk-date-input" id="${o.id}">
      ${part("day", "Day", 2)}
      ${part("month", "Month", 2)}
      ${part("year", "Year", 4)}
    </div>
  </fieldset>
</div>`;
}

/** Reads a date input's three fields. */
export function formDate(form: HTMLFormElement, id: string): DateParts {
  return { day: formText(form, `${id}-day`), month: formText(form, `${id}-month`), year: formText(form, `${id}-year`) };
}

/**
 * Checks a date input: "2026-12-01" when it is a real date, or the message to show. `name` is
 * how the message names the date ("The start date").
 */
export function parseDateParts(parts: DateParts, name: string): { ok: true; value: string } | { ok: false; error: string } {
  const { day, month, year } = parts;
  if (!day && !month && !year) return { ok: false, error: `Enter ${name.toLowerCase()}` };
  const missing = (["day", "month", "year"] as const).filter((key) => !parts[key]);
  if (missing.length > 0) return { ok: false, error: `${name} must include a ${missing.join(" and ")}` };
  if (![day, month, year].every((value) => /^\d+$/.test(value)) || year.length !== 4) {
    return { ok: false, error: `${name} must be a real date` };
  }
  const d = Number(day);
  const m = Number(month);
  const y = Number(year);
  const date = new Date(Date.UTC(y, m - 1, d));
  if (m < 1 || m > 12 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    return { ok: false, error: `${name} must be a real date` };
  }
  return { ok: true, value: `${year}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}` };
}

/** "2026-12-01" → { day: "1", month: "12", year: "2026" } (to refill a date input). */
export function datePartsOf(iso: string | null | undefined): DateParts {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso ?? "");
  if (!match) return { day: "", month: "", year: "" };
  return { day: String(Number(match[3])), month: String(Number(match[2])), year: match[1] ?? "" };
}
