import { html, type SafeHtml } from "./escape";

export interface BannerOptions {
  heading: string;
  text?: string;
  /** Success banners get role="alert" and take focus when shown. */
  success?: boolean;
  title?: string;
}

let counter = 0;

export function notificationBanner(options: BannerOptions): SafeHtml {
  counter += 1;
  const id = `notification-banner-title-${counter}`;
  const title = options.title ?? (options.success ? "Success" : "Important");
  return html`<div class="govuk-notification-banner${options.success ? " govuk-notification-banner--success" : ""}"
  ${options.success ? html`role="alert"` : html`role="region"`} aria-labelledby="${id}" data-module="govuk-notification-banner">
  <div class="govuk-notification-banner__header">
    <h2 class="govuk-notification-banner__title" id="${id}">${title}</h2>
  </div>
  <div class="govuk-notification-banner__content">
    <p class="govuk-notification-banner__heading">${options.heading}</p>
    ${options.text ? html`<p class="govuk-body">${options.text}</p>` : ""}
  </div>
</div>`;
}
