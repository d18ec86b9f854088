// Person pickers (network/_person_picker.html). A person ticked among the search
// results stays chosen: clicked with a pointer, it moves next to the search box and the
// search is cleared; ticked with the keyboard (arrow keys walk the list), the list stays
// open and the person moves there when the next search replaces the list.
// Without JavaScript the ticked result, or the name typed, is posted as it is.
(function () {
  "use strict";

  var byPointer = false;

  function keep(label) {
    var picker = label.closest(".picker");
    var results = picker.querySelector(".picker-results");
    var chosen = picker.querySelector(".picker-chosen");
    if (!chosen) {
      chosen = document.createElement("div");
      chosen.className = "picker-chosen";
      picker.insertBefore(chosen, results);
    }
    var previous = chosen.querySelector("[data-chosen]");
    if (previous) previous.remove();
    label.setAttribute("data-chosen", "");
    chosen.insertBefore(label, chosen.firstChild);
  }

  document.addEventListener("pointerdown", function (event) {
    byPointer = !!(event.target instanceof Element && event.target.closest(".picker-results label"));
  }, true);
  document.addEventListener("keydown", function () { byPointer = false; }, true);

  document.addEventListener("change", function (event) {
    var radio = event.target;
    if (!(radio instanceof HTMLInputElement) || radio.type !== "radio") return;
    var results = radio.closest(".picker-results");
    if (!results || !byPointer) return;
    byPointer = false;
    var picker = results.closest(".picker");
    keep(radio.closest("label"));
    radio.checked = true;
    var search = picker.querySelector("input[type=search]");
    search.value = "";
    results.replaceChildren();
    search.focus();
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (!target || !target.classList.contains("picker-results")) return;
    var ticked = target.querySelector("input[type=radio]:checked");
    if (ticked) keep(ticked.closest("label"));
  });
})();
