// "Find expertise": search other councils' officers with approved, unbooked hours
// (GET /search/people): one result per officer with their free weeks in date order as a compact
// strip, best match first, then most free hours; the total number of officers. The filters live
// in the address (`/find?skill=town-planning&week=…`), so a search can be bookmarked and shared;
// "Load more" follows the API's cursor. Bookers tick one or several weeks and book them.
import { api, toProblem } from "../api";
import { bookPath } from "../bookings";
import { errorSummary } from "../components/errorSummary";
import { html, type SafeHtml } from "../components/escape";
import { addFieldError, errorTitle, errorsFromProblem, hasErrors, noErrors, type FormErrors } from "../components/formErrors";
import { button, formText, formValues, select, textInput } from "../components/forms";
import { skillsField } from "../components/skills";
import { formatRate } from "../format";
import { hoursText, parseHours, parsePounds, penceToPounds } from "../numbers";
import type { Page, View } from "../page";
import { saveSearchForm, wireSaveSearch } from "./savedSearches";
import type { ListPage, PeoplePage, PersonHit, Skill } from "../models";
import { firstOpenWeek, isWeek, weekLabel, weekRange } from "../weeks";

const TITLE = "Find expertise";
export const PAGE_SIZE = 20;
/** The API takes at most this many skills. */
export const MAX_SKILLS = 10;
const WEEK_CHOICES = 52;

export const NATIONS = ["England", "Northern Ireland", "Scotland", "Wales"] as const;
// The regions of the council register (for Scotland, Wales and Northern Ireland, the nation).
export const REGIONS = [
  "East Midlands",
  "East of England",
  "London",
  "North East",
  "North West",
  "South East",
  "South West",
  "West Midlands",
  "Yorkshire and The Humber",
  "Northern Ireland",
  "Scotland",
  "Wales",
] as const;

// API query parameter → id of the field the error summary links to.
export const FIELDS: Record<string, string> = {
  skill: "skills",
  week: "week",
  to: "to",
  min_hours: "min_hours",
  nation: "nation",
  region: "region",
  max_rate_pence: "max_rate",
  q: "q",
};

/** The filters as the form shows them (the rate in pounds, as typed). */
export interface Filters {
  skills: string[];
  week: string;
  to: string;
  min_hours: string;
  nation: string;
  region: string;
  max_rate: string;
  q: string;
}

const SINGLE = ["week", "to", "min_hours", "nation", "region", "max_rate_pence", "q"] as const;

/**
 * The address's query as the people search's query (known parameters only, empty ones dropped).
 * The address's `week` is the API's `from`; a first week without a last one searches that week.
 */
export function searchQuery(query: URLSearchParams, cursor?: string | null): URLSearchParams {
  const out = new URLSearchParams();
  for (const skill of query.getAll("skill")) if (skill) out.append("skill", skill);
  for (const name of SINGLE) {
    const value = query.get(name)?.trim();
    if (!value) continue;
    if (name === "week") {
      out.set("from", value);
      if (!query.get("to")?.trim()) out.set("to", value);
    } else out.set(name, value);
  }
  out.set("limit", String(PAGE_SIZE));
  if (cursor) out.set("cursor", cursor);
  return out;
}

/** The address's query as the form's values. */
export function filtersFrom(query: URLSearchParams): Filters {
  const pence = query.get("max_rate_pence") ?? "";
  return {
    skills: query.getAll("skill").filter(Boolean),
    week: query.get("week") ?? "",
    to: query.get("to") ?? "",
    min_hours: query.get("min_hours") ?? "",
    nation: query.get("nation") ?? "",
    region: query.get("region") ?? "",
    max_rate: /^\d{1,9}$/.test(pence) ? penceToPounds(Number(pence)) : pence,
    q: query.get("q") ?? "",
  };
}

/** Checks the form; the address's query for a valid search, or the errors. */
export function validateFilters(filters: Filters): { errors: FormErrors; query: URLSearchParams | null } {
  const errors = noErrors();
  const query = new URLSearchParams();
  if (filters.skills.length > MAX_SKILLS) addFieldError(errors, "skills", `Choose ${MAX_SKILLS} skills or fewer`);
  for (const skill of filters.skills) query.append("skill", skill);
  if (filters.week) {
    if (isWeek(filters.week)) query.set("week", filters.week);
    else addFieldError(errors, "week", "Select a week from the list");
  }
  if (filters.to) {
    if (!isWeek(filters.to)) addFieldError(errors, "to", "Select a week from the list");
    else if (filters.week && isWeek(filters.week) && filters.to < filters.week)
      addFieldError(errors, "to", "The last week must be the same as or after the first week");
    else query.set("to", filters.to);
  }
  if (filters.min_hours) {
    const hours = parseHours(filters.min_hours, { empty: "", name: "Minimum hours" });
    if (hours.ok) query.set("min_hours", String(hours.value));
    else addFieldError(errors, "min_hours", hours.error);
  }
  if (filters.nation) query.set("nation", filters.nation);
  if (filters.region) query.set("region", filters.region);
  if (filters.max_rate) {
    const pence = parsePounds(filters.max_rate, "Maximum rate");
    if (pence.ok) query.set("max_rate_pence", String(pence.value));
    else addFieldError(errors, "max_rate", pence.error);
  }
  if (filters.q) query.set("q", filters.q);
  return { errors, query: hasErrors(errors) ? null : query };
}

// The last search, for the "Back to search results" link on an officer's page.
let lastSearch = "/find";

export function lastFindPath(): string {
  return lastSearch;
}

// Set when the person searched with the form: focus then moves to the results, not the heading.
let focusResults = false;

interface FindState {
  /** Whether the person may book (bookers): results then link to the booking form. */
  canBook: boolean;
  /** The server's week (from /me): the weeks offered start after it. */
  currentWeek: string;
  skills: Skill[];
  filters: Filters;
  errors: FormErrors;
  results: PersonHit[] | null;
  total: number;
  next: string | null;
}

function skills(state: FindState): SafeHtml {
  return skillsField({
    name: "skill",
    legend: "Skills",
    hint: `Choose up to ${MAX_SKILLS}. Officers with any of them are shown, best matches first.`,
    skills: state.skills,
    chosen: state.filters.skills,
    error: state.errors.fields.skills,
  });
}

/** The weeks to choose from: from the first that has not started by the server's clock. */
function weekItems(currentWeek: string, blank: string, chosen: string): { value: string; text: string }[] {
  const weeks = weekRange(firstOpenWeek(currentWeek), WEEK_CHOICES);
  if (chosen && isWeek(chosen) && !weeks.includes(chosen)) {
    weeks.push(chosen);
    weeks.sort();
  }
  return [{ value: "", text: blank }, ...weeks.map((week) => ({ value: week, text: weekLabel(week) }))];
}

function filtersForm(state: FindState): SafeHtml {
  const { filters, errors } = state;
  return html`<form method="get" action="/find" novalidate id="find-form">
  <h2 class="govuk-heading-m">Filters</h2>
  ${skills(state)}
  <div class="govuk-form-group">
    <fieldset class="govuk-fieldset" aria-describedby="weeks-hint">
      <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Weeks</legend>
      <div id="weeks-hint" class="govuk-hint">Leave both empty to search the next 12 weeks.</div>
      ${select({
        id: "week",
        label: "First week",
        items: weekItems(state.currentWeek, "Any week", filters.week),
        value: filters.week,
        error: errors.fields.week,
      })}
      ${select({
        id: "to",
        label: "Last week (optional)",
        hint: "Leave empty to search the first week only.",
        items: weekItems(state.currentWeek, "Same as the first week", filters.to),
        value: filters.to,
        error: errors.fields.to,
      })}
    </fieldset>
  </div>
  ${textInput({
    id: "min_hours",
    label: "Minimum hours a week",
    hint: "For example, 7.5",
    inputmode: "decimal",
    inputClass: "govuk-input--width-4",
    spellcheck: false,
    autocomplete: "off",
    suffix: "hours",
    value: filters.min_hours,
    error: errors.fields.min_hours,
  })}
  ${select({
    id: "nation",
    label: "Nation",
    items: [{ value: "", text: "Any nation" }, ...NATIONS.map((nation) => ({ value: nation, text: nation }))],
    value: filters.nation,
    error: errors.fields.nation,
  })}
  ${select({
    id: "region",
    label: "Region",
    items: [{ value: "", text: "Any region" }, ...REGIONS.map((region) => ({ value: region, text: region }))],
    value: filters.region,
    error: errors.fields.region,
  })}
  ${textInput({
    id: "max_rate",
    label: "Maximum rate per hour",
    hint: "In pounds, for example 45 or 45.50",
    inputmode: "decimal",
    inputClass: "govuk-input--width-5",
    spellcheck: false,
    autocomplete: "off",
    prefix: "£",
    value: filters.max_rate,
    error: errors.fields.max_rate,
  })}
  ${textInput({
    id: "q",
    label: "Keywords",
    hint: "For example, a job title such as principal planner",
    spellcheck: false,
    autocomplete: "off",
    maxlength: 200,
    value: filters.q,
    error: errors.fields.q,
  })}
  <div class="govuk-button-group">
    ${button("Search")}
    <a class="govuk-link" href="/find">Clear filters</a>
  </div>
</form>`;
}

/** The link that books the ticked weeks: one week books on /book, several on /book/weeks. */
export function bookWeeksPath(officerId: string, weeks: readonly string[]): string {
  if (weeks.length === 1) return bookPath(officerId, weeks[0]!);
  const query = new URLSearchParams({ officer: officerId });
  for (const week of weeks) query.append("week", week);
  return `/book/weeks?${query.toString()}`;
}

function weekText(week: { week: string; available_hours: number; single_booking: boolean }): string {
  return `${weekLabel(week.week)}: ${hoursText(week.available_hours)}${week.single_booking ? " (single booking)" : ""}`;
}

/** The officer's free weeks: a strip of tags, or for bookers, boxes to tick and book. */
function weekStrip(hit: PersonHit, canBook: boolean): SafeHtml {
  const { officer } = hit;
  if (!canBook) {
    return html`<ul class="tp-week-strip" aria-label="Free weeks of ${officer.display_name}">${hit.weeks.map(
      (week) => html`<li><strong class="govuk-tag govuk-tag--grey">${weekText(week)}</strong></li>`,
    )}</ul>`;
  }
  return html`<form method="get" action="/book/weeks" novalidate class="tp-book-weeks" data-officer="${officer.id}">
  <div class="govuk-form-group">
    <fieldset class="govuk-fieldset">
      <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Weeks to book<span class="govuk-visually-hidden"> with ${officer.display_name}</span></legend>
      <div class="govuk-checkboxes govuk-checkboxes--small tp-week-strip" data-module="govuk-checkboxes">
        ${hit.weeks.map(
          (week, i) => html`<div class="govuk-checkboxes__item">
          <input class="govuk-checkboxes__input" id="week-${officer.id}-${i}" name="week" type="checkbox" value="${week.week}">
          <label class="govuk-label govuk-checkboxes__label" for="week-${officer.id}-${i}">${weekText(week)}</label>
        </div>`,
        )}
      </div>
    </fieldset>
  </div>
  ${button(html`Book selected weeks<span class="govuk-visually-hidden"> with ${officer.display_name}</span>`, { secondary: true, classes: "govuk-!-margin-bottom-0" })}
</form>`;
}

/** A search result: the officer once, then their free weeks in date order. */
export function resultCard(hit: PersonHit, canBook = false): SafeHtml {
  const { officer } = hit;
  return html`<li class="govuk-summary-card" data-officer="${officer.id}">
  <div class="govuk-summary-card__title-wrapper">
    <h3 class="govuk-summary-card__title"><a class="govuk-link" href="/officers/${officer.id}">${officer.display_name}</a></h3>
  </div>
  <div class="govuk-summary-card__content">
    <dl class="govuk-summary-list">
      <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Job title</dt><dd class="govuk-summary-list__value">${officer.job_title || "Not given"}</dd></div>
      <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Council</dt><dd class="govuk-summary-list__value">${officer.council.name}</dd></div>
      <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Skills</dt><dd class="govuk-summary-list__value">${officer.skills.map((skill) => skill.name).join(", ") || "None listed"}</dd></div>
      <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Rate</dt><dd class="govuk-summary-list__value">${formatRate(officer.rate_pence_per_hour)}</dd></div>
      <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Available</dt><dd class="govuk-summary-list__value">${hoursText(hit.free_hours)} in ${hit.weeks.length === 1 ? "1 week" : `${hit.weeks.length} weeks`}</dd></div>
    </dl>
    ${weekStrip(hit, canBook)}
  </div>
</li>`;
}

export function countText(shown: number, more: boolean, total = shown): string {
  if (shown === 0) return "No officers with free hours match your search.";
  const officers = `${total} ${total === 1 ? "officer" : "officers"}`;
  return more ? `${officers} match. Showing the first ${shown}: load more to see the rest.` : `${officers} match.`;
}

function resultsSection(state: FindState): SafeHtml {
  if (state.results === null) return html``;
  const shown = state.results.length;
  return html`<h2 class="govuk-heading-m" id="results-heading" tabindex="-1">Results</h2>
<p class="govuk-body" id="results-count" role="status">${countText(shown, state.next !== null, state.total)}</p>
${
  shown === 0
    ? html`<div id="no-results">
  <p class="govuk-body">Try:</p>
  <ul class="govuk-list govuk-list--bullet">
    <li>choosing fewer skills, or none</li>
    <li>searching more weeks</li>
    <li>a lower minimum of hours or a higher maximum rate</li>
    <li>removing the nation, region or keywords</li>
  </ul>
</div>`
    : html`<ul class="govuk-list tp-results" id="results">${state.results.map((hit) => resultCard(hit, state.canBook))}</ul>`
}
${state.next ? html`<button type="button" class="govuk-button govuk-button--secondary" data-module="govuk-button" id="load-more">Load more results</button>` : ""}
${state.canBook ? saveSearchForm() : ""}`;
}

export function findContent(state: FindState): SafeHtml {
  return html`${errorSummary(state.errors.summary)}
<h1 class="govuk-heading-l">${TITLE}</h1>
<p class="govuk-body">Officers at other councils with spare hours their manager has approved.</p>
<div class="govuk-grid-row">
  <div class="govuk-grid-column-one-third">${filtersForm(state)}</div>
  <div class="govuk-grid-column-two-thirds">${resultsSection(state)}</div>
</div>`;
}

function readFilters(form: HTMLFormElement): Filters {
  return {
    skills: formValues(form, "skill"),
    week: formText(form, "week"),
    to: formText(form, "to"),
    min_hours: formText(form, "min_hours"),
    nation: formText(form, "nation"),
    region: formText(form, "region"),
    max_rate: formText(form, "max_rate"),
    q: formText(form, "q"),
  };
}

/** "Book selected weeks": to the booking form for the ticked weeks (or say to tick one). */
function wireBooking(view: View, main: HTMLElement): void {
  main.querySelectorAll<HTMLFormElement>("form.tp-book-weeks:not([data-wired])").forEach((form) => {
    form.dataset.wired = "true";
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const weeks = formValues(form, "week");
      const officerId = form.dataset.officer ?? "";
      form.querySelector(".tp-tick-error")?.remove();
      if (weeks.length === 0) {
        form.querySelector(".govuk-form-group")?.classList.add("govuk-form-group--error");
        form.querySelector("legend")?.insertAdjacentHTML("afterend", html`<p class="govuk-error-message tp-tick-error"><span class="govuk-visually-hidden">Error:</span> Select the weeks to book</p>`.toString());
        form.querySelector<HTMLInputElement>("input")?.focus();
        return;
      }
      view.navigate(bookWeeksPath(officerId, weeks));
    });
  });
}

function draw(view: View, state: FindState): void {
  view.setTitle(errorTitle(TITLE, state.errors));
  const main = view.show(findContent(state));
  if (!main) return;
  if (focusResults && !hasErrors(state.errors)) {
    main.querySelector<HTMLElement>("#results-heading")?.focus();
  }
  focusResults = false;
  const form = main.querySelector<HTMLFormElement>("#find-form");
  form?.addEventListener("submit", (event) => {
    event.preventDefault();
    const filters = readFilters(form);
    const { errors, query } = validateFilters(filters);
    if (!query) {
      draw(view, { ...state, filters, errors, results: null, next: null });
      return;
    }
    focusResults = true;
    const text = query.toString();
    view.navigate(text ? `/find?${text}` : "/find");
  });
  wireBooking(view, main);
  wireSaveSearch(view, main);
  let next = state.next;
  let loading = false;
  const more = main.querySelector<HTMLButtonElement>("#load-more");
  more?.addEventListener("click", () => {
    if (loading || !next) return;
    loading = true;
    void (async () => {
      let page: PeoplePage;
      try {
        page = await api.get<PeoplePage>(`/search/people?${searchQuery(view.query, next)}`, { signal: view.signal });
      } catch (error) {
        const problem = toProblem(error);
        if (!problem || !view.isCurrent()) return;
        draw(view, { ...state, errors: errorsFromProblem(problem, FIELDS) });
        return;
      } finally {
        loading = false;
      }
      if (!view.isCurrent()) return;
      const list = main.querySelector<HTMLElement>("#results");
      const before = list?.children.length ?? 0;
      list?.insertAdjacentHTML("beforeend", page.items.map((hit) => resultCard(hit, state.canBook).toString()).join(""));
      next = page.next_cursor ?? null;
      const count = main.querySelector("#results-count");
      if (count) count.textContent = countText(list?.children.length ?? 0, next !== null, page.total);
      if (!next) more?.remove();
      wireBooking(view, main);
      list?.children[before]?.querySelector<HTMLElement>("a")?.focus();
    })();
  });
}

export const findPage: Page = {
  path: "/find",
  title: TITLE,
  access: "signed-in",
  roles: ["booker", "manager"],
  nav: { label: "Find expertise", order: 40 },
  async render(view) {
    lastSearch = view.query.toString() ? `/find?${view.query.toString()}` : "/find";
    const filters = filtersFrom(view.query);
    const [skills, search] = await Promise.all([
      api.get<ListPage<Skill>>("/skills?limit=200", { signal: view.signal }),
      api
        .get<PeoplePage>(`/search/people?${searchQuery(view.query)}`, { signal: view.signal })
        .then((page) => ({ page, error: null }), (error: unknown) => ({ page: null, error })),
    ]);
    let errors = noErrors();
    if (search.error) {
      const problem = toProblem(search.error);
      if (!problem || problem.status === 401) throw search.error;
      errors = errorsFromProblem(problem, FIELDS);
    }
    const results = search.page?.items ?? null;
    const next = search.page?.next_cursor ?? null;
    const total = search.page?.total ?? 0;
    const canBook = view.me?.roles.includes("booker") ?? false;
    const currentWeek = view.me?.current_week ?? "";
    draw(view, { canBook, currentWeek, skills: skills.items, filters, errors, results, total, next });
  },
};
