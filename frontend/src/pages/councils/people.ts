// People at the council (council admins): filter by role, open a person to change their roles,
// line manager, whether they are active and (officers) their recharge rate; invitations resent
// or revoked. Managers and admins set officers' rates from the officers list.
import { ProblemError, api, seg } from "../../api";
import type { Person } from "../../councilTypes";
import { errorSummary } from "../../components/errorSummary";
import { breakable, html, type SafeHtml } from "../../components/escape";
import { addFieldError, errorTitle, hasErrors, noErrors, type FormErrors } from "../../components/formErrors";
import { button, checkboxes, formText, formValues, select, textInput } from "../../components/forms";
import { notificationBanner } from "../../components/notificationBanner";
import { table } from "../../components/table";
import { formatDate, formatRate, formatRoles, roleLabel } from "../../format";
import { parsePounds, penceToPounds } from "../../numbers";
import type { Page, View } from "../../page";
import { setFlash, takeFlash } from "../../session";
import { ALL_ROLES, type Invitation, type ListPage, type OfficerProfile, type Role } from "../../models";
import { backLink, failure, onSubmit, summaryCard, tag } from "./kit";

function base(view: View): string {
  return `/councils/${seg(view.me?.council?.id ?? "")}`;
}

function status(person: Person): SafeHtml {
  return person.active ? tag("Active", "green") : tag("Deactivated", "grey");
}

export const peoplePage: Page = {
  path: "/council/people",
  title: "People",
  access: "signed-in",
  roles: ["council_admin"],
  async render(view) {
    const role = (ALL_ROLES as readonly string[]).includes(view.query.get("role") ?? "") ? (view.query.get("role") as Role) : null;
    const [people, invitations] = await Promise.all([
      api.get<ListPage<Person>>(`${base(view)}/users?limit=200${role ? `&role=${role}` : ""}`, { signal: view.signal }),
      api.get<ListPage<Invitation>>(`${base(view)}/invitations?limit=200`, { signal: view.signal }),
    ]);
    const pending = invitations.items.filter((i) => !i.accepted_at);
    const flash = takeFlash();
    const main = view.show(html`${flash ? notificationBanner(flash) : ""}
<span class="govuk-caption-l">${view.me?.council?.name ?? ""}</span>
<h1 class="govuk-heading-l">People</h1>
<p class="govuk-body"><a class="govuk-link" href="/council#invite">Invite someone</a></p>
<form method="get" action="/council/people" novalidate id="filter-form" class="tp-filter">
${select({ id: "role", label: "Role", items: [{ value: "", text: "Any role" }, ...ALL_ROLES.map((r) => ({ value: r, text: roleLabel(r) }))], value: role ?? "" })}
${button("Filter", { secondary: true })}
</form>
${table({
  id: "people",
  caption: role ? `People with the ${roleLabel(role).toLowerCase()} role` : "Everyone",
  head: ["Name", "Email", "Roles", "Status"],
  rows: people.items.map((p) => [html`<a class="govuk-link" href="/council/people/${p.id}">${p.name}</a>`, html`<span class="tp-break">${breakable(p.email)}</span>`, p.roles.length ? formatRoles(p.roles) : "No roles", status(p)]),
  empty: "Nobody has this role.",
  cards: { title: 0 },
})}
${table({
  id: "invitations",
  caption: "Pending invitations",
  head: ["Name", "Email", "Expires", "Actions"],
  rows: pending.map((i) => [
    i.name,
    html`<span class="tp-break">${breakable(i.email)}</span>`,
    formatDate(i.expires_at),
    html`<form method="post" novalidate class="tp-invitation" data-id="${i.id}" data-email="${i.email}"><div class="govuk-button-group govuk-!-margin-bottom-0">
      ${button(html`Resend<span class="govuk-visually-hidden"> the invitation to ${i.email}</span>`, { secondary: true, classes: "govuk-!-margin-bottom-0", name: "action", value: "resend" })}
      ${button(html`Revoke<span class="govuk-visually-hidden"> the invitation to ${i.email}</span>`, { warning: true, classes: "govuk-!-margin-bottom-0", name: "action", value: "revoke" })}
    </div></form>`,
  ]),
  empty: "There are no pending invitations.",
  cards: { title: 0, actions: 3 },
})}`);
    onSubmit(main, "#filter-form", async (form) => {
      const chosen = formText(form, "role");
      view.navigate(chosen ? `/council/people?role=${chosen}` : "/council/people");
    });
    main?.querySelectorAll<HTMLFormElement>("form.tp-invitation").forEach((form) => {
      onSubmit(form.parentElement, `form[data-id="${form.dataset.id}"]`, async (_f, submitter) => {
        const id = form.dataset.id ?? "";
        const action = submitter?.getAttribute("value");
        try {
          if (action === "revoke") await api.delete(`/invitations/${seg(id)}`, { signal: view.signal });
          else await api.post(`/invitations/${seg(id)}/resend`, undefined, { signal: view.signal });
        } catch (error) {
          const failed = failure(error, {});
          if (failed) setFlash({ heading: failed.problem.detail || "That did not work", title: "Important" });
          view.navigate(view.path + (role ? `?role=${role}` : ""), { replace: true });
          return;
        }
        const email = form.dataset.email ?? "";
        setFlash({ heading: action === "revoke" ? `Invitation to ${email} revoked` : `Invitation sent again to ${email}`, success: true });
        view.navigate(view.path + (role ? `?role=${role}` : ""), { replace: true });
      });
    });
  },
};

interface PersonState {
  person: Person;
  managers: Person[];
  officer: OfficerProfile | null;
}

async function loadPerson(view: View): Promise<PersonState> {
  const id = view.params.id ?? "";
  const [people, officers] = await Promise.all([
    api.get<ListPage<Person>>(`${base(view)}/users?limit=200`, { signal: view.signal }),
    api.get<ListPage<OfficerProfile & { user_id?: string }>>("/officers?limit=200", { signal: view.signal }),
  ]);
  const person = people.items.find((p) => p.id === id);
  if (!person) throw new ProblemError(404, { detail: "No such person." });
  const managers = people.items.filter((p) => p.roles.includes("manager") && p.active && p.id !== id);
  const officer = officers.items.find((o) => o.user_id === id) ?? null;
  return { person, managers, officer };
}

export function validatePersonChange(roles: string[], managerId: string, managers: Person[]): FormErrors {
  const errors = noErrors();
  if (roles.length === 0) addFieldError(errors, "roles", "Select at least one role");
  if (managerId && !managers.some((m) => m.id === managerId)) addFieldError(errors, "line-manager", "Choose a manager from the list");
  return errors;
}

function drawPerson(view: View, state: PersonState, errors: FormErrors): void {
  const { person, managers, officer } = state;
  view.setTitle(errorTitle(person.name, errors));
  const manager = managers.find((m) => m.id === person.line_manager_id);
  const main = view.show(html`${backLink("/council/people", "Back to people")}
${errorSummary(errors.summary)}${(() => { const f = takeFlash(); return f ? notificationBanner(f) : ""; })()}
<span class="govuk-caption-l">People</span>
<h1 class="govuk-heading-l">${person.name}</h1>
${summaryCard("Details", [
  { key: "Email", value: html`<span class="tp-break">${breakable(person.email)}</span>` },
  { key: "Roles", value: person.roles.length ? formatRoles(person.roles) : "No roles" },
  { key: "Line manager", value: manager ? manager.name : "None (every manager signs off)" },
  { key: "Status", value: status(person) },
  ...(officer ? [{ key: "Recharge rate", value: formatRate(officer.rate_pence_per_hour), change: `/council/officers/${officer.id}/rate` }] : []),
])}
<p class="govuk-body"><a class="govuk-link" href="/audit?entity=user&entity_id=${person.id}">View this person's history</a></p>
<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
<h2 class="govuk-heading-m">Change roles and line manager</h2>
<form method="post" novalidate id="person-form">
${checkboxes({ idPrefix: "roles", name: "roles", legend: "Roles", legendSize: "s", error: errors.fields.roles, items: ALL_ROLES.map((r) => ({ value: r, text: roleLabel(r), checked: person.roles.includes(r) })) })}
${select({ id: "line-manager", name: "line_manager_id", label: "Line manager", hint: "Their manager signs off their hours. Without one, every manager can.", error: errors.fields["line-manager"], items: [{ value: "", text: "None" }, ...managers.map((m) => ({ value: m.id, text: m.name }))], value: person.line_manager_id ?? "" })}
${button("Save changes")}
</form>
<h2 class="govuk-heading-m">${person.active ? "Deactivate" : "Reactivate"}</h2>
<p class="govuk-body">${person.active ? "They can no longer sign in. Their bookings and history stay. A council always keeps one active council admin." : "They can sign in again with their roles."}</p>
<form method="post" novalidate id="active-form">${button(person.active ? `Deactivate ${person.name}` : `Reactivate ${person.name}`, { warning: person.active, secondary: !person.active })}</form>
</div></div>`);
  onSubmit(main, "#person-form", async (form) => {
    const roles = formValues(form, "roles");
    const lineManager = formText(form, "line_manager_id");
    const found = validatePersonChange(roles, lineManager, managers);
    if (hasErrors(found)) {
      drawPerson(view, state, found);
      return;
    }
    await patch(view, state, { roles, line_manager_id: lineManager || null }, `${person.name}'s roles and line manager saved`);
  });
  onSubmit(main, "#active-form", async () => {
    await patch(view, state, { active: !person.active }, person.active ? `${person.name} deactivated` : `${person.name} reactivated`);
  });
}

async function patch(view: View, state: PersonState, body: Record<string, unknown>, done: string): Promise<void> {
  try {
    await api.patch(`/users/${seg(state.person.id)}`, body, { signal: view.signal });
  } catch (error) {
    const failed = failure(error, { roles: "roles", line_manager_id: "line-manager" });
    if (failed && view.isCurrent()) drawPerson(view, state, failed.errors);
    return;
  }
  setFlash({ heading: done, success: true });
  drawPerson(view, await loadPerson(view), noErrors());
}

export const personPage: Page = {
  path: "/council/people/:id",
  title: "Person",
  access: "signed-in",
  roles: ["council_admin"],
  async render(view) {
    drawPerson(view, await loadPerson(view), noErrors());
  },
};

export const officersPage: Page = {
  path: "/council/officers",
  title: "Officers and rates",
  access: "signed-in",
  roles: ["manager", "council_admin"],
  async render(view) {
    const officers = await api.get<ListPage<OfficerProfile>>("/officers?limit=200", { signal: view.signal });
    const flash = takeFlash();
    view.show(html`${flash ? notificationBanner(flash) : ""}
<span class="govuk-caption-l">${view.me?.council?.name ?? ""}</span>
<h1 class="govuk-heading-l">Officers and rates</h1>
<p class="govuk-body">The rate is what other councils are charged an hour for an officer's time. Officers without a rate of their own are charged at the council's default.</p>
${table({
  id: "officers",
  caption: "Officers",
  head: ["Officer", "Job title", "Rate", "Action"],
  rows: officers.items.map((o) => [o.display_name, o.job_title, formatRate(o.rate_pence_per_hour), html`<a class="govuk-link" href="/council/officers/${o.id}/rate">Change rate<span class="govuk-visually-hidden"> for ${o.display_name}</span></a>`]),
  empty: "Your council has no officers yet.",
  cards: { title: 0, actions: 3 },
})}`);
  },
};

export const officerRatePage: Page = {
  path: "/council/officers/:id/rate",
  title: "Change the rate",
  access: "signed-in",
  roles: ["manager", "council_admin"],
  async render(view) {
    const officer = await api.get<OfficerProfile>(`/officers/${seg(view.params.id ?? "")}`, { signal: view.signal });
    const show = (value: string, errors: FormErrors, checking: number | null): void => {
      view.setTitle(errorTitle(`Rate for ${officer.display_name}`, errors));
      const main = view.show(html`${backLink("/council/officers")}
<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">${errorSummary(errors.summary)}
${checking === null
  ? html`<form method="post" novalidate id="rate-form">
${textInput({ id: "rate", label: `Recharge rate for ${officer.display_name}`, labelClass: "govuk-label--l", hint: `Pounds an hour. Now ${formatRate(officer.rate_pence_per_hour)}.`, prefix: "£", inputmode: "decimal", inputClass: "govuk-input--width-5", value, error: errors.fields.rate })}
${button("Continue")}</form>`
  : html`<h1 class="govuk-heading-l">Check the new rate</h1>
${summaryCard(officer.display_name, [{ key: "Rate now", value: formatRate(officer.rate_pence_per_hour) }, { key: "New rate", value: formatRate(checking) }])}
<p class="govuk-body">Bookings already made keep their rate.</p>
<form method="post" novalidate id="confirm-form"><div class="govuk-button-group">${button("Save the rate")}<a class="govuk-link" href="${view.path}">Change</a></div></form>`}
</div></div>`);
      onSubmit(main, "#rate-form", async (form) => {
        const parsed = parsePounds(formText(form, "rate"), "The rate");
        if (!parsed.ok) {
          const found = noErrors();
          addFieldError(found, "rate", parsed.error);
          show(formText(form, "rate"), found, null);
          return;
        }
        show(formText(form, "rate"), noErrors(), parsed.value);
      });
      onSubmit(main, "#confirm-form", async () => {
        try {
          await api.put(`/officers/${seg(officer.id)}/rate`, { rate_pence_per_hour: checking }, { signal: view.signal });
        } catch (error) {
          const failed = failure(error, { rate_pence_per_hour: "rate" });
          if (failed && view.isCurrent()) show(value, failed.errors, null);
          return;
        }
        setFlash({ heading: `Rate for ${officer.display_name} set to ${formatRate(checking)}`, success: true });
        view.navigate("/council/officers");
      });
    };
    show(officer.rate_pence_per_hour ? penceToPounds(officer.rate_pence_per_hour) : "", noErrors(), null);
  },
};
