// The platform admins' pages: the pool's health, every council with its state, correcting a
// council, answering join requests, and publishing a new version of the agreement.
import { ProblemError, api, seg } from "../../api";
import { STATE_LABELS, type AgreementVersion, type CouncilEntry, type CouncilState, type JoinRequest, type PoolHealth } from "../../councilTypes";
import { errorSummary } from "../../components/errorSummary";
import { breakable, html, type SafeHtml } from "../../components/escape";
import { addFieldError, errorTitle, hasErrors, noErrors, type FormErrors } from "../../components/formErrors";
import { button, formText, select, textInput, textarea } from "../../components/forms";
import { notificationBanner } from "../../components/notificationBanner";
import { table } from "../../components/table";
import { formatDate, formatDateTime, formatPence } from "../../format";
import { formatHours } from "../../numbers";
import type { Page, View } from "../../page";
import { setFlash, takeFlash } from "../../session";
import type { ListPage } from "../../models";
import { backLink, failure, onSubmit, splitList, summaryCard, summaryRows, tag } from "./kit";

function requirePlatform(view: View): void {
  if (!view.me?.is_platform_admin) throw new ProblemError(403, { detail: "Only platform admins can use this page." });
}

const STATE_COLOURS: Record<CouncilState, "grey" | "yellow" | "blue" | "green" | "red"> = {
  not_joined: "grey",
  requested: "yellow",
  invited: "blue",
  member: "green",
  left: "red",
};

function stateTag(state: CouncilState): SafeHtml {
  return tag(STATE_LABELS[state], STATE_COLOURS[state]);
}

function flashBanner(): SafeHtml | string {
  const flash = takeFlash();
  return flash ? notificationBanner(flash) : "";
}

export const platformPage: Page = {
  path: "/platform",
  title: "The pool",
  access: "signed-in",
  async render(view) {
    requirePlatform(view);
    const [health, requests] = await Promise.all([
      api.get<PoolHealth>("/platform/pool", { signal: view.signal }),
      api.get<ListPage<JoinRequest>>("/join-requests?status=pending&limit=200", { signal: view.signal }),
    ]);
    view.show(html`${flashBanner()}
<h1 class="govuk-heading-l">The pool</h1>
${summaryCard("Health", [
  { key: "Member councils", value: String(health.member_councils) },
  { key: "On the current agreement", value: String(health.councils_on_current_agreement) },
  { key: "Officers listing hours this quarter", value: String(health.officers_listed) },
  { key: `Hours listed, ${formatDate(health.quarter_first)} to ${formatDate(health.quarter_last)}`, value: formatHours(health.hours_listed) },
  { key: "Bookings this month", value: String(health.bookings) },
  { key: "Value of this month's bookings", value: formatPence(health.booked_pence) },
], "pool-health")}
<ul class="govuk-list">
  <li><a class="govuk-link" href="/platform/join-requests">Join requests</a> (${requests.items.length} waiting)</li>
  <li><a class="govuk-link" href="/platform/councils">Councils</a></li>
  <li><a class="govuk-link" href="/platform/agreement">Publish a new version of the agreement</a></li>
  <li><a class="govuk-link" href="/platform/audit">Audit trail</a></li>
  <li><a class="govuk-link" href="/market-rates">Market rates</a>, <a class="govuk-link" href="/reports/exchange">exchange report</a> and <a class="govuk-link" href="/pool-statistics">pool statistics</a></li>
</ul>`);
  },
};

export const platformCouncilsPage: Page = {
  path: "/platform/councils",
  title: "Councils",
  access: "signed-in",
  async render(view) {
    requirePlatform(view);
    const state = view.query.get("state") ?? "";
    const q = view.query.get("q") ?? "";
    const cursor = view.query.get("cursor");
    const params = new URLSearchParams({ limit: "50" });
    if (state in STATE_LABELS) params.set("state", state);
    if (q) params.set("q", q);
    if (cursor) params.set("cursor", cursor);
    const page = await api.get<ListPage<CouncilEntry>>(`/platform/councils?${params.toString()}`, { signal: view.signal });
    const nextParams = new URLSearchParams(params);
    nextParams.delete("limit");
    if (page.next_cursor) nextParams.set("cursor", page.next_cursor);
    const main = view.show(html`${backLink("/platform")}${flashBanner()}
<h1 class="govuk-heading-l">Councils</h1>
<form method="get" action="/platform/councils" novalidate id="filter-form">
${textInput({ id: "q", label: "Name or code", value: q, inputClass: "govuk-!-width-one-half" })}
${select({ id: "state", label: "State", value: state, items: [{ value: "", text: "Any" }, ...Object.entries(STATE_LABELS).map(([value, text]) => ({ value, text }))] })}
${button("Filter", { secondary: true })}
</form>
${table({
  id: "councils",
  caption: "Councils",
  head: ["Council", "Code", "Region", "People", "State"],
  rows: page.items.map((c) => [html`<a class="govuk-link" href="/platform/councils/${c.id}">${c.name}</a>`, c.code, c.region, String(c.people), stateTag(c.state)]),
  empty: "No council matches.",
})}
${page.next_cursor ? html`<nav class="govuk-pagination" aria-label="Pages"><div class="govuk-pagination__next"><a class="govuk-link govuk-pagination__link" href="/platform/councils?${nextParams.toString()}" rel="next"><span class="govuk-pagination__link-title">Next<span class="govuk-visually-hidden"> page</span></span></a></div></nav>` : ""}`);
    onSubmit(main, "#filter-form", async (form) => {
      const next = new URLSearchParams();
      if (formText(form, "q")) next.set("q", formText(form, "q"));
      if (formText(form, "state")) next.set("state", formText(form, "state"));
      view.navigate(`/platform/councils${next.toString() ? `?${next.toString()}` : ""}`);
    });
  },
};

const NATIONS = ["England", "Scotland", "Wales", "Northern Ireland"];
const COUNCIL_FIELDS = { name: "name", code: "code", nation: "nation", region: "region", gss_code: "gss-code" };

export function councilChanges(entry: CouncilEntry, values: Record<string, string>): { changes: Record<string, string | null>; errors: FormErrors } {
  const errors = noErrors();
  if (!values.name) addFieldError(errors, "name", "Enter the council's name");
  if (!/^[A-Z][A-Z0-9]{1,9}$/.test(values.code ?? "")) addFieldError(errors, "code", "Enter a code of 2 to 10 capital letters and digits, starting with a letter");
  if (!values.region) addFieldError(errors, "region", "Enter the region");
  if (values.gss_code && !/^[ENSW]\d{8}$/.test(values.gss_code)) addFieldError(errors, "gss-code", "Enter a GSS code like E06000037, or leave it empty");
  const changes: Record<string, string | null> = {};
  for (const key of ["name", "code", "nation", "region", "gss_code"] as const) {
    const now = values[key] || null;
    if (now !== (entry[key] ?? null)) changes[key] = now;
  }
  return { changes, errors };
}

export const platformCouncilPage: Page = {
  path: "/platform/councils/:id",
  title: "Council",
  access: "signed-in",
  async render(view) {
    requirePlatform(view);
    const entry = await api.get<CouncilEntry>(`/platform/councils/${seg(view.params.id ?? "")}`, { signal: view.signal });
    const show = (values: Record<string, string>, errors: FormErrors, changes: Record<string, string | null> | null): void => {
      view.setTitle(errorTitle(entry.name, errors));
      const main = view.show(html`${backLink("/platform/councils")}${flashBanner()}
<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">${errorSummary(errors.summary)}
<span class="govuk-caption-l">${entry.code}</span>
<h1 class="govuk-heading-l">${entry.name}</h1>
${summaryRows([{ key: "State", value: stateTag(entry.state) }, { key: "People", value: String(entry.people) }, { key: "Type", value: entry.authority_type ?? "Not known" }])}
<p class="govuk-body"><a class="govuk-link" href="/platform/audit?entity=council&entity_id=${entry.id}">View this council's history</a></p>
${changes === null
  ? html`<h2 class="govuk-heading-m">Correct the council's details</h2>
<p class="govuk-body">For reorganisations the register has not caught up with. A new register import updates councils by their code.</p>
<form method="post" novalidate id="council-form">
${textInput({ id: "name", label: "Name", value: values.name, error: errors.fields.name })}
${textInput({ id: "code", label: "Code", value: values.code, error: errors.fields.code, inputClass: "govuk-input--width-10", spellcheck: false })}
${select({ id: "nation", label: "Nation", value: values.nation, items: NATIONS.map((n) => ({ value: n, text: n })) })}
${textInput({ id: "region", label: "Region", value: values.region, error: errors.fields.region })}
${textInput({ id: "gss-code", name: "gss_code", label: "GSS code (optional)", value: values.gss_code, error: errors.fields["gss-code"], inputClass: "govuk-input--width-10", spellcheck: false })}
${button("Continue")}
</form>`
  : html`<h2 class="govuk-heading-m">Check your changes</h2>
${Object.keys(changes).length === 0 ? html`<p class="govuk-body">You have not changed anything.</p>` : summaryRows(Object.entries(changes).map(([key, value]) => ({ key: key === "gss_code" ? "GSS code" : key.charAt(0).toUpperCase() + key.slice(1), value: value ?? "None" })))}
<form method="post" novalidate id="confirm-form"><div class="govuk-button-group">${Object.keys(changes).length ? button("Save changes") : ""}<a class="govuk-link" href="${view.path}">Change your answers</a></div></form>`}
</div></div>`);
      onSubmit(main, "#council-form", async (form) => {
        const next = Object.fromEntries(Object.keys(COUNCIL_FIELDS).map((k) => [k, formText(form, k)]));
        const checked = councilChanges(entry, next);
        show(next, checked.errors, hasErrors(checked.errors) ? null : checked.changes);
      });
      onSubmit(main, "#confirm-form", async () => {
        try {
          await api.patch(`/councils/${seg(entry.id)}`, changes, { signal: view.signal });
        } catch (error) {
          const failed = failure(error, COUNCIL_FIELDS);
          if (failed && view.isCurrent()) show(values, failed.errors, null);
          return;
        }
        setFlash({ heading: "Council details saved", success: true });
        view.navigate(view.path, { replace: true });
      });
    };
    show({ name: entry.name, code: entry.code, nation: entry.nation, region: entry.region, gss_code: entry.gss_code ?? "" }, noErrors(), null);
  },
};

export const joinRequestsPage: Page = {
  path: "/platform/join-requests",
  title: "Join requests",
  access: "signed-in",
  async render(view) {
    requirePlatform(view);
    const requests = await api.get<ListPage<JoinRequest>>("/join-requests?status=pending&limit=200", { signal: view.signal });
    view.show(html`${backLink("/platform")}${flashBanner()}
<h1 class="govuk-heading-l">Join requests</h1>
<p class="govuk-body">Requests whose email address has been confirmed, oldest first.</p>
${table({
  id: "join-requests",
  caption: "Waiting for an answer",
  head: ["Council", "From", "Confirmed", "Council now"],
  rows: requests.items.map((r) => [html`<a class="govuk-link" href="/platform/join-requests/${r.id}">${r.council.name}</a>`, html`${r.name}, ${r.job_title}<br><span class="tp-break">${breakable(r.email)}</span>`, formatDateTime(r.verified_at), stateTag(r.council_state)]),
  empty: "There are no join requests waiting.",
})}`);
  },
};

export function validateDomains(domains: string[], email: string): string | null {
  if (domains.length === 0) return "Enter at least one email domain";
  const bad = domains.find((d) => !/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(d));
  if (bad) return `${bad} is not a domain, like westberks.gov.uk`;
  if (!domains.includes(email.split("@")[1] ?? "")) return `Include the requester's domain (${email.split("@")[1] ?? ""}) so they can be invited`;
  return null;
}

export const joinRequestPage: Page = {
  path: "/platform/join-requests/:id",
  title: "Join request",
  access: "signed-in",
  async render(view) {
    requirePlatform(view);
    const request = await api.get<JoinRequest>(`/join-requests/${seg(view.params.id ?? "")}`, { signal: view.signal });
    const show = (domains: string, reason: string, errors: FormErrors): void => {
      view.setTitle(errorTitle(`${request.council.name} asks to join`, errors));
      const open = request.status === "pending";
      const main = view.show(html`${backLink("/platform/join-requests")}
<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">${errorSummary(errors.summary)}
<span class="govuk-caption-l">Join request</span>
<h1 class="govuk-heading-l">${request.council.name} asks to join</h1>
${summaryCard("Who asks", [
  { key: "Name", value: request.name },
  { key: "Job title", value: request.job_title },
  { key: "Email", value: html`<span class="tp-break">${breakable(request.email)}</span>${request.email_has_account ? html`<br>${tag("Already has an account", "yellow")}` : ""}` },
  { key: "Confirmed", value: formatDateTime(request.verified_at) },
])}
${summaryCard("What we know of the council", [
  { key: "Code", value: request.council.code },
  { key: "Nation and region", value: `${request.council.nation}, ${request.council.region}` },
  { key: "GSS code", value: request.council.gss_code ?? "Not known" },
  { key: "State", value: stateTag(request.council_state) },
  { key: "People", value: String(request.council_people) },
  { key: "Email domains", value: request.email_domains.join(", ") || "None yet" },
])}
${open ? html`<h2 class="govuk-heading-m">Approve</h2>
<p class="govuk-body">${request.name} will be invited as ${request.council.name}'s first council admin. People can be invited only at these domains.</p>
<form method="post" novalidate id="approve-form">
${textarea({ id: "email-domains", name: "email_domains", label: "Email domains", labelClass: "govuk-label--s", hint: "One a line.", value: domains, error: errors.fields["email-domains"], rows: 3 })}
${button("Approve and invite")}
</form>
<h2 class="govuk-heading-m">Decline</h2>
<form method="post" novalidate id="decline-form">
${textarea({ id: "reason", label: "Reason", labelClass: "govuk-label--s", hint: "We email it to the requester.", value: reason, error: errors.fields.reason, rows: 3, maxlength: 500 })}
${button("Decline", { warning: true })}
</form>` : html`<p class="govuk-body">This request is ${request.status}.</p>`}
</div></div>`);
      onSubmit(main, "#approve-form", async (form) => {
        const text = (new FormData(form).get("email_domains") as string | null) ?? "";
        const list = splitList(text);
        const problem = validateDomains(list, request.email);
        if (problem) {
          const found = noErrors();
          addFieldError(found, "email-domains", problem);
          show(text, reason, found);
          return;
        }
        await answer(view, `/join-requests/${seg(request.id)}/approve`, { email_domains: list }, `${request.name} has been invited to set up ${request.council.name}`, (errors) => show(text, reason, errors));
      });
      onSubmit(main, "#decline-form", async (form) => {
        const text = formText(form, "reason");
        if (!text) {
          const found = noErrors();
          addFieldError(found, "reason", "Enter the reason, which we email to the requester");
          show(domains, text, found);
          return;
        }
        await answer(view, `/join-requests/${seg(request.id)}/decline`, { reason: text }, `${request.council.name}'s request declined`, (errors) => show(domains, text, errors));
      });
    };
    const domain = request.email.split("@")[1] ?? "";
    show(request.email_domains.length ? request.email_domains.join("\n") : domain, "", noErrors());
  },
};

async function answer(view: View, path: string, body: unknown, done: string, redraw: (errors: FormErrors) => void): Promise<void> {
  try {
    await api.post(path, body, { signal: view.signal });
  } catch (error) {
    const failed = failure(error, { email_domains: "email-domains", reason: "reason" });
    if (failed && view.isCurrent()) redraw(failed.errors);
    return;
  }
  setFlash({ heading: done, success: true });
  view.navigate("/platform/join-requests");
}

export const publishAgreementPage: Page = {
  path: "/platform/agreement",
  title: "Publish a new version of the agreement",
  access: "signed-in",
  async render(view) {
    requirePlatform(view);
    const current = await api.get<AgreementVersion>("/agreement", { signal: view.signal });
    const show = (values: { version: string; text: string; officer_consent_text: string }, errors: FormErrors, checking: boolean): void => {
      view.setTitle(errorTitle("Publish a new version of the agreement", errors));
      const main = view.show(html`${backLink("/platform")}
<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">${errorSummary(errors.summary)}
${checking
  ? html`<h1 class="govuk-heading-l">Check the new version</h1>
${summaryRows([{ key: "Version", value: values.version }, { key: "Agreement", value: values.text }, { key: "What officers agree to", value: values.officer_consent_text }])}
<div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span><strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span>Every council must accept it before new bookings can be made to or from it.${values.officer_consent_text !== current.officer_consent_text ? " Officers must give their consent again before listing more hours." : ""}</strong></div>
<form method="post" novalidate id="confirm-form"><div class="govuk-button-group">${button("Publish")}<button type="button" class="govuk-button govuk-button--secondary" data-module="govuk-button" id="change-answers">Change</button></div></form>`
  : html`<h1 class="govuk-heading-l">Publish a new version of the agreement</h1>
<p class="govuk-body">The current version is ${current.version}, published on ${formatDate(current.published_at)}.</p>
<form method="post" novalidate id="publish-form">
${textInput({ id: "version", label: "Version", hint: "For example 2027-1.", value: values.version, error: errors.fields.version, inputClass: "govuk-input--width-10" })}
${textarea({ id: "text", label: "The agreement", labelClass: "govuk-label--s", value: values.text, error: errors.fields.text, rows: 10 })}
${textarea({ id: "officer-consent-text", name: "officer_consent_text", label: "What officers agree to", labelClass: "govuk-label--s", value: values.officer_consent_text, error: errors.fields["officer-consent-text"], rows: 5 })}
${button("Continue")}
</form>`}
</div></div>`);
      main?.querySelector("#change-answers")?.addEventListener("click", () => show(values, noErrors(), false));
      onSubmit(main, "#publish-form", async (form) => {
        const next = { version: formText(form, "version"), text: formText(form, "text"), officer_consent_text: formText(form, "officer_consent_text") };
        const found = noErrors();
        if (!/^[A-Za-z0-9._-]{1,20}$/.test(next.version)) addFieldError(found, "version", "Enter a version of up to 20 letters, digits, dots and dashes, like 2027-1");
        else if (next.version === current.version) addFieldError(found, "version", `Version ${current.version} is the current one: give the new version a new name`);
        if (next.text.length < 20) addFieldError(found, "text", "Enter the agreement (20 characters or more)");
        if (next.officer_consent_text.length < 20) addFieldError(found, "officer-consent-text", "Enter what officers agree to (20 characters or more)");
        show(next, found, !hasErrors(found));
      });
      onSubmit(main, "#confirm-form", async () => {
        try {
          await api.post("/agreement/versions", values, { signal: view.signal });
        } catch (error) {
          const failed = failure(error, { version: "version", text: "text", officer_consent_text: "officer-consent-text" });
          if (failed && view.isCurrent()) show(values, failed.errors, false);
          return;
        }
        setFlash({ heading: `Version ${values.version} published`, text: "Member councils have been emailed to accept it.", success: true });
        view.navigate("/platform");
      });
    };
    show({ version: "", text: current.text, officer_consent_text: current.officer_consent_text }, noErrors(), false);
  },
};
