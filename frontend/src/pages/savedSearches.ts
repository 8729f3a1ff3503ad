// Saved searches: a booker saves a Find expertise search (its filters, not its weeks: it keeps
// looking ahead) and gets one digest a day, by email and in the app, of newly approved hours
// that match it. This page lists them, to run or delete.
import { api, seg, toProblem } from "../api";
import { errorSummary } from "../components/errorSummary";
import { html, type SafeHtml } from "../components/escape";
import { errorsFromProblem, noErrors, type FormErrors } from "../components/formErrors";
import { button, textInput } from "../components/forms";
import { notificationBanner, type BannerOptions } from "../components/notificationBanner";
import { submitGuard } from "../components/submit";
import { table } from "../components/table";
import { formatDateTime } from "../format";
import type { ListPage, SavedSearch } from "../models";
import type { Page, View } from "../page";

/** The saved query from a Find expertise address: its filters, without weeks. */
export function savedQuery(query: URLSearchParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const skills = query.getAll("skill").filter(Boolean);
  if (skills.length) out.skill = skills;
  const minHours = Number(query.get("min_hours"));
  if (query.get("min_hours") && Number.isFinite(minHours)) out.min_hours = minHours;
  for (const key of ["nation", "region", "q"] as const) {
    const value = query.get(key)?.trim();
    if (value) out[key] = value;
  }
  const rate = query.get("max_rate_pence");
  if (rate && /^\d+$/.test(rate)) out.max_rate_pence = Number(rate);
  return out;
}

/** The form under the results on Find expertise. */
export function saveSearchForm(error?: string): SafeHtml {
  return html`<form method="post" novalidate id="save-search-form" class="govuk-!-margin-bottom-6">
  ${textInput({ id: "saved-name", name: "name", label: "Save this search", labelClass: "govuk-label--s", hint: "Give it a name. You get one email a day when newly approved hours match it.", maxlength: 120, error })}
  <div class="govuk-button-group">
    ${button("Get daily alerts", { secondary: true })}
    <a class="govuk-link" href="/saved-searches">Your saved searches</a>
  </div>
</form>`;
}

export function wireSaveSearch(view: View, main: HTMLElement): void {
  submitGuard()(main.querySelector<HTMLFormElement>("#save-search-form"), async (form) => {
    const name = (form.elements.namedItem("name") as HTMLInputElement | null)?.value.trim() ?? "";
    const show = (message: string, ok: boolean) => {
      form.outerHTML = ok
        ? notificationBanner({ heading: message, text: "See it under Saved searches.", success: true }).toString()
        : saveSearchForm(message).toString();
      if (!ok) wireSaveSearch(view, main);
      main.querySelector<HTMLElement>(ok ? ".govuk-notification-banner" : "#saved-name")?.focus();
    };
    if (!name) return show("Enter a name for the search", false);
    try {
      await api.post<SavedSearch>("/saved-searches", { name, query: savedQuery(view.query) }, { signal: view.signal });
    } catch (error) {
      const problem = toProblem(error);
      if (problem) show(problem.detail ?? "The search was not saved", false);
      return;
    }
    show(`Search saved: ${name}`, true);
  });
}

interface State {
  items: SavedSearch[];
  errors: FormErrors;
  banner: BannerOptions | null;
}

function content(state: State): SafeHtml {
  const rows = state.items.map((s) => [
    html`<a class="govuk-link" href="${s.find_path}">${s.name}</a>`,
    html`${formatDateTime(s.created_at)}`,
    html`<form method="post" novalidate class="tp-delete-saved" data-id="${s.id}">${button(html`Delete<span class="govuk-visually-hidden"> ${s.name}</span>`, { secondary: true, classes: "govuk-!-margin-bottom-0" })}</form>`,
  ]);
  return html`${errorSummary(state.errors.summary)}
${state.banner ? notificationBanner(state.banner) : ""}
<h1 class="govuk-heading-l">Saved searches</h1>
<p class="govuk-body">Save a search under <a class="govuk-link" href="/find">Find expertise</a>. Once a day you get one email, and a notification here, of newly approved hours that match it; never the same officer and week twice.</p>
${table({ id: "saved", caption: "Your saved searches", head: ["Search", "Saved", "Action"], rows, empty: "You have no saved searches.", cards: { title: 0, actions: 2 } })}`;
}

function draw(view: View, state: State): void {
  const main = view.show(content(state));
  const on = submitGuard();
  main?.querySelectorAll<HTMLFormElement>("form.tp-delete-saved").forEach((form) =>
    on(form, async () => {
      try {
        await api.delete(`/saved-searches/${seg(form.dataset.id ?? "")}`, { signal: view.signal });
      } catch (error) {
        const problem = toProblem(error);
        if (problem) draw(view, { ...state, errors: errorsFromProblem(problem, {}), banner: null });
        return;
      }
      const page = await api.get<ListPage<SavedSearch>>("/saved-searches?limit=200", { signal: view.signal });
      if (view.isCurrent()) draw(view, { items: page.items, errors: noErrors(), banner: { heading: "Saved search deleted", success: true } });
    }),
  );
}

export const savedSearchesPage: Page = {
  path: "/saved-searches",
  title: "Saved searches",
  access: "signed-in",
  roles: ["booker"],
  async render(view) {
    const page = await api.get<ListPage<SavedSearch>>("/saved-searches?limit=200", { signal: view.signal });
    draw(view, { items: page.items, errors: noErrors(), banner: null });
  },
};
