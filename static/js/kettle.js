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
  // Keys name the post, never its keeper link: a link must not sit in the tab's storage.
  var draftKey = function (area) { return "kettle-draft:" + area.getAttribute("data-draft"); };
  try {
    Object.keys(sessionStorage).forEach(function (key) {
      if (key.indexOf("kettle-draft:/keep/") === 0) { sessionStorage.removeItem(key); }
    });
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

  // Characters left, or over, beside every box with a limit. Nothing is ever cut: the
  // server refuses too much in words and gives everything back. The visible count follows
  // each keystroke; screen readers hear it only after a pause in typing and only near or
  // over the limit, so it is not chatty.
  var characters = function (text) { return Array.from(text.replace(/\r\n/g, "\n")).length; };
  var plural = function (n) { return n.toLocaleString("en-GB") + (n === 1 ? " character" : " characters"); };
  var counted = [];
  document.querySelectorAll("[data-limit]").forEach(function (box) {
    var limit = parseInt(box.getAttribute("data-limit"), 10);
    var shown = document.createElement("p");
    var heard = document.createElement("p");
    shown.className = "char-count";
    shown.setAttribute("aria-hidden", "true");
    heard.className = "visually-hidden";
    heard.setAttribute("aria-live", "polite");
    box.insertAdjacentElement("afterend", heard);
    box.insertAdjacentElement("afterend", shown);
    var words = function () {
      var left = limit - characters(box.value);
      return left >= 0 ? "You have " + plural(left) + " left" : "You have " + plural(-left) + " too many";
    };
    var timer;
    var say = function () { heard.textContent = words(); };
    var update = function () {
      var over = characters(box.value) > limit;
      shown.textContent = words();
      shown.classList.toggle("over", over);
      clearTimeout(timer);
      timer = setTimeout(function () {
        if (characters(box.value) >= limit * 0.9) { say(); } else { heard.textContent = ""; }
      }, 1200);
    };
    box.addEventListener("input", update);
    update();
    counted.push({ box: box, over: function () { return characters(box.value) > limit; }, say: say });
  });

  // A form sends once: its button says so while sending, and a second click (or Enter) does
  // nothing. Back, a refused form or a stalled connection make it ready again; the server
  // stores a repeat only once anyway. A box over its limit stops the send and says why.
  var ready = function (form) {
    form.removeAttribute("data-sending");
    form.querySelectorAll("button[data-sending-words]").forEach(function (button) {
      button.textContent = button.getAttribute("data-sending-words");
      button.removeAttribute("data-sending-words");
      button.removeAttribute("aria-disabled");
    });
  };
  document.querySelectorAll("form[method=post]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var tooLong = counted.filter(function (c) { return form.contains(c.box) && c.over(); })[0];
      if (tooLong) {
        event.preventDefault();
        tooLong.say();
        tooLong.box.focus();
        return;
      }
      if (form.hasAttribute("data-sending")) { event.preventDefault(); return; }
      form.setAttribute("data-sending", "");
      form.querySelectorAll("button[type=submit], button:not([type])").forEach(function (button) {
        button.setAttribute("data-sending-words", button.textContent);
        button.setAttribute("aria-disabled", "true");
        button.textContent = "Sending\u2026";
      });
      setTimeout(function () { ready(form); }, 15000);
    });
  });
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-sending]").forEach(ready);
  });

  // Focus the error summary so screen readers announce it; after the page has scrolled to
  // any #fragment in the address, which would otherwise take the focus away again.
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
    window.addEventListener("load", function () { summary.focus(); });
  }
})();
