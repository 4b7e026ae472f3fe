// Keyboard shortcuts for lists (j/k to move, x to select, / to search, ? for help). They never
// replace a button or a link: everything works from Tab and Enter without them.
(() => {
  const typing = (el) => el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  let current = -1;

  function rows() {
    return Array.from(document.querySelectorAll("table[data-keyboard] tbody tr"));
  }

  function move(step) {
    const all = rows();
    if (!all.length) return;
    if (current >= 0 && all[current]) all[current].removeAttribute("aria-selected");
    current = Math.max(0, Math.min(all.length - 1, current + step));
    const row = all[current];
    row.setAttribute("aria-selected", "true");
    const link = row.querySelector("a");
    (link || row).focus();
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(document.activeElement)) return;
    if (event.key === "j") { move(1); event.preventDefault(); }
    else if (event.key === "k") { move(-1); event.preventDefault(); }
    else if (event.key === "x") {
      const row = rows()[current];
      const box = row && row.querySelector("input[type=checkbox]");
      if (box) { box.checked = !box.checked; event.preventDefault(); }
    } else if (event.key === "/") {
      const search = document.querySelector("[data-search]");
      if (search) { search.focus(); event.preventDefault(); }
    } else if (event.key === "?") {
      const help = document.getElementById("shortcuts");
      if (help && help.showModal) { help.showModal(); event.preventDefault(); }
    }
  });
})();
