// Shows how an EDTF date reads ("spring 2018") beside its input, as the curator types.
// The reading comes from the server, so it is exactly what lists and pages will show.
"use strict";
(function () {
  function attach(input) {
    const output = input.parentElement.querySelector("output.edtf-reading");
    if (!output || input.dataset.edtfAttached) {
      return;
    }
    input.dataset.edtfAttached = "1";
    let timer = null;
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(async function () {
        const url = output.dataset.url + "?value=" + encodeURIComponent(input.value);
        const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
        if (!response.ok) {
          return;
        }
        const data = await response.json();
        output.textContent = data.error || data.reading;
        output.classList.toggle("edtf-invalid", Boolean(data.error));
      }, 250);
    });
  }
  function attachAll(root) {
    root.querySelectorAll("input[data-edtf-reading]").forEach(attach);
  }
  document.addEventListener("DOMContentLoaded", function () { attachAll(document); });
  // Inline rows the admin adds with "Add another".
  document.addEventListener("formset:added", function (event) { attachAll(event.target); });
})();
