// The council's set-up as a GOV.UK task list, shown on the "Your council" page: accept the
// agreement, the four groups of settings, invite people. Filled in after the page is drawn.
import { api, seg } from "../../api";
import type { CouncilAgreement, CouncilSettings } from "../../councilTypes";
import { html, type SafeHtml } from "../../components/escape";
import type { View } from "../../page";
import { SECTIONS, sectionComplete } from "./settings";

interface Item {
  href: string;
  name: string;
  done: boolean;
}

export function setupList(agreement: CouncilAgreement, settings: CouncilSettings, people: number): SafeHtml {
  const items: Item[] = [
    { href: "/agreement", name: "Accept the pool's agreement", done: agreement.accepted_current },
    ...SECTIONS.map((s) => ({ href: `/council/settings/${s.slug}`, name: s.title, done: sectionComplete(s, settings) })),
    { href: "/council#invite", name: "Invite your officers, managers, bookers and finance team", done: people > 1 },
  ];
  return html`<h2 class="govuk-heading-m">Set up your council</h2>
<ul class="govuk-task-list" id="setup-tasks">
${items.map(
  (item, i) => html`<li class="govuk-task-list__item govuk-task-list__item--with-link">
  <div class="govuk-task-list__name-and-hint"><a class="govuk-link govuk-task-list__link" href="${item.href}" aria-describedby="setup-${i}-status">${item.name}</a></div>
  <div class="govuk-task-list__status" id="setup-${i}-status">${item.done ? "Completed" : html`<strong class="govuk-tag govuk-tag--blue">Incomplete</strong>`}</div>
</li>`,
)}
</ul>
<p class="govuk-body"><a class="govuk-link" href="/council/people">Manage people and invitations</a> · <a class="govuk-link" href="/audit">Audit trail</a></p>`;
}

/** Fetches what the list needs and puts it into `#council-setup` of the drawn page. */
export async function fillSetup(main: HTMLElement | null, view: View, people: number): Promise<void> {
  const slot = main?.querySelector<HTMLElement>("#council-setup");
  const council = view.me?.council;
  if (!slot || !council) return;
  try {
    const [agreement, settings] = await Promise.all([
      api.get<CouncilAgreement>(`/councils/${seg(council.id)}/agreement`, { signal: view.signal }),
      api.get<CouncilSettings>(`/councils/${seg(council.id)}/settings`, { signal: view.signal }),
    ]);
    if (view.isCurrent() && slot.isConnected) slot.innerHTML = setupList(agreement, settings, people).toString();
  } catch {
    // The rest of the page works without it.
  }
}
