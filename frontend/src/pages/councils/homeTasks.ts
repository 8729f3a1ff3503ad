// "What needs doing now" on the home page: the counts GET /home gives for the person's roles,
// each a link to where it is done; and the platform admins' pages.
import { api } from "../../api";
import type { Task } from "../../councilTypes";
import { html, type SafeHtml } from "../../components/escape";
import type { Me } from "../../models";

export async function loadTasks(signal: AbortSignal): Promise<Task[]> {
  try {
    return (await api.get<{ tasks: Task[] }>("/home", { signal })).tasks;
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    return []; // the rest of the home page still works
  }
}

export function tasksSection(tasks: readonly Task[]): SafeHtml {
  const waiting = tasks.filter((task) => task.count > 0);
  return html`<h2 class="govuk-heading-m">What needs doing</h2>
${waiting.length === 0
  ? html`<p class="govuk-body" id="nothing-to-do">Nothing is waiting for you.</p>`
  : html`<ul class="govuk-task-list" id="tasks">
  ${waiting.map(
    (task) => html`<li class="govuk-task-list__item govuk-task-list__item--with-link">
    <div class="govuk-task-list__name-and-hint"><a class="govuk-link govuk-task-list__link" href="${task.href}" aria-describedby="task-${task.key}-count">${task.text}</a></div>
    <div class="govuk-task-list__status" id="task-${task.key}-count"><strong class="govuk-tag govuk-tag--blue">${String(task.count)}</strong></div>
  </li>`,
  )}
</ul>`}`;
}

export function platformCards(me: Me): SafeHtml {
  if (!me.is_platform_admin) return html``;
  const cards = [
    ["/platform", "The pool", "The pool's health: members, officers and hours listed, bookings this month."],
    ["/platform/join-requests", "Join requests", "Councils asking to join: approve and invite their first admin, or decline."],
    ["/platform/councils", "Councils", "Every council with its state; correct a council's details."],
    ["/platform/agreement", "The agreement", "Publish a new version of the pool's s113 agreement."],
  ];
  return html`<h2 class="govuk-heading-m">Running the pool</h2>
<ul class="govuk-list tp-cards">
${cards.map(([href, title, text]) => html`<li class="tp-card"><h3 class="govuk-heading-s tp-card__title"><a class="govuk-link govuk-link--no-visited-state" href="${href}">${title}</a></h3><p class="govuk-body tp-card__text">${text}</p></li>`)}
</ul>`;
}
