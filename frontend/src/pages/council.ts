import { api, seg, toProblem } from "../api";
import { errorSummary } from "../components/errorSummary";
import { breakable, html, type SafeHtml } from "../components/escape";
import {
  addFieldError,
  errorTitle,
  errorsFromProblem,
  hasErrors,
  noErrors,
  type FormErrors,
} from "../components/formErrors";
import { EMAIL_PATTERN, button, checkboxes, formText, formValues, textInput } from "../components/forms";
import { notificationBanner, type BannerOptions } from "../components/notificationBanner";
import { submitGuard } from "../components/submit";
import { table } from "../components/table";
import { formatDate, formatRoles, roleLabel } from "../format";
import type { Page, View } from "../page";
import { ALL_ROLES, type Council, type CouncilUser, type Invitation, type ListPage, type Role } from "../models";
import { fillSetup } from "./councils/councilSetup";

const TITLE = "Your council";

const FIELDS: Record<string, string> = { email: "invite-email", name: "invite-name", roles: "invite-roles" };

export interface InviteValues {
  email: string;
  name: string;
  roles: Role[];
}

export interface CouncilState {
  council: Council;
  users: CouncilUser[];
  invitations: Invitation[];
  values: InviteValues;
  errors: FormErrors;
  banner: BannerOptions | null;
}

const EMPTY: InviteValues = { email: "", name: "", roles: [] };

const ROLE_HINTS: Record<Role, string> = {
  officer: "Lists spare hours and can be booked by other councils.",
  manager: "Signs off officers' hours and confirms bookings.",
  booker: "Finds and books officers at other councils.",
  finance: "Issues and pays recharge invoices.",
  council_admin: "Invites people and manages the council's settings.",
};

export function validateInvite(values: InviteValues): FormErrors {
  const errors = noErrors();
  if (!values.email) addFieldError(errors, FIELDS.email as string, "Enter an email address");
  else if (!EMAIL_PATTERN.test(values.email))
    addFieldError(errors, FIELDS.email as string, "Enter an email address in the correct format, like name@example.gov.uk");
  if (!values.name) addFieldError(errors, FIELDS.name as string, "Enter their full name");
  if (values.roles.length === 0) addFieldError(errors, FIELDS.roles as string, "Select at least one role");
  return errors;
}

function status(user: CouncilUser): SafeHtml {
  return user.active
    ? html`<strong class="govuk-tag govuk-tag--green">Active</strong>`
    : html`<strong class="govuk-tag govuk-tag--grey">Inactive</strong>`;
}

export function councilContent(state: CouncilState): SafeHtml {
  const pending = state.invitations.filter((invitation) => !invitation.accepted_at);
  const { values, errors } = state;
  return html`${errorSummary(errors.summary)}
${state.banner && !hasErrors(errors) ? notificationBanner(state.banner) : ""}
<span class="govuk-caption-l">${state.council.name}</span>
<h1 class="govuk-heading-l">${TITLE}</h1>
<div id="council-setup"></div>
${table({
  id: "users",
  caption: "People",
  head: ["Name", "Email", "Roles", "Status"],
  rows: state.users.map((user) => [user.name, html`<span class="tp-break">${breakable(user.email)}</span>`, user.roles.length ? formatRoles(user.roles) : "No roles", status(user)]),
  empty: "Nobody has joined yet.",
})}
${table({
  id: "invitations",
  caption: "Pending invitations",
  head: ["Name", "Email", "Roles", "Expires"],
  rows: pending.map((invitation) => [
    invitation.name,
    html`<span class="tp-break">${breakable(invitation.email)}</span>`,
    formatRoles(invitation.roles),
    formatDate(invitation.expires_at),
  ]),
  empty: "There are no pending invitations.",
})}
<div class="govuk-grid-row">
  <div class="govuk-grid-column-two-thirds">
    <h2 class="govuk-heading-m" id="invite">Invite someone</h2>
    <p class="govuk-body">They will be sent a link to set a password and join the Talent Pool.</p>
    <form method="post" action="/council/invitations" novalidate id="invite-form">
      ${textInput({
        id: "invite-email",
        name: "email",
        label: "Email address",
        hint: "Their work email address at your council.",
        type: "email",
        autocomplete: "off",
        spellcheck: false,
        value: values.email,
        error: errors.fields[FIELDS.email as string],
      })}
      ${textInput({
        id: "invite-name",
        name: "name",
        label: "Full name",
        autocomplete: "off",
        spellcheck: false,
        value: values.name,
        error: errors.fields[FIELDS.name as string],
      })}
      ${checkboxes({
        idPrefix: "invite-roles",
        name: "roles",
        legend: "Roles",
        legendSize: "s",
        hint: "Select all that apply.",
        error: errors.fields[FIELDS.roles as string],
        items: ALL_ROLES.map((role) => ({
          value: role,
          text: roleLabel(role),
          hint: ROLE_HINTS[role],
          checked: values.roles.includes(role),
        })),
      })}
      ${button("Send invitation")}
    </form>
  </div>
</div>`;
}

function draw(view: View, state: CouncilState): void {
  view.setTitle(errorTitle(TITLE, state.errors));
  const main = view.show(councilContent(state));
  void fillSetup(main, view, state.users.length);
  submitGuard()(main?.querySelector<HTMLFormElement>("#invite-form"), (form) =>
    invite(view, state, {
      email: formText(form, "email"),
      name: formText(form, "name"),
      roles: formValues(form, "roles").filter((r): r is Role => (ALL_ROLES as readonly string[]).includes(r)),
    }),
  );
}

async function load(view: View, council: Council): Promise<Pick<CouncilState, "users" | "invitations">> {
  const base = `/councils/${seg(council.id)}`;
  const [users, invitations] = await Promise.all([
    api.get<ListPage<CouncilUser>>(`${base}/users?limit=200`, { signal: view.signal }),
    api.get<ListPage<Invitation>>(`${base}/invitations?limit=200`, { signal: view.signal }),
  ]);
  return { users: users.items, invitations: invitations.items };
}

async function invite(view: View, state: CouncilState, values: InviteValues): Promise<void> {
  const errors = validateInvite(values);
  if (hasErrors(errors)) {
    draw(view, { ...state, values, errors, banner: null });
    return;
  }
  try {
    await api.post<Invitation>(`/councils/${seg(state.council.id)}/invitations`, values, { signal: view.signal });
  } catch (error) {
    const problem = toProblem(error);
    if (!problem || !view.isCurrent()) return;
    const problemErrors = errorsFromProblem(problem, FIELDS);
    if (problem.status === 409 && problem.errors.length === 0) {
      // Already a user, or already invited: it is about the email address.
      const text = problem.detail || "There is already a user or an invitation with this email address";
      draw(view, { ...state, values, errors: { summary: [{ text, href: "#invite-email" }], fields: { "invite-email": text } }, banner: null });
      return;
    }
    draw(view, { ...state, values, errors: problemErrors, banner: null });
    return;
  }
  let lists: Pick<CouncilState, "users" | "invitations">;
  try {
    lists = await load(view, state.council);
  } catch {
    lists = { users: state.users, invitations: state.invitations };
  }
  draw(view, {
    ...state,
    ...lists,
    values: EMPTY,
    errors: noErrors(),
    banner: { heading: `Invitation sent to ${values.email}`, success: true },
  });
}

export const councilPage: Page = {
  path: "/council",
  title: TITLE,
  access: "signed-in",
  roles: ["council_admin"],
  nav: { label: "Your council", order: 50 },
  async render(view) {
    const council = view.me?.council;
    if (!council) {
      view.show(html`<h1 class="govuk-heading-l">${TITLE}</h1><p class="govuk-body">You are not a member of a council.</p>`);
      return;
    }
    const lists = await load(view, council);
    draw(view, { council, ...lists, values: EMPTY, errors: noErrors(), banner: null });
  },
};
