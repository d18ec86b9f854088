// The "in conversation" page: a countdown to the agreed end, and notes that save
// as you type. Without JavaScript the page is a normal form with a Save button.
(function () {
  "use strict";

  function countdown() {
    var box = document.getElementById("countdown");
    if (!box) return;
    var end = Date.parse(box.dataset.endsAt);
    var start = Date.parse(box.dataset.startsAt);
    var warn = (parseInt(box.dataset.warnMinutes, 10) || 5) * 60000;
    if (isNaN(end)) return;
    function pad(n) { return (n < 10 ? "0" : "") + n; }
    function tick() {
      var now = Date.now();
      var left = end - now;
      box.classList.toggle("is-warning", left > 0 && left <= warn);
      box.classList.toggle("is-over", left <= 0);
      if (now < start) {
        var wait = Math.ceil((start - now) / 60000);
        box.textContent = "Starts in " + wait + " min";
      } else if (left > 0) {
        var s = Math.floor(left / 1000);
        box.textContent = pad(Math.floor(s / 60)) + ":" + pad(s % 60) + " left" +
          (left <= warn ? " — time to close: the closing three" : "");
      } else {
        box.textContent = "Time is up: thank them and close on time.";
      }
    }
    tick();
    window.setInterval(tick, 1000);
  }

  function autosave() {
    var form = document.getElementById("hold-form");
    if (!form) return;
    var notes = form.querySelector("textarea[name=notes]");
    var status = document.getElementById("save-status");
    var key = "coffeechat:notes:" + form.dataset.conversation;
    var timer = null;
    var dirty = false;

    function say(text) { if (status) status.textContent = text; }
    function backup() {
      try {
        window.localStorage.setItem(key, JSON.stringify({ notes: notes.value, at: Date.now() }));
      } catch (e) { /* private mode: the server copy is enough */ }
    }
    function forget() {
      try { window.localStorage.removeItem(key); } catch (e) { /* ignore */ }
    }
    function data() {
      var body = new FormData(form);
      body.set("autosave", "1");
      return body;
    }
    function save() {
      timer = null;
      if (!dirty) return;
      dirty = false;
      say("Saving…");
      fetch(form.action || window.location.href, {
        method: "POST",
        body: data(),
        credentials: "same-origin",
        headers: { "X-CSRFToken": form.querySelector("[name=csrfmiddlewaretoken]").value },
      }).then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        forget();
        var now = new Date();
        say("Saved " + now.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) + ".");
      }).catch(function () {
        dirty = true;
        say("Not saved (kept in this browser); retrying…");
        schedule(5000);
      });
    }
    function schedule(delay) {
      if (timer) window.clearTimeout(timer);
      timer = window.setTimeout(save, delay);
    }
    function changed() {
      dirty = true;
      backup();
      schedule(800);
    }
    function flush() {
      if (!dirty) return;
      if (navigator.sendBeacon && navigator.sendBeacon(form.action || window.location.href, data())) {
        dirty = false;
        forget();
      }
    }

    // Restore notes the server never received (the tab closed before a save).
    try {
      var kept = JSON.parse(window.localStorage.getItem(key) || "null");
      var savedAt = parseInt(form.dataset.savedAt, 10) * 1000 || 0;
      if (kept && kept.notes !== notes.value && kept.at > savedAt) {
        notes.value = kept.notes;
        say("Restored notes that were not saved yet.");
        changed();
      }
    } catch (e) { /* ignore a broken backup */ }

    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") flush();
    });
    window.addEventListener("pagehide", flush);
    form.addEventListener("submit", function () { forget(); });
  }

  function start() { countdown(); autosave(); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
