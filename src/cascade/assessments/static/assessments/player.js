/*
 * The exam player's small helpers; every form works without them.
 *
 * - Countdown: the server gives the seconds left on each page load and with each save
 *   (X-Exam-Remaining); the clock ticks them down, warns at 5 minutes and 1 minute in a live
 *   region, and at zero saves what is being typed and submits. The server stays the judge: a save
 *   after the deadline is refused and the page goes to the result.
 * - Saves refused (409, 422) come back with their reason and are shown in place.
 * - After a question is redrawn (a scenario step, a file uploaded), focus goes to what replaced
 *   what had it ([data-focus-here]).
 * - A save that cannot reach the server (offline) is said to be unsaved and sent again when the
 *   connection returns; leaving the page with unsaved answers asks first.
 * - Times are shown in the reader's time zone.
 */
(function () {
  "use strict";

  var WARNINGS = [
    { at: 300, text: "5 minutes left. Your answers are saved as you go; the exam is submitted when time runs out." },
    { at: 60, text: "1 minute left." }
  ];
  var RETRY_MS = 15000;

  // --- times in the reader's zone ---------------------------------------------------------------

  function localTimes(root) {
    root.querySelectorAll("time[data-local]").forEach(function (element) {
      var when = new Date(element.getAttribute("datetime"));
      if (isNaN(when.getTime())) return;
      var kind = element.getAttribute("data-local");
      var options = kind === "time" ? { hour: "2-digit", minute: "2-digit", second: "2-digit" }
        : kind === "time-short" ? { hour: "2-digit", minute: "2-digit" }
        : { dateStyle: "medium", timeStyle: "short" };
      try {
        element.textContent = kind === "datetime"
          ? when.toLocaleString([], options) : when.toLocaleTimeString([], options);
      } catch (error) { /* an old browser keeps the server's text */ }
    });
  }

  // --- the countdown ----------------------------------------------------------------------------

  function clockText(seconds) {
    var hours = Math.floor(seconds / 3600);
    var minutes = Math.floor((seconds % 3600) / 60);
    var rest = seconds % 60;
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return hours ? hours + ":" + pad(minutes) + ":" + pad(rest) : minutes + ":" + pad(rest);
  }

  function startTimer() {
    var timer = document.getElementById("exam-timer");
    if (!timer) return;
    var clock = timer.querySelector("[data-clock]");
    var alert = document.getElementById("time-alert");
    var endsAt = Date.now() + parseInt(timer.getAttribute("data-remaining"), 10) * 1000;
    var initial = Math.round((endsAt - Date.now()) / 1000);
    // Warnings already passed when the page opened are not given again; the page says once how
    // little time is left.
    var warned = WARNINGS.map(function (warning) { return initial <= warning.at; });
    var finished = false;
    if (alert && initial > 0 && initial <= WARNINGS[0].at) {
      alert.textContent = "Less than " + Math.ceil(initial / 60) + " minute" +
        (initial > 60 ? "s" : "") + " left.";
    }

    function left() {
      return Math.max(0, Math.round((endsAt - Date.now()) / 1000));
    }

    function tick() {
      var seconds = left();
      clock.textContent = clockText(seconds);
      timer.classList.toggle("exam-timer--warning", seconds <= 300);
      timer.classList.toggle("exam-timer--urgent", seconds <= 60);
      WARNINGS.forEach(function (warning, index) {
        if (!warned[index] && seconds <= warning.at) {
          warned[index] = true;
          if (alert) alert.textContent = warning.text;
        }
      });
      if (seconds === 0 && !finished) {
        finished = true;
        timeUp();
      }
    }

    document.addEventListener("htmx:afterRequest", function (event) {
      var xhr = event.detail.xhr;
      var header = xhr && xhr.getResponseHeader("X-Exam-Remaining");
      if (header !== null && header !== undefined && header !== "") {
        endsAt = Date.now() + parseInt(header, 10) * 1000;
      }
    });
    tick();
    window.setInterval(tick, 1000);
  }

  function timeUp() {
    var alert = document.getElementById("time-alert");
    if (alert) alert.textContent = "Time is up. Submitting your answers…";
    // A field being typed in saves on leaving it; give saves on their way a moment to land.
    if (document.activeElement && document.activeElement !== document.body) {
      document.activeElement.blur();
    }
    var waited = 0;
    (function submitWhenSaved() {
      var busy = document.querySelector("form.htmx-request");
      if (busy && waited < 4000) {
        waited += 200;
        window.setTimeout(submitWhenSaved, 200);
        return;
      }
      leaving = true;
      var form = document.getElementById("time-up-form");
      if (form) form.submit();
      else window.location.reload();
    })();
  }

  // --- saves: refused ones shown in place, offline ones sent again ------------------------------

  var leaving = false;

  function status(form) {
    return form.querySelector(".save-state");
  }

  function markUnsaved(form) {
    form.setAttribute("data-unsaved", "");
    var line = status(form);
    if (line) {
      line.innerHTML = '<span class="save-error"><strong>Not saved:</strong> the connection is lost. It is sent again when you are back online.</span>';
    }
    var live = document.getElementById("save-status");
    if (live) live.textContent = "Not saved: the connection is lost. Your answer is sent again when you are back online.";
  }

  function retryUnsaved() {
    document.querySelectorAll("form[data-unsaved]").forEach(function (form) {
      form.removeAttribute("data-unsaved");
      if (window.htmx) window.htmx.trigger(form, "submit");
    });
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var code = event.detail.xhr.status;
    if (code === 409 || code === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("htmx:sendError", function (event) {
    var form = event.detail.elt && event.detail.elt.closest ? event.detail.elt.closest("form") : null;
    if (form) markUnsaved(form);
  });

  document.addEventListener("htmx:responseError", function (event) {
    var form = event.detail.elt && event.detail.elt.closest ? event.detail.elt.closest("form") : null;
    if (form && event.detail.xhr.status >= 500) markUnsaved(form);
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt && event.detail.elt.closest ? event.detail.elt.closest("form") : null;
    if (form && event.detail.successful) form.removeAttribute("data-unsaved");
  });

  window.addEventListener("online", retryUnsaved);
  window.setInterval(function () {
    if (navigator.onLine !== false) retryUnsaved();
  }, RETRY_MS);

  window.addEventListener("beforeunload", function (event) {
    if (leaving) return;
    if (document.querySelector("form[data-unsaved]")) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // Buttons that cannot act here (the first step's "Up") stay focusable but do nothing.
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest('button[aria-disabled="true"]') : null;
    if (button) event.preventDefault();
  });

  // --- focus after a question is redrawn --------------------------------------------------------

  document.addEventListener("htmx:afterSettle", function (event) {
    localTimes(document);
    var target = document.querySelector("[data-focus-here]");
    if (target) {
      target.removeAttribute("data-focus-here");
      target.focus();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    localTimes(document);
    startTimer();
    var target = document.querySelector("[data-focus-here]");
    if (target) {
      target.removeAttribute("data-focus-here");
      target.focus();
    }
  });
})();
