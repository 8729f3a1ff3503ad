// Escaping for HTML built from strings. Every value that comes from the API or the user goes
// through escapeHtml, either directly or through the `html` tagged template below.

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
  "`": "&#96;",
};

/** Escapes text for use in HTML element content and in quoted attribute values. */
export function escapeHtml(value: unknown): string {
  if (value === null || value === undefined) return "";
  return String(value).replace(/[&<>"'`]/g, (ch) => ESCAPES[ch] ?? ch);
}

/** A string of markup that is already safe to insert: it is never escaped again. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Marks trusted markup (written in our own source, never from data) as safe. */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

type Interpolation = SafeHtml | string | number | boolean | null | undefined | readonly Interpolation[];

function render(value: Interpolation): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map((item: Interpolation) => render(item)).join("");
  if (value === null || value === undefined || value === false) return "";
  return escapeHtml(value);
}

/**
 * Tagged template for HTML: interpolated values are escaped unless they are SafeHtml (for
 * example the result of another `html` template); arrays are joined; null, undefined and
 * false render as nothing.
 */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0] ?? "";
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? "");
  });
  return new SafeHtml(out);
}

export type { Interpolation };

/**
 * Text such as an email address with line-break opportunities (<wbr>) after "@" and ".", so it
 * wraps at sensible places on narrow screens instead of widening the page.
 */
export function breakable(text: string): SafeHtml {
  return new SafeHtml(
    text
      .split(/(?<=[@.])/)
      .map((part) => escapeHtml(part))
      .join("<wbr>"),
  );
}
