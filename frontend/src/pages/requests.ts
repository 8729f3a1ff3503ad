// Requests for help: the open requests of councils in the pool (and one's own council's), and a
// request's own page: the need; for the council that asked, the offers side by side (profile,
// rate, cost, weeks) to accept, and closing it; for officers of other councils, an offer of
// weeks and hours (listed for sign-off like any hours) or their offer to withdraw; and the
// conversation between them.
import { ProblemError, api, seg, toProblem } from "../api";
import { errorSummary } from "../components/errorSummary";
import { html, type SafeHtml } from "../components/escape";
import { addFieldError, errorTitle, errorsFromProblem, noErrors, type FormErrors } from "../components/formErrors";
import { button, checkboxes, formText, formValues, textInput, textarea } from "../components/forms";
import { loadMessages, messagesSection, wireMessages } from "../components/messages";
import { notificationBanner, type BannerOptions } from "../components/notificationBanner";
import { submitGuard } from "../components/submit";
import { summaryList } from "../components/summaryList";
import { table } from "../components/table";
import { formatDay, formatPence, formatRate } from "../format";
import { newIdempotencyKey } from "../idempotency";
import type { Accepted, HelpRequest, ListPage, Message, Offer } from "../models";
import { hoursText, parseHours } from "../numbers";
import type { Page, View } from "../page";
import { takeFlash } from "../session";
import { addWeeks, weekLabel, weeksBetween } from "../weeks";

const STATUS_TAGS: Record<string, SafeHtml> = {
  open: html`<strong class="govuk-tag govuk-tag--green">Open</strong>`,
  filled: html`<strong class="govuk-tag govuk-tag--blue">Filled</strong>`,
  closed: html`<strong class="govuk-tag govuk-tag--grey">Closed</strong>`,
  made: html`<strong class="govuk-tag govuk-tag--light-blue">Offered</strong>`,
  accepted: html`<strong class="govuk-tag govuk-tag--green">Accepted</strong>`,
  withdrawn: html`<strong class="govuk-tag govuk-tag--grey">Withdrawn</strong>`,
  lapsed: html`<strong class="govuk-tag govuk-tag--grey">Lapsed</strong>`,
};

function weeksText(r: HelpRequest): string {
  return r.from_week === r.to_week ? weekLabel(r.from_week) : `${weekLabel(r.from_week)} to ${weekLabel(r.to_week)}`;
}

function requestRow(r: HelpRequest): SafeHtml[] {
  return [
    html`<a class="govuk-link" href="/requests/${r.id}">${r.title}</a>`,
    html`${r.council.name}`,
    html`${r.skills.map((s) => s.name).join(", ")}`,
    html`${hoursText(r.hours_per_week)} a week, ${weeksText(r)}`,
    html`${formatDay(r.closes_on)}`,
    STATUS_TAGS[r.status] ?? html`${r.status}`,
  ];
}

export const requestsPage: Page = {
  path: "/requests",
  title: "Requests for help",
  access: "signed-in",
  roles: ["officer", "booker", "manager", "council_admin"],
  nav: { label: "Requests for help", order: 42 },
  async render(view) {
    const [open, mine] = await Promise.all([
      api.get<ListPage<HelpRequest>>("/requests?status=open&limit=100", { signal: view.signal }),
      api.get<ListPage<HelpRequest>>("/requests?council=mine&limit=100", { signal: view.signal }),
    ]);
    const booker = view.me?.roles.includes("booker") ?? false;
    const others = open.items.filter((r) => !r.mine);
    const head = ["Request", "Council", "Skills", "Hours", "Offers close", "Status"];
    const flash = takeFlash();
    view.show(html`${flash ? notificationBanner(flash) : ""}
<h1 class="govuk-heading-l">Requests for help</h1>
<p class="govuk-body">Councils in the pool ask for skills they need. Offer your hours, or ask for help yourself.</p>
${booker ? html`<a href="/requests/new" role="button" draggable="false" class="govuk-button" data-module="govuk-button" id="ask-for-help">Ask for help</a>` : ""}
${table({ id: "open-requests", caption: "Open requests from other councils", head, rows: others.map(requestRow), empty: "No other council is asking for help at the moment.", cards: { title: 0 } })}
${mine.items.length > 0 || booker ? table({ id: "our-requests", caption: "Your council's requests", head, rows: mine.items.map(requestRow), empty: "Your council has not asked for help yet.", cards: { title: 0 } }) : ""}`);
  },
};

// --- one request ---------------------------------------------------------------------------

interface RequestState {
  request: HelpRequest;
  offers: Offer[];
  messages: Message[] | null;
  errors: FormErrors;
  banner: BannerOptions | null;
  offerValues: { weeks: string[]; hours: string; note: string };
  messageError?: string;
  messageValue?: string;
}

function requestWeeks(r: HelpRequest): string[] {
  const count = weeksBetween(r.from_week, r.to_week) + 1;
  return Array.from({ length: count }, (_, i) => addWeeks(r.from_week, i));
}

function needRows(r: HelpRequest): SafeHtml {
  return summaryList([
    { key: "Status", value: STATUS_TAGS[r.status] ?? r.status },
    { key: "Council", value: r.council.name },
    { key: "Skills", value: r.skills.map((s) => s.name).join(", ") },
    { key: "Weeks", value: weeksText(r) },
    { key: "Hours a week", value: hoursText(r.hours_per_week) },
    { key: "Most they will pay", value: r.max_rate_pence === null ? "Not given" : formatRate(r.max_rate_pence) },
    { key: "Offers close", value: `End of ${formatDay(r.closes_on)}` },
    ...(r.mine ? [{ key: "Purchase order number", value: r.purchase_order ?? "None" }] : []),
  ]);
}

function offerWeeks(offer: Offer): SafeHtml {
  return html`<ul class="govuk-list govuk-!-margin-bottom-0">${offer.weeks.map(
    (w) => html`<li>${weekLabel(w.week)}: ${hoursText(w.hours)}${w.approved_hours >= w.hours ? "" : html` <span class="govuk-body-s">(waiting for sign-off)</span>`}</li>`,
  )}</ul>`;
}

function offersSection(state: RequestState): SafeHtml {
  const { request, offers } = state;
  const rows = offers.map((o) => [
    html`<a class="govuk-link" href="/officers/${o.officer.id}">${o.officer.display_name}</a>${o.officer.job_title ? html`<span class="govuk-body-s tp-week-note">${o.officer.job_title}</span>` : ""}`,
    html`${o.officer.council.name}`,
    html`${formatRate(o.cost.rate_pence_per_hour)}`,
    offerWeeks(o),
    html`${formatPence(o.cost.gross_pence)} <span class="govuk-body-s tp-week-note">${formatPence(o.cost.net_pence)} + VAT ${formatPence(o.cost.vat_pence)}</span>`,
    html`${STATUS_TAGS[o.status] ?? o.status}${o.note ? html`<span class="govuk-body-s tp-week-note">“${o.note}”</span>` : ""}`,
    o.status === "made" && request.status === "open"
      ? html`<form method="post" novalidate class="tp-accept" data-offer="${o.id}">${button(html`Accept<span class="govuk-visually-hidden"> ${o.officer.display_name}'s offer</span>`, { classes: "govuk-!-margin-bottom-0" })}</form>`
      : html``,
  ]);
  return html`${table({ id: "offers", caption: "Offers", head: ["Officer", "Council", "Rate", "Weeks", "Cost", "Status", "Action"], rows, empty: "No offers yet. Officers whose skills match have been told.", cards: { title: 0, actions: 6 } })}
${
  request.status === "open"
    ? html`<h2 class="govuk-heading-m">Close this request</h2>
<div class="govuk-button-group">
  <form method="post" novalidate id="filled-form">${button("Mark as filled", { secondary: true })}</form>
  <form method="post" novalidate id="close-form">${button("Close without filling", { secondary: true })}</form>
</div>`
    : ""
}`;
}

function offerForm(state: RequestState): SafeHtml {
  const { request, errors, offerValues: v } = state;
  const weeks = requestWeeks(request);
  return html`<h2 class="govuk-heading-m" id="offer">Offer your hours</h2>
<p class="govuk-body">Hours you have not listed yet are listed now and go to your manager for sign-off, as any hours do. ${request.council.name} can accept your offer once they are approved.</p>
<form method="post" novalidate id="offer-form">
  ${checkboxes({ idPrefix: "offer-weeks", name: "week", legend: "Weeks you can offer", legendSize: "s", items: weeks.map((w) => ({ value: w, text: weekLabel(w), checked: v.weeks.includes(w) })), error: errors.fields["offer-weeks"], small: true })}
  ${textInput({ id: "offer-hours", name: "hours", label: "Hours each week", labelClass: "govuk-label--s", hint: `${request.council.name} asks for ${hoursText(request.hours_per_week)} a week.`, inputmode: "decimal", inputClass: "govuk-input--width-4", suffix: "hours", spellcheck: false, autocomplete: "off", value: v.hours, error: errors.fields["offer-hours"] })}
  ${textarea({ id: "offer-note", name: "note", label: "Note (optional)", labelClass: "govuk-label--s", hint: "For example, your experience of this work.", value: v.note, rows: 3, maxlength: 1000, error: errors.fields["offer-note"] })}
  ${button("Send offer")}
</form>`;
}

function myOffer(offer: Offer): SafeHtml {
  return html`<h2 class="govuk-heading-m" id="your-offer">Your offer</h2>
${summaryList([
  { key: "Status", value: STATUS_TAGS[offer.status] ?? offer.status },
  { key: "Weeks", value: offerWeeks(offer) },
  { key: "Cost to them", value: formatPence(offer.cost.gross_pence) },
])}
${offer.status === "made" ? html`<form method="post" novalidate id="withdraw-form">${button("Withdraw your offer", { secondary: true })}</form>` : ""}`;
}

export function requestContent(state: RequestState, canOffer: boolean, myOfficerId: string | null = null): SafeHtml {
  const { request } = state;
  const mine = state.offers.find((o) => o.officer.id === myOfficerId && (o.status === "made" || o.status === "accepted"));
  return html`<a href="/requests" class="govuk-back-link">Back to requests for help</a>
${errorSummary(state.errors.summary)}
${state.banner && state.errors.summary.length === 0 ? notificationBanner(state.banner) : ""}
<span class="govuk-caption-l">Request for help from ${request.council.name}</span>
<h1 class="govuk-heading-l">${request.title}</h1>
<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
  ${needRows(request)}
  <h2 class="govuk-heading-m">The work</h2>
  <p class="govuk-body tp-message">${request.description}</p>
</div></div>
${request.mine ? offersSection(state) : ""}
<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
  ${!request.mine && mine ? myOffer(mine) : ""}
  ${!request.mine && !mine && canOffer && request.status === "open" ? offerForm(state) : ""}
  ${state.messages ? messagesSection(state.messages, state.messageError, state.messageValue) : ""}
</div></div>`;
}

async function load(view: View, id: string): Promise<Pick<RequestState, "request" | "offers" | "messages">> {
  const [request, offers] = await Promise.all([
    api.get<HelpRequest>(`/requests/${seg(id)}`, { signal: view.signal }),
    api.get<ListPage<Offer>>(`/requests/${seg(id)}/offers?limit=200`, { signal: view.signal }),
  ]);
  let messages: Message[] | null = null;
  try {
    messages = await loadMessages(`/requests/${seg(id)}/messages`, view.signal);
  } catch (error) {
    if (!(error instanceof ProblemError && error.status === 404)) throw error;
  }
  return { request, offers: offers.items, messages };
}

function draw(view: View, state: RequestState): void {
  const canOffer = view.me?.roles.includes("officer") ?? false;
  view.setTitle(errorTitle(state.request.title, state.errors));
  const main = view.show(requestContent(state, canOffer, view.me?.officer_id ?? null));
  if (!main) return;
  const on = submitGuard();
  const id = state.request.id;
  main.querySelectorAll<HTMLFormElement>("form.tp-accept").forEach((form) => on(form, () => accept(view, state, form.dataset.offer ?? "")));
  on(main.querySelector<HTMLFormElement>("#filled-form"), () => act(view, state, `/requests/${seg(id)}/close`, { filled: true }, "Request marked as filled"));
  on(main.querySelector<HTMLFormElement>("#close-form"), () => act(view, state, `/requests/${seg(id)}/close`, { filled: false }, "Request closed"));
  const mine = state.offers.find((o) => o.officer.id === view.me?.officer_id && o.status === "made");
  on(main.querySelector<HTMLFormElement>("#withdraw-form"), () => act(view, state, `/offers/${seg(mine?.id ?? "")}/withdraw`, undefined, "Offer withdrawn"));
  on(main.querySelector<HTMLFormElement>("#offer-form"), (form) => sendOffer(view, state, { weeks: formValues(form, "week"), hours: formText(form, "hours"), note: formText(form, "note") }));
  if (state.messages) {
    const shown = state.messages;
    wireMessages(main, `/requests/${seg(id)}/messages`, view.signal, (messages, error, value) =>
      draw(view, { ...state, messages: messages ?? shown, messageError: error, messageValue: error ? value : "", banner: null, errors: noErrors() }),
    );
  }
}

async function refresh(view: View, state: RequestState, banner: BannerOptions | null, errors = noErrors()): Promise<void> {
  let fresh = { request: state.request, offers: state.offers, messages: state.messages };
  try {
    fresh = await load(view, state.request.id);
  } catch (error) {
    if (!toProblem(error)) return;
  }
  if (view.isCurrent()) draw(view, { ...state, ...fresh, banner, errors });
}

async function act(view: View, state: RequestState, path: string, body: unknown, heading: string): Promise<void> {
  try {
    await api.post(path, body, { signal: view.signal });
  } catch (error) {
    const problem = toProblem(error);
    if (problem) await refresh(view, state, null, errorsFromProblem(problem, {}));
    return;
  }
  await refresh(view, state, { heading, success: true });
}

async function accept(view: View, state: RequestState, offerId: string): Promise<void> {
  let accepted: Accepted;
  try {
    accepted = await api.post<Accepted>(`/offers/${seg(offerId)}/accept`, undefined, { signal: view.signal, headers: { "Idempotency-Key": newIdempotencyKey() } });
  } catch (error) {
    const problem = toProblem(error);
    if (problem) await refresh(view, state, null, errorsFromProblem(problem, {}));
    return;
  }
  const refs = accepted.bookings.map((b) => `${b.reference} (${weekLabel(b.week)})`).join(", ");
  await refresh(view, state, { heading: `Offer accepted: ${accepted.bookings.length === 1 ? "1 booking" : `${accepted.bookings.length} bookings`} requested`, text: `${refs}. ${accepted.offer.officer.display_name} or their manager confirms each one; see them under Bookings.`, success: true });
}

export function validateOffer(values: RequestState["offerValues"]): { errors: FormErrors; body: { weeks: { week: string; hours: number }[]; note: string } | null } {
  const errors = noErrors();
  if (values.weeks.length === 0) addFieldError(errors, "offer-weeks", "Select the weeks you can offer");
  const hours = parseHours(values.hours, { empty: "Enter the hours each week", name: "Hours each week" });
  if (!hours.ok) addFieldError(errors, "offer-hours", hours.error);
  if (values.note.length > 1000) addFieldError(errors, "offer-note", "The note must be 1000 characters or fewer");
  if (errors.summary.length > 0 || !hours.ok) return { errors, body: null };
  return { errors, body: { weeks: values.weeks.map((week) => ({ week, hours: hours.value })), note: values.note } };
}

async function sendOffer(view: View, state: RequestState, values: RequestState["offerValues"]): Promise<void> {
  const { errors, body } = validateOffer(values);
  if (!body) return draw(view, { ...state, offerValues: values, errors, banner: null });
  try {
    await api.post<Offer>(`/requests/${seg(state.request.id)}/offers`, body, { signal: view.signal });
  } catch (error) {
    const problem = toProblem(error);
    if (problem && view.isCurrent()) draw(view, { ...state, offerValues: values, errors: errorsFromProblem(problem, { weeks: "offer-weeks", note: "offer-note" }), banner: null });
    return;
  }
  await refresh(view, { ...state, offerValues: { weeks: [], hours: "", note: "" } }, { heading: "Offer sent", text: `${state.request.council.name} has been told. Hours not yet approved have gone to your manager for sign-off.`, success: true });
}

export const requestPage: Page = {
  path: "/requests/:id",
  title: "Request for help",
  access: "signed-in",
  async render(view) {
    let loaded: Awaited<ReturnType<typeof load>>;
    try {
      loaded = await load(view, view.params.id ?? "");
    } catch (error) {
      if (error instanceof ProblemError && error.status === 422) throw new ProblemError(404);
      throw error;
    }
    draw(view, { ...loaded, errors: noErrors(), banner: takeFlash(), offerValues: { weeks: [], hours: "", note: "" } });
  },
};
