import { html } from "../components/escape";
import type { Page } from "../page";

export const accessibilityPage: Page = {
  path: "/accessibility",
  title: "Accessibility statement",
  access: "public",
  render(view) {
    view.show(html`<div class="govuk-grid-row">
  <div class="govuk-grid-column-two-thirds">
    <h1 class="govuk-heading-l">Accessibility statement for LocalGov Talent Pool</h1>
    <p class="govuk-body">This statement applies to the LocalGov Talent Pool service, which councils use to lend each other their officers' spare hours.</p>
    <p class="govuk-body">The service is run by the councils that take part. We want as many people as possible to be able to use it. For example, that means you should be able to:</p>
    <ul class="govuk-list govuk-list--bullet">
      <li>change colours, contrast levels and fonts using browser or device settings</li>
      <li>zoom in up to 400% without the text spilling off the screen</li>
      <li>use the service on a screen 320 pixels wide without scrolling sideways</li>
      <li>navigate the whole service using just a keyboard or speech recognition software</li>
      <li>listen to the service using a screen reader (including recent versions of JAWS, NVDA and VoiceOver)</li>
    </ul>
    <p class="govuk-body">We have also made the text as simple as possible to understand. <a class="govuk-link" href="https://mcmw.abilitynet.org.uk/" rel="external">AbilityNet</a> has advice on making your device easier to use if you have a disability.</p>

    <h2 class="govuk-heading-m">How accessible this service is</h2>
    <p class="govuk-body">The service is built with the GOV.UK Design System's components and patterns, which are tested with assistive technologies. Its pages are checked with automated accessibility testing (axe-core) against the Web Content Accessibility Guidelines (WCAG) 2.1 A and AA success criteria whenever the service changes.</p>
    <p class="govuk-body">The service needs JavaScript to work. If JavaScript is turned off or fails to load, you will see a message asking you to turn it on.</p>

    <h2 class="govuk-heading-m">Feedback and contact information</h2>
    <p class="govuk-body">If you need information in a different format, or you find a problem not listed on this page, contact the council admin at your own council. They will pass it on to the team that runs the service. We will consider your request and get back to you within 10 working days.</p>

    <h2 class="govuk-heading-m">Enforcement procedure</h2>
    <p class="govuk-body">The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018 (the 'accessibility regulations'). If you're not happy with how we respond to your complaint, <a class="govuk-link" href="https://www.equalityadvisoryservice.com/" rel="external">contact the Equality Advisory and Support Service (EASS)</a>.</p>

    <h2 class="govuk-heading-m">Technical information about this service's accessibility</h2>
    <p class="govuk-body">The councils that run the LocalGov Talent Pool are committed to making it accessible, in accordance with the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018.</p>

    <h3 class="govuk-heading-s">Compliance status</h3>
    <p class="govuk-body">This service is partially compliant with the <a class="govuk-link" href="https://www.w3.org/TR/WCAG22/" rel="external">Web Content Accessibility Guidelines version 2.2</a> AA standard, because it has not yet had a full manual audit by an independent specialist.</p>

    <h3 class="govuk-heading-s">Non-accessible content</h3>
    <p class="govuk-body">We do not know of any content that fails the WCAG 2.2 AA success criteria. Automated testing finds only some kinds of problem, so if you find one, please tell us.</p>

    <h2 class="govuk-heading-m">What we're doing to improve accessibility</h2>
    <p class="govuk-body">We will have the service audited against WCAG 2.2 AA and fix any problems found. We will update this statement when we do.</p>

    <h2 class="govuk-heading-m">Preparation of this accessibility statement</h2>
    <p class="govuk-body">This statement was prepared on 25 November 2026. It is based on automated testing of every page with axe-core, run in a real browser at desktop and mobile (320 pixels) widths, and on the testing that the GOV.UK Design System team has done on the components the service uses.</p>
  </div>
</div>`);
  },
};
