// accessible-autocomplete ships no TypeScript declarations; this covers the part we use.
declare module "accessible-autocomplete" {
  export interface EnhanceOptions {
    selectElement: HTMLSelectElement;
    defaultValue?: string;
    showAllValues?: boolean;
    dropdownArrow?: () => string;
    minLength?: number;
    tNoResults?: () => string;
  }
  interface AccessibleAutocomplete {
    enhanceSelectElement(options: EnhanceOptions): void;
  }
  const accessibleAutocomplete: AccessibleAutocomplete;
  export default accessibleAutocomplete;
}
