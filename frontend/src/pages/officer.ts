// An officer's profile as bookers and managers see it (GET /officers/{id}), linked from search
// results.
import { ProblemError, api, seg } from "../api";
import { html, type SafeHtml } from "../components/escape";
import { summaryList } from "../components/summaryList";
import { formatRate } from "../format";
import type { Page } from "../page";
import type { OfficerProfile } from "../types";
import { lastFindPath } from "./find";
import { groupSkills } from "./profile";

function paragraphs(text: string): SafeHtml {
  const parts = text
    .split(/\n\s*\n/)
    .map((part) => part.trim())
    .filter(Boolean);
  return parts.length ? html`${parts.map((part) => html`<p class="govuk-body">${part}</p>`)}` : html`<p class="govuk-body">No summary given.</p>`;
}

export function officerContent(officer: OfficerProfile, back: string | null): SafeHtml {
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
    view.show(officerContent(officer, searches ? lastFindPath() : null));
  },
};
