// Kettle's comforts. Everything works without this file; it only makes things smoother.
(function () {
  "use strict";

  // Leave quickly: blank the page at once and replace it in history, so Back does not return here.
  var leave = function (link) {
    document.documentElement.classList.add("leaving");
    try { sessionStorage.clear(); } catch (e) { /* storage may be off */ }
    window.location.replace(link.href);
  };
  document.querySelectorAll("[data-quick-exit]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      leave(link);
    });
  });
  // A page restored from the back-forward cache is shown again, not left blank.
  window.addEventListener("pageshow", function () {
    document.documentElement.classList.remove("leaving");
  });

  // Leave quickly from the keyboard: Shift pressed on its own three times, each within five
  // seconds of the last, as GOV.UK's "Exit this page" works. Shift used with another key (a
  // capital letter) does not count. Screen readers hear how many presses are left.
  (function () {
    var link = document.querySelector("[data-quick-exit]");
    var status = document.querySelector("[data-quick-exit-status]");
    var keys = document.getElementById("quick-exit-keys");
    if (!link || !status) { return; }
    if (keys) {
      keys.hidden = false;
      link.setAttribute("aria-describedby", keys.id);
    }
    var presses = 0, shiftWasHeld = false, timer = null;
    var forget = function () {
      presses = 0;
      window.clearTimeout(timer);
      status.textContent = "";
    };
    document.addEventListener("keyup", function (event) {
      var aloneShift = event.key === "Shift" && !shiftWasHeld;
      shiftWasHeld = event.shiftKey;
      if (!aloneShift) {
        if (presses) { forget(); }
        return;
      }
      presses += 1;
      window.clearTimeout(timer);
      if (presses >= 3) {
        forget();
        leave(link);
        return;
      }
      status.textContent = presses === 1
        ? "Shift: press 2 more times to leave quickly."
        : "Shift: press 1 more time to leave quickly.";
      timer = window.setTimeout(forget, 5000);
    }, true);
  })();

  // Copy buttons appear only when copying can work.
  if (navigator.clipboard) {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      var status = button.parentNode.querySelector("[data-copy-status]");
      var say = function (words) {
        button.textContent = words;
        if (status) { status.textContent = words; }  // a live region, so screen readers hear it
      };
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(button.getAttribute("data-copy")).then(function () {
          say("Copied");
        }, function () {
          say("Could not copy: please select it and copy it yourself");
        });
      });
    });
  }

  // Keep a draft in this tab while writing, so a lost connection loses nothing. Drafts go
  // when the tab closes, or once Kettle says something was posted (never merely on sending).
  var draftKey = function (area) { return "kettle-draft:" + area.getAttribute("data-draft"); };
  try {
    if (document.querySelector("[data-posted]")) {
      Object.keys(sessionStorage).forEach(function (key) {
        if (key.indexOf("kettle-draft:") === 0) { sessionStorage.removeItem(key); }
      });
    }
    document.querySelectorAll("textarea[data-draft]").forEach(function (area) {
      var saved = sessionStorage.getItem(draftKey(area));
      if (saved && !area.value) { area.value = saved; }
      area.addEventListener("input", function () { sessionStorage.setItem(draftKey(area), area.value); });
    });
  } catch (e) { /* storage may be off */ }

  // Focus the error summary so screen readers announce it; after the page has scrolled to
  // any #fragment in the address, which would otherwise take the focus away again.
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
    window.addEventListener("load", function () { summary.focus(); });
  }
})();
