// The one busy-guard around form submits. A page's forms, drawn together, share one guard: while
// one submission is being sent, pressing a button again (or another form's) does nothing, so a
// request is never sent twice by a double press. The guard opens again when the action ends.

export type SubmitAction = (form: HTMLFormElement) => Promise<void> | void;

/** Wires forms to their actions; call it once per drawing of a page, then `on(form, action)`. */
export function submitGuard(): (form: HTMLFormElement | null | undefined, action: SubmitAction) => void {
  let busy = false;
  return (form, action) => {
    form?.addEventListener("submit", (event) => {
      event.preventDefault();
      if (busy) return;
      busy = true;
      void (async () => {
        try {
          await action(form);
        } catch (error) {
          // Actions show their own failures; anything else is a bug to see in the console.
          console.error(error);
        } finally {
          busy = false;
        }
      })();
    });
  };
}
