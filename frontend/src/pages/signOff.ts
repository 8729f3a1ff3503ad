// "Sign-off" for managers: the council's weeks waiting for sign-off, one row per officer with
// their weeks (approve an officer's weeks, or everyone's; reject a week with a reason on its own
// page), and standing permissions that approve an officer's hours in advance.
import { api, seg, toProblem } from "../api";
import { errorSummary } from "../components/errorSummary";
import { html, type SafeHtml } from "../components/escape";
import {
  addFieldError,
  errorTitle,
  errorsFromProblem,
  hasErrors,
  noErrors,
  type FormErrors,
} from "../components/formErrors";
import {
  button,
  dateInput,
  formDate,
  formText,
  parseDateParts,
  select,
  textInput,
  type DateParts,
} from "../components/forms";
import { notificationBanner, type BannerOptions } from "../components/notificationBanner";
import { submitGuard } from "../components/submit";
import { table } from "../components/table";
import { formatDay, joinWords } from "../format";
import { hoursText, parseHours } from "../numbers";
import type { Page, View } from "../page";
import { takeFlash } from "../session";
import type { Approval, BulkApproveResult, ListPage, OfficerProfile, Permission } from "../models";
import { weekLabel } from "../weeks";

const TITLE = "Sign-off";

export const PERMISSION_FIELDS: Record<string, string> = {
  officer_id: "permission-officer",
  max_hours_per_week: "permission-hours",
  valid_from: "permission-from-day",
  valid_until: "permission-until-day",
};

export interface PermissionValues {
  officer_id: string;
  max_hours: string;
  from: DateParts;
  until: DateParts;
}

export interface PermissionBody {
  max_hours_per_week: number;
  valid_from: string;
  valid_until?: string;
}

export interface ActivePermission {
  officer: OfficerProfile;
  permission: Permission;
}

export interface SignOffState {
  queue: Approval[];
  more: boolean;
  officers: OfficerProfile[];
  permissions: ActivePermission[];
  values: PermissionValues;
  errors: FormErrors;
  banner: BannerOptions | null;
}

const EMPTY_DATE: DateParts = { day: "", month: "", year: "" };
const EMPTY: PermissionValues = { officer_id: "", max_hours: "", from: EMPTY_DATE, until: EMPTY_DATE };

export function validatePermission(values: PermissionValues): { errors: FormErrors; body: PermissionBody | null } {
  const errors = noErrors();
  if (!values.officer_id) addFieldError(errors, "permission-officer", "Select the officer");
  const hours = parseHours(values.max_hours, { empty: "Enter the most hours a week it approves", name: "Maximum hours a week" });
  if (!hours.ok) addFieldError(errors, "permission-hours", hours.error);
  const from = parseDateParts(values.from, "The start date");
  if (!from.ok) addFieldError(errors, "permission-from-day", from.error);
  const untilGiven = Boolean(values.until.day || values.until.month || values.until.year);
  const until = untilGiven ? parseDateParts(values.until, "The end date") : null;
  if (until && !until.ok) addFieldError(errors, "permission-until-day", until.error);
  if (from.ok && until?.ok && until.value < from.value) {
    addFieldError(errors, "permission-until-day", "The end date must be the same as or after the start date");
  }
  if (hasErrors(errors) || !hours.ok || !from.ok) return { errors, body: null };
  const body: PermissionBody = { max_hours_per_week: hours.value, valid_from: from.value };
  if (until?.ok) body.valid_until = until.value;
  return { errors, body };
}

function hiddenContext(approval: Approval): string {
  return ` ${hoursText(approval.pending_hours)} for ${approval.officer.display_name}, ${weekLabel(approval.week)}`;
}

export interface OfficerQueue {
  officer: Approval["officer"];
  weeks: Approval[];
}

/** The queue with one entry per officer (in the order the officers first appear), weeks in order. */
export function byOfficer(queue: readonly Approval[]): OfficerQueue[] {
  const groups = new Map<string, OfficerQueue>();
  for (const row of queue) {
    const group = groups.get(row.officer.id);
    if (group) group.weeks.push(row);
    else groups.set(row.officer.id, { officer: row.officer, weeks: [row] });
  }
  for (const group of groups.values()) group.weeks.sort((a, b) => a.week.localeCompare(b.week));
  return [...groups.values()];
}

function weekItem(row: Approval): SafeHtml {
  const approved = row.approved_hours > 0 ? ` (${hoursText(row.approved_hours)} approved before)` : "";
  return html`<li>${weekLabel(row.week)}: ${hoursText(row.pending_hours)}${approved}
  ${row.bank_holidays.map((day) => html`<span class="govuk-body-s tp-week-note">Bank holiday: ${day.name}</span>`)}
  ${
    row.started
      ? html`<span class="govuk-body-s tp-week-note">Started: it can no longer be approved</span>`
      : html`<a class="govuk-link tp-action-link" href="/sign-off/${row.id}/reject">Reject<span class="govuk-visually-hidden">${hiddenContext(row)}</span></a>`
  }</li>`;
}

function officerRow({ officer, weeks }: OfficerQueue): (SafeHtml | string)[] {
  const open = weeks.filter((row) => !row.started);
  const total = open.reduce((sum, row) => sum + row.pending_hours, 0);
  const count = `${open.length} ${open.length === 1 ? "week" : "weeks"}`;
  return [
    html`${officer.display_name} ${officer.job_title ? html`<span class="govuk-body-s tp-week-note">${officer.job_title}</span>` : ""}`,
    html`<ul class="govuk-list tp-week-list">${weeks.map(weekItem)}</ul>`,
    open.length ? `${hoursText(total)} in ${count}` : "None that can still be approved",
    open.length
      ? html`<form class="tp-inline-form" method="post" action="/sign-off/approve" novalidate data-approve-officer="${officer.id}">
        ${button(html`Approve ${count}<span class="govuk-visually-hidden"> for ${officer.display_name}</span>`, { secondary: true })}
      </form>`
      : "",
  ];
}

function queueSection(state: SignOffState): SafeHtml {
  const open = state.queue.filter((row) => !row.started);
  return html`${table({
    id: "queue",
    caption: "Waiting for sign-off",
    head: ["Officer", "Weeks", "Hours asked", "Action"],
    rows: byOfficer(state.queue).map(officerRow),
    empty: "Nothing is waiting for sign-off.",
    cards: { title: 0, actions: 3 },
  })}
${state.more ? html`<p class="govuk-body">There are more weeks waiting. Approve or reject these to see the rest.</p>` : ""}
${
  open.length > 0
    ? html`<form method="post" action="/sign-off/approve-all" novalidate id="approve-all-form">
  ${button(html`Approve all<span class="govuk-visually-hidden"> ${open.length} ${open.length === 1 ? "week" : "weeks"} shown</span>`)}
</form>`
    : ""
}`;
}

function permissionsSection(state: SignOffState): SafeHtml {
  const { values, errors } = state;
  return html`<h2 class="govuk-heading-m" id="permissions">Standing permissions</h2>
<p class="govuk-body">A standing permission approves an officer's hours in advance: weeks that fall wholly between its dates, with no more than its hours, are approved as soon as they are listed. Weeks already waiting that it covers are approved when you give it.</p>
${table({
  id: "permissions-table",
  caption: "Active standing permissions",
  head: ["Officer", "Up to", "From", "Until", "Action"],
  rows: state.permissions.map(({ officer, permission }) => [
    officer.display_name,
    `${hoursText(permission.max_hours_per_week)} a week`,
    formatDay(permission.valid_from),
    permission.valid_until ? formatDay(permission.valid_until) : "No end date",
    html`<form class="tp-inline-form" method="post" action="/permissions/${permission.id}/end" novalidate data-end="${permission.id}">
      ${button(html`End<span class="govuk-visually-hidden"> the standing permission for ${officer.display_name}</span>`, { secondary: true })}
    </form>`,
  ]),
  empty: "There are no active standing permissions.",
  level: 3,
  captionSize: "s",
  cards: { title: 0, actions: 4 },
})}
<div class="govuk-grid-row">
  <div class="govuk-grid-column-two-thirds">
    <h3 class="govuk-heading-s">Give a standing permission</h3>
    ${
      state.officers.length === 0
        ? html`<p class="govuk-body">There are no officers at your council yet.</p>`
        : html`<form method="post" action="/sign-off/permissions" novalidate id="permission-form">
      ${select({
        id: "permission-officer",
        name: "officer_id",
        label: "Officer",
        items: [
          { value: "", text: "Select an officer" },
          ...state.officers.map((officer) => ({
            value: officer.id,
            text: officer.job_title ? `${officer.display_name} (${officer.job_title})` : officer.display_name,
          })),
        ],
        value: values.officer_id,
        error: errors.fields["permission-officer"],
      })}
      ${textInput({
        id: "permission-hours",
        name: "max_hours",
        label: "Maximum hours a week",
        hint: "In quarter hours, for example 7.5.",
        inputmode: "decimal",
        inputClass: "govuk-input--width-4",
        spellcheck: false,
        autocomplete: "off",
        suffix: "hours",
        value: values.max_hours,
        error: errors.fields["permission-hours"],
      })}
      ${dateInput({
        id: "permission-from",
        legend: "Start date",
        hint: "For example, 1 12 2026",
        value: values.from,
        error: errors.fields["permission-from-day"],
      })}
      ${dateInput({
        id: "permission-until",
        legend: "End date (optional)",
        hint: "Leave empty for no end date. For example, 31 3 2027",
        value: values.until,
        error: errors.fields["permission-until-day"],
      })}
      ${button("Give permission")}
    </form>`
    }
  </div>
</div>`;
}

export function signOffContent(state: SignOffState): SafeHtml {
  return html`${errorSummary(state.errors.summary)}
${state.banner && !hasErrors(state.errors) ? notificationBanner(state.banner) : ""}
<h1 class="govuk-heading-l">${TITLE}</h1>
<p class="govuk-body">Officers at your council need your sign-off before other councils can book their spare hours.</p>
${queueSection(state)}
${permissionsSection(state)}`;
}

async function loadQueue(view: View): Promise<Pick<SignOffState, "queue" | "more">> {
  const page = await api.get<ListPage<Approval>>("/approvals?status=pending&limit=200", { signal: view.signal });
  return { queue: page.items, more: page.next_cursor !== null };
}

/** Each officer's active permissions (a few requests at a time). */
async function loadPermissions(view: View, officers: readonly OfficerProfile[]): Promise<ActivePermission[]> {
  const out: ActivePermission[] = [];
  const batch = 6;
  for (let i = 0; i < officers.length; i += batch) {
    const pages = await Promise.all(
      officers
        .slice(i, i + batch)
        .map((officer) =>
          api
            .get<ListPage<Permission>>(`/officers/${seg(officer.id)}/permissions?limit=200`, { signal: view.signal })
            .then((page) => page.items.filter((p) => p.active).map((permission) => ({ officer, permission }))),
        ),
    );
    out.push(...pages.flat());
  }
  return out;
}

async function loadAll(view: View): Promise<Pick<SignOffState, "queue" | "more" | "officers" | "permissions">> {
  const [queue, officers] = await Promise.all([
    loadQueue(view),
    api.get<ListPage<OfficerProfile>>("/officers?limit=200", { signal: view.signal }),
  ]);
  // Nobody signs off their own hours.
  const others = officers.items.filter((officer) => officer.id !== view.me?.officer_id);
  return { ...queue, officers: others, permissions: await loadPermissions(view, others) };
}

function draw(view: View, state: SignOffState): void {
  view.setTitle(errorTitle(TITLE, state.errors));
  const main = view.show(signOffContent(state));
  if (!main) return;
  const on = submitGuard();
  main.querySelectorAll<HTMLFormElement>("form[data-approve-officer]").forEach((form) => {
    const officerId = form.dataset.approveOfficer ?? "";
    const ids = state.queue.filter((row) => row.officer.id === officerId && !row.started).map((row) => row.id);
    on(form, () => approveWeeks(view, state, ids));
  });
  on(main.querySelector<HTMLFormElement>("#approve-all-form"), () => approveAll(view, state));
  main.querySelectorAll<HTMLFormElement>("form[data-end]").forEach((form) => {
    on(form, () => endPermission(view, state, form.dataset.end ?? ""));
  });
  on(main.querySelector<HTMLFormElement>("#permission-form"), (form) =>
    givePermission(view, state, {
      officer_id: formText(form, "officer_id"),
      max_hours: formText(form, "max_hours"),
      from: formDate(form, "permission-from"),
      until: formDate(form, "permission-until"),
    }),
  );
}

/** After an action: fresh lists and a banner (or the lists as they were if reloading fails). */
async function refresh(view: View, state: SignOffState, banner: BannerOptions, values = state.values): Promise<void> {
  let lists: Pick<SignOffState, "queue" | "more" | "officers" | "permissions">;
  try {
    lists = await loadAll(view);
  } catch (error) {
    if (!toProblem(error)) return;
    lists = state;
  }
  if (!view.isCurrent()) return;
  draw(view, { ...state, ...lists, values, errors: noErrors(), banner });
}

function failed(view: View, state: SignOffState, error: unknown, fields: Record<string, string> = {}, values = state.values): void {
  const problem = toProblem(error);
  if (!problem || !view.isCurrent()) return;
  draw(view, { ...state, values, errors: errorsFromProblem(problem, fields), banner: null });
}


export function bulkBanner(result: BulkApproveResult): BannerOptions {
  const n = result.approved.length;
  const names = [...new Set(result.approved.map((row) => row.officer.display_name))];
  const skipped = result.skipped.length
    ? ` ${result.skipped.length} not approved: ${result.skipped.map((s) => s.reason).join("; ")}.`
    : "";
  return {
    heading: n === 0 ? "No weeks were approved" : `${n} ${n === 1 ? "week" : "weeks"} approved`,
    text: `${n > 0 ? `Hours for ${joinWords(names)} can be booked by other councils now.` : ""}${skipped}`.trim() || undefined,
    success: n > 0,
  };
}

async function approveAll(view: View, state: SignOffState): Promise<void> {
  await approveWeeks(view, state, state.queue.filter((row) => !row.started).map((row) => row.id));
}

async function approveWeeks(view: View, state: SignOffState, ids: string[]): Promise<void> {
  let result: BulkApproveResult;
  try {
    result = await api.post<BulkApproveResult>("/approvals/approve", { ids }, { signal: view.signal });
  } catch (error) {
    failed(view, state, error);
    return;
  }
  await refresh(view, state, bulkBanner(result));
}

async function endPermission(view: View, state: SignOffState, id: string): Promise<void> {
  const ended = state.permissions.find((p) => p.permission.id === id);
  try {
    await api.delete<void>(`/permissions/${seg(id)}`, { signal: view.signal });
  } catch (error) {
    failed(view, state, error);
    return;
  }
  await refresh(view, state, {
    heading: `Standing permission ended${ended ? ` for ${ended.officer.display_name}` : ""}`,
    text: "Hours it approved stay approved. New hours will need your sign-off.",
    success: true,
  });
}

async function givePermission(view: View, state: SignOffState, values: PermissionValues): Promise<void> {
  const { errors, body } = validatePermission(values);
  if (!body) {
    draw(view, { ...state, values, errors, banner: null });
    return;
  }
  try {
    await api.post<Permission>(`/officers/${seg(values.officer_id)}/permissions`, body, { signal: view.signal });
  } catch (error) {
    failed(view, state, error, PERMISSION_FIELDS, values);
    return;
  }
  const officer = state.officers.find((o) => o.id === values.officer_id);
  const until = body.valid_until ? ` to ${formatDay(body.valid_until)}` : ", with no end date";
  await refresh(
    view,
    state,
    {
      heading: `Standing permission given${officer ? ` to ${officer.display_name}` : ""}`,
      text: `Up to ${hoursText(body.max_hours_per_week)} a week from ${formatDay(body.valid_from)}${until}. Weeks waiting that it covers are approved.`,
      success: true,
    },
    EMPTY,
  );
}

export const signOffPage: Page = {
  path: "/sign-off",
  title: TITLE,
  access: "signed-in",
  roles: ["manager"],
  nav: { label: "Sign-off", order: 30 },
  async render(view) {
    const lists = await loadAll(view);
    draw(view, { ...lists, values: EMPTY, errors: noErrors(), banner: takeFlash() });
  },
};
