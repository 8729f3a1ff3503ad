// govuk-frontend v5 ships no TypeScript declarations; this covers the part we use.
declare module "govuk-frontend" {
  export interface ComponentClass {
    new (element: Element, config?: unknown): unknown;
    moduleName: string;
  }
  export interface CreateAllOptions {
    scope?: Element | Document | null;
    onError?: (error: unknown, context: { element?: Element; component: ComponentClass; config?: unknown }) => void;
  }
  export function createAll(
    component: ComponentClass,
    config?: unknown,
    scopeOrOptions?: Element | Document | CreateAllOptions,
  ): unknown[];
  export function isSupported(scope?: HTMLElement | null): boolean;
  export const version: string;
  export const Accordion: ComponentClass;
  export const Button: ComponentClass;
  export const CharacterCount: ComponentClass;
  export const Checkboxes: ComponentClass;
  export const ErrorSummary: ComponentClass;
  export const ExitThisPage: ComponentClass;
  export const FileUpload: ComponentClass;
  export const Header: ComponentClass;
  export const NotificationBanner: ComponentClass;
  export const PasswordInput: ComponentClass;
  export const Radios: ComponentClass;
  export const ServiceNavigation: ComponentClass;
  export const SkipLink: ComponentClass;
  export const Tabs: ComponentClass;
}
