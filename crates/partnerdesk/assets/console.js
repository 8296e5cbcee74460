// Small enhancements; every page works without them.
"use strict";
document.addEventListener("change", (event) => {
  // A select marked data-autosubmit applies at once (its form still has a submit button).
  const target = event.target;
  if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit") && target.form) {
    target.form.requestSubmit();
  }
});
