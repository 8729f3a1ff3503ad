// What the decline and cancel pages share: a booking, a reason the other side is told, and a
// warning button. Each page is its own file (bookingDecline.ts, bookingCancel.ts).
import { ProblemError, api, seg, toProblem } from "../api";
import { type Actions, type Viewer, actionsFor, serverWeek, viewerOf } from "../bookings";
import { errorSummary } from "../components/errorSummary";
import { html, type SafeHtml } from "../components/escape";
import { addFieldError, errorTitle, errorsFromProblem, noErrors, type FormErrors } from "../components/formErrors";
import { button, formText, textarea } from "../components/forms";
import { submitGuard } from "../components/submit";
import { bookingStatusTag } from "../components/statusTag";
import { summaryList } from "../components/summaryList";
import { hoursText } from "../numbers";
import type { Page, View } from "../page";
import { type Flash, setFlash } from "../session";
import type { Booking, Role } from "../models";
import { weekLabel } from "../weeks";

export const REASON_MAX = 500;

export interface ReasonPageOptions {
  /** "decline" or "cancel": the API's action, and the page's address under the booking. */
  action: "decline" | "cancel";
  title: string;
  roles: readonly Role[];
  /** Whether the viewer may take the action now. */
  allowed(actions: Actions): boolean;
  label: string;
  /** Who is told the reason. */
  hint(booking: Booking, viewer: Viewer): string;
  /** A warning shown above the form, if any. */
  warning?(booking: Booking): string;
  submit: string;
  keep: string;
  /** Said when the action can no longer be taken. */
  notAllowed: string;
  flash(booking: Booking): Flash;
}

interface ReasonState {
  booking: Booking;
  viewer: Viewer;
  allowed: boolean;
  reason: string;
  errors: FormErrors;
}

export function validateReasonText(reason: string, empty: string): FormErrors {
  const errors = noErrors();
  if (!reason) addFieldError(errors, "reason", empty);
  else if (reason.length > REASON_MAX) addFieldError(errors, "reason", `The reason must be ${REASON_MAX} characters or fewer`);
  return errors;
}

export function reasonContent(options: ReasonPageOptions, state: ReasonState): SafeHtml {
  const { booking, errors } = state;
  const back = `/bookings/${booking.id}`;
  return html`<a href="${back}" class="govuk-back-link">Back to the booking</a>
<div class="govuk-grid-row">
  <div class="govuk-grid-column-two-thirds">
    ${errorSummary(errors.summary)}
    <span class="govuk-caption-l">Booking of ${booking.officer.display_name}</span>
    <h1 class="govuk-heading-l">${options.title}</h1>
    ${summaryList([
      { key: "Officer", value: booking.officer.display_name },
      { key: "Booked by", value: booking.booking_council.name },
      { key: "Week", value: weekLabel(booking.week) },
      { key: "Hours", value: hoursText(booking.hours) },
      { key: "Status", value: bookingStatusTag(booking.status, booking.late_cancellation) },
    ])}
    ${
      state.allowed
        ? html`${
            options.warning
              ? html`<div class="govuk-warning-text">
      <span class="govuk-warning-text__icon" aria-hidden="true">!</span>
      <strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span> ${options.warning(booking)}</strong>
    </div>`
              : ""
          }
    <form method="post" action="${back}/${options.action}" novalidate id="reason-form">
      ${textarea({
        id: "reason",
        label: options.label,
        labelClass: "govuk-label--s",
        hint: options.hint(booking, state.viewer),
        value: state.reason,
        error: errors.fields.reason,
        rows: 4,
        maxlength: REASON_MAX,
      })}
      <div class="govuk-button-group">
        ${button(options.submit, { warning: true })}
        <a class="govuk-link" href="${back}">${options.keep}</a>
      </div>
    </form>`
        : html`<p class="govuk-body" id="not-allowed">${options.notAllowed}</p>
    <p class="govuk-body"><a class="govuk-link" href="${back}">Back to the booking</a></p>`
    }
  </div>
</div>`;
}

function draw(view: View, options: ReasonPageOptions, state: ReasonState): void {
  view.setTitle(errorTitle(options.title, state.errors));
  const main = view.show(reasonContent(options, state));
  submitGuard()(main?.querySelector<HTMLFormElement>("#reason-form"), (form) => send(view, options, state, formText(form, "reason")));
}

async function send(view: View, options: ReasonPageOptions, state: ReasonState, reason: string): Promise<void> {
  const errors = validateReasonText(reason, `Enter the reason you are ${options.action === "decline" ? "declining" : "cancelling"}`);
  if (errors.summary.length > 0) {
    draw(view, options, { ...state, reason, errors });
    return;
  }
  let booking: Booking;
  try {
    booking = await api.post<Booking>(`/bookings/${seg(state.booking.id)}/${options.action}`, { reason }, { signal: view.signal });
  } catch (error) {
    const problem = toProblem(error);
    if (!problem || !view.isCurrent()) return;
    draw(view, options, { ...state, reason, errors: errorsFromProblem(problem, { reason: "reason" }) });
    return;
  }
  setFlash(options.flash(booking));
  view.navigate(`/bookings/${booking.id}`);
}

/** The booking the address names (GET /bookings/{id}); 404 when it is not an id at all. */
export async function loadBooking(view: View): Promise<Booking> {
  try {
    return await api.get<Booking>(`/bookings/${seg(view.params.id ?? "")}`, { signal: view.signal });
  } catch (error) {
    // Not an id at all (422): as good as not found.
    if (error instanceof ProblemError && error.status === 422) throw new ProblemError(404);
    throw error;
  }
}

export function reasonPage(options: ReasonPageOptions): Page {
  return {
    path: `/bookings/:id/${options.action}`,
    title: options.title,
    access: "signed-in",
    roles: options.roles,
    async render(view) {
      const booking = await loadBooking(view);
      const viewer = viewerOf(view.me, booking);
      const allowed = options.allowed(actionsFor(booking, viewer, serverWeek(view.me)));
      draw(view, options, { booking, viewer, allowed, reason: "", errors: noErrors() });
    },
  };
}
