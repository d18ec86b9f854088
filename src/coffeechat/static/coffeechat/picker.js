// Person pickers: when a person is ticked among the search results, it becomes the
// picker's choice (shown above the search box's results) and the search is cleared.
// Without JavaScript the ticked result, or the name typed, is sent as it is.
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var radio = event.target;
    if (!(radio instanceof HTMLInputElement) || radio.type !== "radio") return;
    var results = radio.closest(".picker-results");
    if (!results) return;
    var picker = results.closest(".picker");
    var chosen = picker.querySelector(".picker-chosen");
    if (!chosen) {
      chosen = document.createElement("div");
      chosen.className = "picker-chosen";
      picker.insertBefore(chosen, results);
    }
    var previous = chosen.querySelector("[data-chosen]");
    if (previous) previous.remove();
    var label = radio.closest("label");
    label.setAttribute("data-chosen", "");
    chosen.insertBefore(label, chosen.firstChild);
    radio.checked = true;
    var search = picker.querySelector("input[type=search]");
    search.value = "";
    results.replaceChildren();
    search.focus();
  });
})();
