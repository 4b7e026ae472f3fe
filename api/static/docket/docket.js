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

// The request page: consequential steps ask again in a dialog (without JavaScript, the link
// opens a confirmation page instead); files can be dropped on the upload form, which then
// posts as if they had been chosen; htmx swaps in a form's errors (422, 409) as well.
(() => {
  document.addEventListener("click", (event) => {
    const opener = event.target.closest("a[data-dialog]");
    if (opener) {
      const dialog = document.getElementById(opener.dataset.dialog);
      if (dialog && dialog.showModal) {
        event.preventDefault();
        dialog.showModal();
        const first = dialog.querySelector("textarea, button");
        if (first) first.focus();
      }
      return;
    }
    const closer = event.target.closest("[data-dialog-close]");
    const open = closer && closer.closest("dialog[open]");
    if (open) { event.preventDefault(); open.close(); }
  });

  const zoneOf = (el) => el && el.closest && el.closest("form[data-dropzone]");
  document.addEventListener("dragover", (event) => {
    const zone = zoneOf(event.target);
    if (!zone) return;
    event.preventDefault();
    zone.classList.add("dragging");
  });
  document.addEventListener("dragleave", (event) => {
    const zone = zoneOf(event.target);
    if (zone && !zone.contains(event.relatedTarget)) zone.classList.remove("dragging");
  });
  document.addEventListener("drop", (event) => {
    const zone = zoneOf(event.target);
    if (!zone) return;
    event.preventDefault();
    zone.classList.remove("dragging");
    const input = zone.querySelector("input[type=file]");
    if (!input || !event.dataTransfer || !event.dataTransfer.files.length) return;
    input.files = event.dataTransfer.files;
    zone.requestSubmit();
  });

  document.addEventListener("htmx:beforeSwap", (event) => {
    const status = event.detail.xhr.status;
    if ((status === 409 || status === 422) && event.detail.elt.closest("[data-swap-errors]")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();

// Copy buttons (the audit page's keys, checkpoint and command): without JavaScript they stay
// hidden and the text is there to select by hand.
(() => {
  const copyText = async (text) => {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return;
    }
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "visually-hidden";
    document.body.appendChild(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  };
  document.querySelectorAll("button[data-copy]").forEach((button) => { button.hidden = false; });
  document.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-copy]");
    if (!button) return;
    const source = document.getElementById(button.dataset.copy);
    if (!source) return;
    const status = document.getElementById("copy-status");
    try {
      await copyText(source.textContent.trim());
      if (status) status.textContent = status.dataset.copied || "Copied.";
    } catch (error) {
      if (status) status.textContent = status.dataset.failed || "Could not copy; select the text instead.";
    }
  });
})();
