// The estimated savings of a completed booking, shown on its page: the market cost of the hours
// worked at a published day rate, minus the recharge, with the rate's source. Nothing is shown
// when no sourced rate is known for the officer's skill.
import { api, seg } from "../../api";
import { html, type SafeHtml } from "../../components/escape";
import { formatDate, formatPence } from "../../format";
import type { View } from "../../page";
import type { components } from "../../types";

type BookingSavings = components["schemas"]["BookingSavingsOut"];

export function savingsSection(s: BookingSavings): SafeHtml {
  if (s.savings_pence === null || s.market_cost_pence === null || !s.source) return html``;
  return html`<h2 class="govuk-heading-m">Estimated savings</h2>
<p class="govuk-body">About <strong>${formatPence(s.savings_pence)}</strong>: the same hours of ${s.skill ?? "this skill"} at a market day rate of ${formatPence(s.source.day_rate_pence)} would cost ${formatPence(s.market_cost_pence)}, against a recharge of ${formatPence(s.recharge_pence)}.</p>
<p class="govuk-body-s">${s.label} Source: ${s.source.source}, ${formatDate(s.source.as_of)}.</p>`;
}

/** Fills the page's #booking-savings slot once a completed booking's estimate arrives. */
export async function showSavings(view: View, main: HTMLElement, booking: { id: string; status: string }): Promise<void> {
  const slot = main.querySelector<HTMLElement>("#booking-savings");
  if (!slot || !["completed", "invoiced"].includes(booking.status)) return;
  let found: BookingSavings;
  try {
    found = await api.get<BookingSavings>(`/bookings/${seg(booking.id)}/savings`, { signal: view.signal });
  } catch {
    return; // an estimate is extra: the page stands without it
  }
  if (view.isCurrent()) slot.innerHTML = savingsSection(found).toString();
}
