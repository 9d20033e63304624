/** What Tab stops at inside a dialog. */
const TABBABLE = 'button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), a[href], [tabindex]:not([tabindex="-1"])';

/**
 * Keeps Tab and Shift+Tab inside a modal dialog: from its last control to its first and back. For
 * the dialog's onKeyDown.
 */
export function keepFocusIn(e: KeyboardEvent): void {
  if (e.key !== "Tab") return;
  const box = e.currentTarget as HTMLElement;
  const stops = [...box.querySelectorAll<HTMLElement>(TABBABLE)].filter((el) => el.offsetParent !== null);
  if (stops.length === 0) return;
  const first = stops[0];
  const last = stops[stops.length - 1];
  const at = document.activeElement;
  if (e.shiftKey && (at === first || !box.contains(at))) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && (at === last || !box.contains(at))) {
    e.preventDefault();
    first.focus();
  }
}
