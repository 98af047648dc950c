// Keyboard shortcuts: an element marked data-shortcut="s" (several keys: "n j") is
// clicked when its key is pressed, as the review page's buttons are (s, d, u, n).
// Keys typed into a field stay the field's, and a key with Ctrl, Alt or Meta is the
// browser's.
function typing(target) {
  return target instanceof Element && (target.isContentEditable || target.closest("input, textarea, select") !== null);
}

export function startShortcuts(root) {
  root.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.repeat || event.ctrlKey || event.altKey || event.metaKey) return;
    if (typing(event.target)) return;
    const key = event.key.toLowerCase();
    for (const element of root.querySelectorAll("[data-shortcut]")) {
      if (element.disabled || !element.dataset.shortcut.split(" ").includes(key)) continue;
      event.preventDefault();
      element.click();
      return;
    }
  });
}
