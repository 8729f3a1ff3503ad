// Choosing skills by family: one collapsed group (GOV.UK details) per family of the taxonomy,
// open when something in it is chosen, each saying how many are chosen. Sixty checkboxes stay
// out of the way until a person opens the family they want.
import { html, type SafeHtml } from "./escape";
import type { Skill } from "../models";

/** Skills grouped by family, families in the order they first appear. */
export function groupSkills(skills: readonly Skill[]): [string, Skill[]][] {
  const groups = new Map<string, Skill[]>();
  for (const skill of skills) {
    const group = groups.get(skill.family);
    if (group) group.push(skill);
    else groups.set(skill.family, [skill]);
  }
  return [...groups.entries()];
}

export interface SkillsFieldOptions {
  /** The form field's name ("skill" for the search, "skills" for a profile). */
  name: string;
  legend: string;
  legendSize?: "s" | "m";
  hint: string;
  skills: readonly Skill[];
  chosen: readonly string[];
  error?: string;
}

/** The first checkbox has the id "skills", so an error summary can link to the field. */
export function skillsField(o: SkillsFieldOptions): SafeHtml {
  const chosen = new Set(o.chosen);
  let first = true;
  return html`<div class="govuk-form-group${o.error ? " govuk-form-group--error" : ""}">
  <fieldset class="govuk-fieldset" aria-describedby="skills-hint${o.error ? " skills-error" : ""}">
    <legend class="govuk-fieldset__legend govuk-fieldset__legend--${o.legendSize ?? "s"}">${o.legend}</legend>
    <div id="skills-hint" class="govuk-hint">${o.hint}</div>
    ${o.error ? html`<p id="skills-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> ${o.error}</p>` : ""}
    ${groupSkills(o.skills).map(([family, skills], index) => {
      const count = skills.filter((skill) => chosen.has(skill.slug)).length;
      const open = count > 0 || (Boolean(o.error) && index === 0);
      return html`<details class="govuk-details tp-skill-family"${open ? html` open` : ""}>
      <summary class="govuk-details__summary">
        <span class="govuk-details__summary-text">${family}${count ? ` (${count} chosen)` : ""}</span>
      </summary>
      <div class="govuk-details__text">
        <div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
          ${skills.map((skill) => {
            const id = first ? "skills" : `skill-${skill.slug}`;
            first = false;
            return html`<div class="govuk-checkboxes__item">
            <input class="govuk-checkboxes__input" id="${id}" name="${o.name}" type="checkbox" value="${skill.slug}"${chosen.has(skill.slug) ? html` checked` : ""}>
            <label class="govuk-label govuk-checkboxes__label" for="${id}">${skill.name}</label>
          </div>`;
          })}
        </div>
      </div>
    </details>`;
    })}
  </fieldset>
</div>`;
}
