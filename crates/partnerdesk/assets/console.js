// Small enhancements; every page works without them.
"use strict";

document.addEventListener("change", (event) => {
  // A select marked data-autosubmit applies at once (its form still has a submit button).
  const target = event.target;
  if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit") && target.form) {
    target.form.requestSubmit();
  }
});

// A GET form marked data-live="#region" refreshes that region of the page as the user types
// (type-ahead): it asks for the same page the form would open and takes the region from it.
document.querySelectorAll("form[data-live]").forEach((form) => {
  const region = form.getAttribute("data-live");
  let timer = null;
  let latest = 0;
  form.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const url = new URL(form.action, window.location.href);
      url.search = new URLSearchParams(new FormData(form)).toString();
      const ticket = ++latest;
      try {
        const response = await fetch(url, { headers: { Accept: "text/html" }, credentials: "same-origin" });
        if (!response.ok || ticket !== latest) return;
        const page = new DOMParser().parseFromString(await response.text(), "text/html");
        const fresh = page.querySelector(region);
        const current = document.querySelector(region);
        if (fresh && current) {
          current.replaceWith(fresh);
          history.replaceState(null, "", url);
        }
      } catch (_) {
        // Offline or interrupted: the form's own submit still works.
      }
    }, 300);
  });
});
