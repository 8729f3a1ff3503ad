// An officer's profile as bookers and managers see it (GET /officers/{id}), linked from search
// results.
import { ProblemError, api, seg, toProblem } from "../api";
import { bookPath } from "../bookings";
import { html, type SafeHtml } from "../components/escape";
import { groupSkills } from "../components/skills";
import { summaryList } from "../components/summaryList";
import { table } from "../components/table";
import { formatRate } from "../format";
import { hoursText } from "../numbers";
import type { Page } from "../page";
import type { ListPage, OfficerProfile, SearchHit } from "../models";
import { isWeek, weekLabel } from "../weeks";
import { lastFindPath } from "./find";

const SEARCH_PAGES = 3;

/**
 * The officer's weeks with hours to book: in the weeks of the last search when it named them,
 * otherwise the search's default (the next 12 weeks). Searched by name, picked out by id.
 */
export async function officerWeeks(officer: OfficerProfile, lastSearch: string, signal?: AbortSignal): Promise<SearchHit[]> {
  const last = new URLSearchParams(lastSearch.split("?")[1] ?? "");
  const week = last.get("week");
  const to = last.get("to");
  const hits: SearchHit[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < SEARCH_PAGES; i += 1) {
    const query = new URLSearchParams({ q: officer.display_name.slice(0, 200), limit: "200" });
    if (isWeek(week)) {
      query.set("week", week);
      if (isWeek(to)) query.set("to", to);
    }
    if (cursor) query.set("cursor", cursor);
    const page: ListPage<SearchHit> = await api.get<ListPage<SearchHit>>(`/search/officers?${query}`, { signal });
    hits.push(...page.items.filter((hit) => hit.officer.id === officer.id));
    cursor = page.next_cursor;
    if (!cursor) break;
  }
  return hits.sort((a, b) => a.week.localeCompare(b.week));
}

export function weeksSection(officer: OfficerProfile, hits: readonly SearchHit[], canBook: boolean, searchedWeeks: boolean): SafeHtml {
  return table({
    id: "officer-weeks",
    caption: "Weeks with hours to book",
    head: canBook ? ["Week", "Available", "Rate", "Action"] : ["Week", "Available", "Rate"],
    rows: hits.map((hit) => {
      const row = [
        html`${weekLabel(hit.week)} ${hit.single_booking ? html`<span class="govuk-body-s tp-week-note">Single booking</span>` : ""}`,
        hoursText(hit.available_hours),
        formatRate(hit.rate_pence_per_hour),
      ];
      if (canBook) {
        row.push(
          html`<a class="govuk-link" href="${bookPath(officer.id, hit.week)}">Book this week<span class="govuk-visually-hidden"> (${weekLabel(hit.week)})</span></a>`,
        );
      }
      return row;
    }),
    empty: searchedWeeks
      ? `${officer.display_name} has no hours to book in the weeks you searched.`
      : `${officer.display_name} has no hours to book in the next 12 weeks.`,
    cards: canBook ? { title: 0, actions: 3 } : { title: 0 },
  });
}
function paragraphs(text: string): SafeHtml {
  const parts = text
    .split(/\n\s*\n/)
    .map((part) => part.trim())
    .filter(Boolean);
  return parts.length ? html`${parts.map((part) => html`<p class="govuk-body">${part}</p>`)}` : html`<p class="govuk-body">No summary given.</p>`;
}

export function officerContent(officer: OfficerProfile, back: string | null, weeks: SafeHtml | null = null): SafeHtml {
  const { council } = officer;
  const where = council.region && council.region !== council.nation ? `${council.region}, ${council.nation}` : council.nation;
  return html`${back ? html`<a href="${back}" class="govuk-back-link">Back to search results</a>` : ""}
<div class="govuk-grid-row">
  <div class="govuk-grid-column-two-thirds">
    <span class="govuk-caption-l">${council.name}</span>
    <h1 class="govuk-heading-l">${officer.display_name}</h1>
    ${summaryList([
      { key: "Job title", value: officer.job_title || "Not given" },
      { key: "Council", value: council.name },
      { key: "Where", value: where },
      { key: "Rate", value: html`<span id="officer-rate">${formatRate(officer.rate_pence_per_hour)}</span>` },
    ])}
    <h2 class="govuk-heading-m">Summary</h2>
    ${paragraphs(officer.summary ?? "")}
    <h2 class="govuk-heading-m">Skills</h2>
    ${
      officer.skills.length
        ? html`${groupSkills(officer.skills).map(
            ([family, skills]) => html`<h3 class="govuk-heading-s">${family}</h3>
    <ul class="govuk-list govuk-list--bullet">${skills.map((skill) => html`<li>${skill.name}</li>`)}</ul>`,
          )}`
        : html`<p class="govuk-body">No skills listed.</p>`
    }
    ${weeks ?? ""}
  </div>
</div>`;
}

export const officerPage: Page = {
  path: "/officers/:id",
  title: "Officer",
  access: "signed-in",
  async render(view) {
    let officer: OfficerProfile;
    try {
      officer = await api.get<OfficerProfile>(`/officers/${seg(view.params.id ?? "")}`, { signal: view.signal });
    } catch (error) {
      // Not an id at all (422): as good as not found.
      if (error instanceof ProblemError && error.status === 422) throw new ProblemError(404);
      throw error;
    }
    view.setTitle(officer.display_name);
    const me = view.me;
    const searches = me !== null && (me.roles.includes("booker") || me.roles.includes("manager"));
    let weeks: SafeHtml | null = null;
    if (searches && officer.council.id !== me?.council?.id) {
      const last = lastFindPath();
      try {
        const hits = await officerWeeks(officer, last, view.signal);
        weeks = weeksSection(officer, hits, me.roles.includes("booker"), isWeek(new URLSearchParams(last.split("?")[1] ?? "").get("week")));
      } catch (error) {
        // The profile is still worth showing without the weeks.
        const problem = toProblem(error);
        if (!problem || problem.status === 401) throw error;
      }
    }
    view.show(officerContent(officer, searches ? lastFindPath() : null, weeks));
  },
};
