// The audit trail for council admins and finance (everything for platform admins): filter by
// object, person and dates, page on, and download the same events as CSV.
import { api } from "../../api";
import type { AuditEvent, AuditPerson } from "../../councilTypes";
import { errorSummary } from "../../components/errorSummary";
import { html } from "../../components/escape";
import { addFieldError, errorTitle, noErrors, type FormErrors } from "../../components/formErrors";
import { button, dateInput, datePartsOf, formDate, formText, parseDateParts, select, textInput } from "../../components/forms";
import { table } from "../../components/table";
import { formatDateTime } from "../../format";
import type { Page, View } from "../../page";
import type { ListPage } from "../../models";

const TITLE = "Audit trail";
export const ENTITIES: Record<string, string> = {
  booking: "Bookings",
  invoice: "Invoices",
  credit_note: "Credit notes",
  availability: "Availability",
  officer: "Officers",
  user: "People",
  invitation: "Invitations",
  council: "Council and settings",
  join_request: "Join requests",
  agreement_version: "Agreement versions",
  api_token: "API tokens",
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The API query from the page's own query (only what is valid). */
export function auditQuery(query: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams();
  const entity = query.get("entity") ?? "";
  if (entity in ENTITIES) out.set("entity", entity);
  for (const key of ["entity_id", "actor"]) {
    const value = query.get(key) ?? "";
    if (UUID.test(value)) out.set(key, value);
  }
  for (const key of ["from", "to"]) {
    const value = query.get(key) ?? "";
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) out.set(key, value);
  }
  return out;
}

function draw(view: View, events: ListPage<AuditEvent>, people: AuditPerson[], query: URLSearchParams, errors: FormErrors): void {
  view.setTitle(errorTitle(TITLE, errors));
  const next = new URLSearchParams(query);
  if (events.next_cursor) next.set("cursor", events.next_cursor);
  const main = view.show(html`${errorSummary(errors.summary)}
<h1 class="govuk-heading-l">${TITLE}</h1>
<p class="govuk-body">Every change made at ${view.me?.council?.name ?? "the pool"}, newest first.</p>
<details class="govuk-details"${query.toString() ? html` open` : ""}><summary class="govuk-details__summary"><span class="govuk-details__summary-text">Filter</span></summary>
<div class="govuk-details__text"><form method="get" action="${view.path}" novalidate id="audit-filter">
${select({ id: "entity", label: "Kind of object", value: query.get("entity") ?? "", items: [{ value: "", text: "Any" }, ...Object.entries(ENTITIES).map(([value, text]) => ({ value, text }))] })}
${textInput({ id: "entity-id", name: "entity_id", label: "Object reference (optional)", hint: "The id of one booking, invoice or person.", value: query.get("entity_id") ?? "", error: errors.fields["entity-id"], spellcheck: false })}
${select({ id: "actor", label: "Person", value: query.get("actor") ?? "", items: [{ value: "", text: "Anyone" }, ...people.map((p) => ({ value: p.user_id, text: p.name || p.user_id }))] })}
${dateInput({ id: "from", legend: "From", value: datePartsOf(query.get("from")), error: errors.fields.from })}
${dateInput({ id: "to", legend: "To", value: datePartsOf(query.get("to")), error: errors.fields.to })}
${button("Apply filter", { secondary: true })}
</form></div></details>
<p class="govuk-body"><a class="govuk-link" href="/api/v1/audit.csv${query.toString() ? `?${query.toString()}` : ""}" download>Download these events (CSV)</a></p>
${table({
  id: "audit",
  caption: "Events",
  head: ["When", "Who", "What"],
  rows: events.items.map((e) => [formatDateTime(e.at), e.actor_name ?? (e.actor_user_id ? "Someone" : "The system"), e.summary]),
  empty: "No events match.",
})}
${events.next_cursor ? html`<nav class="govuk-pagination" aria-label="Pages"><div class="govuk-pagination__next"><a class="govuk-link govuk-pagination__link" href="${view.path}?${next.toString()}" rel="next"><span class="govuk-pagination__link-title">Older events</span></a></div></nav>` : ""}`);
  main?.querySelector<HTMLFormElement>("#audit-filter")?.addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const found = noErrors();
    const out = new URLSearchParams();
    if (formText(form, "entity")) out.set("entity", formText(form, "entity"));
    const id = formText(form, "entity_id");
    if (id && !UUID.test(id)) addFieldError(found, "entity-id", "Enter a reference like 1b4e28ba-2fa1-11d2-883f-0016d3cca427");
    else if (id) out.set("entity_id", id);
    if (formText(form, "actor")) out.set("actor", formText(form, "actor"));
    for (const [key, name] of [["from", "The start date"], ["to", "The end date"]] as const) {
      const parts = formDate(form, key);
      if (!parts.day && !parts.month && !parts.year) continue;
      const parsed = parseDateParts(parts, name);
      if (parsed.ok) out.set(key, parsed.value);
      else addFieldError(found, key, parsed.error);
    }
    if (found.summary.length) {
      draw(view, events, people, query, found);
      return;
    }
    view.navigate(`${view.path}${out.toString() ? `?${out.toString()}` : ""}`);
  });
}

export const auditPage: Page = {
  path: "/audit",
  title: TITLE,
  access: "signed-in",
  roles: ["council_admin", "finance"],
  async render(view) {
    const query = auditQuery(view.query);
    const apiQuery = new URLSearchParams(query);
    const cursor = view.query.get("cursor");
    if (cursor) apiQuery.set("cursor", cursor);
    const [events, people] = await Promise.all([
      api.get<ListPage<AuditEvent>>(`/audit?${apiQuery.toString()}`, { signal: view.signal }),
      api.get<AuditPerson[]>("/audit/people", { signal: view.signal }),
    ]);
    draw(view, events, people, query, noErrors());
  },
};

/** The same page for platform admins (who have no council roles). */
export const platformAuditPage: Page = { ...auditPage, path: "/platform/audit", roles: undefined };
