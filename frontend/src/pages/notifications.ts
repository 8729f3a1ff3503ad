// The person's notifications: everything the service emailed them, newest first, unread ones
// marked; mark one or all as read. The unread count in the navigation follows.
import { api, toProblem } from "../api";
import { errorSummary } from "../components/errorSummary";
import { html, type SafeHtml } from "../components/escape";
import { errorsFromProblem, noErrors, type FormErrors } from "../components/formErrors";
import { button } from "../components/forms";
import { notificationBanner } from "../components/notificationBanner";
import { submitGuard } from "../components/submit";
import { formatDateTime } from "../format";
import type { AppNotification, ListPage, MarkedRead } from "../models";
import type { Page, View } from "../page";
import { showUnread } from "../unread";

export interface NotificationsState {
  items: AppNotification[];
  nextCursor: string | null;
  unreadOnly: boolean;
  errors: FormErrors;
  marked: number | null;
}

function item(note: AppNotification): SafeHtml {
  const unread = note.read_at === null;
  const text = note.link ? html`<a class="govuk-link" href="${note.link}">${note.text}</a>` : note.text;
  return html`<li class="tp-notification${unread ? " tp-notification--unread" : ""}" id="notification-${note.id}">
  ${unread ? html`<strong class="govuk-tag govuk-tag--blue">Unread</strong>` : ""}
  <p class="govuk-body govuk-!-margin-bottom-1">${text}</p>
  <p class="govuk-body-s govuk-!-margin-bottom-1"><time datetime="${note.created_at}">${formatDateTime(note.created_at)}</time></p>
  ${
    unread
      ? html`<form method="post" action="/notifications/read" novalidate class="tp-mark-read">
    <input type="hidden" name="id" value="${note.id}">
    ${button(html`Mark as read<span class="govuk-visually-hidden">: ${note.text}</span>`, { secondary: true, classes: "govuk-!-margin-bottom-0" })}
  </form>`
      : ""
  }
</li>`;
}

export function notificationsContent(state: NotificationsState): SafeHtml {
  const anyUnread = state.items.some((note) => note.read_at === null);
  const filter = state.unreadOnly
    ? html`<a class="govuk-link" href="/notifications">Show all notifications</a>`
    : html`<a class="govuk-link" href="/notifications?unread=true">Show only unread notifications</a>`;
  return html`<div class="govuk-grid-row">
  <div class="govuk-grid-column-two-thirds">
    ${errorSummary(state.errors.summary)}
    ${state.marked !== null ? notificationBanner({ heading: `${state.marked === 1 ? "1 notification" : `${state.marked} notifications`} marked as read`, success: true }) : ""}
    <h1 class="govuk-heading-l">Notifications</h1>
    <p class="govuk-body">Everything the service emails you is here too.</p>
    <p class="govuk-body">${filter}</p>
    ${
      state.items.length === 0
        ? html`<p class="govuk-body" id="no-notifications">${state.unreadOnly ? "You have no unread notifications." : "You have no notifications yet."}</p>`
        : html`${anyUnread ? html`<form method="post" action="/notifications/read" novalidate id="mark-all-form">${button("Mark all as read", { secondary: true })}</form>` : ""}
    <ul class="tp-notifications" id="notification-list">${state.items.map(item)}</ul>`
    }
    ${state.nextCursor ? html`<nav class="govuk-pagination govuk-pagination--block" aria-label="Pagination"><div class="govuk-pagination__next"><a class="govuk-link govuk-pagination__link" href="/notifications?${new URLSearchParams({ ...(state.unreadOnly ? { unread: "true" } : {}), cursor: state.nextCursor }).toString()}" rel="next"><span class="govuk-pagination__link-title">Older notifications</span></a></div></nav>` : ""}
  </div>
</div>`;
}

async function load(view: View, unreadOnly: boolean): Promise<ListPage<AppNotification>> {
  const query = new URLSearchParams({ limit: "50" });
  if (unreadOnly) query.set("unread", "true");
  const cursor = view.query.get("cursor");
  if (cursor) query.set("cursor", cursor);
  return api.get<ListPage<AppNotification>>(`/notifications?${query.toString()}`, { signal: view.signal });
}

function draw(view: View, state: NotificationsState): void {
  view.setTitle(state.errors.summary.length ? "Error: Notifications" : "Notifications");
  const main = view.show(notificationsContent(state));
  if (!main) return;
  const on = submitGuard();
  on(main.querySelector<HTMLFormElement>("#mark-all-form"), () => mark(view, state, { all: true }));
  main.querySelectorAll<HTMLFormElement>(".tp-mark-read").forEach((form) => {
    const id = (form.elements.namedItem("id") as HTMLInputElement | null)?.value ?? "";
    on(form, () => mark(view, state, { ids: [id] }));
  });
}

async function mark(view: View, state: NotificationsState, body: { ids?: string[]; all?: boolean }): Promise<void> {
  let result: MarkedRead;
  try {
    result = await api.post<MarkedRead>("/notifications/read", body, { signal: view.signal });
  } catch (error) {
    const problem = toProblem(error);
    if (problem && view.isCurrent()) draw(view, { ...state, errors: errorsFromProblem(problem, {}), marked: null });
    return;
  }
  let page: ListPage<AppNotification> = { items: state.items, next_cursor: state.nextCursor };
  try {
    page = await load(view, state.unreadOnly);
  } catch (error) {
    if (!toProblem(error)) return;
  }
  if (!view.isCurrent()) return;
  showUnread(document, result.unread);
  draw(view, { ...state, items: page.items, nextCursor: page.next_cursor, errors: noErrors(), marked: result.marked });
}

export const notificationsPage: Page = {
  path: "/notifications",
  title: "Notifications",
  access: "signed-in",
  nav: { label: "Notifications", order: 95 },
  async render(view) {
    const unreadOnly = view.query.get("unread") === "true";
    const page = await load(view, unreadOnly);
    draw(view, { items: page.items, nextCursor: page.next_cursor, unreadOnly, errors: noErrors(), marked: null });
  },
};
