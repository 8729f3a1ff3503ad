// Runs GOV.UK Frontend's JavaScript components on freshly rendered markup. Called after every
// render, scoped to the part of the page that was replaced.
import {
  Button,
  CharacterCount,
  Checkboxes,
  ErrorSummary,
  NotificationBanner,
  PasswordInput,
  Radios,
  ServiceNavigation,
  SkipLink,
  createAll,
  type ComponentClass,
} from "govuk-frontend";

const COMPONENTS: ComponentClass[] = [
  Button,
  CharacterCount,
  Checkboxes,
  ErrorSummary,
  NotificationBanner,
  PasswordInput,
  Radios,
  ServiceNavigation,
  SkipLink,
];

export function initComponents(scope: Element): void {
  for (const component of COMPONENTS) {
    createAll(component, undefined, {
      scope,
      onError: (error) => {
        console.error(error);
      },
    });
  }
}
