// Turning failures (client-side checks and API problems) into what a GOV.UK form shows:
// the error summary at the top and a message by each field.
import { type ProblemError, fieldName } from "../api";
import type { ErrorItem } from "./errorSummary";

export interface FormErrors {
  /** In page order, for the error summary. */
  summary: ErrorItem[];
  /** Message by field id, for the inline error messages. */
  fields: Record<string, string>;
}

export function noErrors(): FormErrors {
  return { summary: [], fields: {} };
}

export function hasErrors(errors: FormErrors): boolean {
  return errors.summary.length > 0;
}

/** Adds an error for a field (by the id of the element to focus). */
export function addFieldError(errors: FormErrors, fieldId: string, message: string): void {
  if (errors.fields[fieldId] !== undefined) return;
  errors.fields[fieldId] = message;
  errors.summary.push({ text: message, href: `#${fieldId}` });
}

/**
 * An error message as GOV.UK writes them, wherever it came from: no "Value error, " prefix
 * (Pydantic's), a capital first letter and no full stop at the end (the server's details end
 * with one, the SPA's own messages do not).
 */
export function tidyMessage(message: string): string {
  const text = message
    .replace(/^(Value|Assertion) error,\s*/i, "")
    .trim()
    .replace(/(?<!\.)\.$/, "");
  return text.length > 0 ? text.charAt(0).toUpperCase() + text.slice(1) : "Enter a valid value";
}

/**
 * Maps a problem from the API onto the form. `fields` maps API field names (the last part of
 * `loc`) to the id of the element the error summary should link to. Errors for other fields, and
 * problems with no field errors, are shown in the summary only, using the problem's detail.
 */
export function errorsFromProblem(
  problem: ProblemError,
  fields: Record<string, string>,
  fallback = "There was a problem with the service. Try again later",
): FormErrors {
  const errors = noErrors();
  for (const [name, message] of problem.fieldErrors()) {
    const fieldId = fields[name];
    if (fieldId) {
      addFieldError(errors, fieldId, tidyMessage(message));
    } else {
      errors.summary.push({ text: tidyMessage(message) });
    }
  }
  for (const error of problem.errors) {
    // Errors with no field name at all (for example a body-level check).
    if (fieldName(error.loc) === null) {
      errors.summary.push({ text: tidyMessage(error.msg) });
    }
  }
  if (errors.summary.length === 0) {
    const text = problem.status >= 500 || problem.status === 0 ? (problem.detail || fallback) : problem.detail || problem.title;
    errors.summary.push({ text: tidyMessage(text || fallback) });
  }
  return errors;
}

/** Puts the "Error: " prefix on a page title when the page shows errors (GOV.UK pattern). */
export function errorTitle(title: string, errors: FormErrors): string {
  return hasErrors(errors) ? `Error: ${title}` : title;
}
