/*
 * Reports a learner's progress from a lesson page.
 *
 * Video: the stretches actually played, sent as heartbeats {played_from, played_to, position,
 * duration}. A stretch starts where playback starts (or lands after a seek) and ends where it
 * pauses, seeks away or ends; while playing, the open stretch is reported every 15 seconds. The
 * server merges stretches and caps each by the time elapsed, so replays and seeks count once.
 * The player resumes at the position saved from any device (data-resume).
 *
 * Documents and links: opening one reports it (the same form as the "mark as done" button).
 */
(function () {
  "use strict";

  var HEARTBEAT_MS = 15000;

  function csrfToken() {
    var headers = document.body.getAttribute("hx-headers");
    try {
      return JSON.parse(headers || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  }

  function showShare(share) {
    var panel = document.getElementById("lesson-progress");
    if (!panel || share === undefined) return;
    var percent = Math.round(share * 100);
    var bar = panel.querySelector("progress");
    var label = panel.querySelector("[data-watched-share]");
    if (!bar || !label) {
      panel.innerHTML =
        '<p class="lesson-progress-video"><progress max="100" aria-label="Share of the video watched"></progress> <span data-watched-share></span></p>';
      bar = panel.querySelector("progress");
      label = panel.querySelector("[data-watched-share]");
    }
    bar.value = percent;
    label.textContent = percent + "% watched";
  }

  function showCompleted() {
    var panel = document.getElementById("lesson-progress");
    if (!panel) return;
    panel.innerHTML = '<p class="lesson-progress-done"><span class="tag tag--completed">Completed</span> just now</p>';
  }

  function once(element) {
    if (element.hasAttribute("data-tracked")) return false;
    element.setAttribute("data-tracked", "");
    return true;
  }

  function trackVideo(video) {
    if (!once(video)) return;
    var url = video.getAttribute("data-heartbeat-url");
    if (!url) return;
    var locale = video.getAttribute("data-locale") || "";
    var stretchStart = null; // where the open stretch began, null while not playing
    var lastTime = 0; // the last position seen while playing (before a seek moves it)
    // Where the last reported stretch ended, unless the learner jumped since: playback resumed
    // after a pause continues from there (players resume a few frames past the reported pause).
    var lastEnd = null;
    var JITTER_SECONDS = 1;
    var completed = video.hasAttribute("data-completed");
    var timer = null;

    function send(from, to, keepalive) {
      if (!isFinite(video.duration) || video.duration <= 0 || to <= from) return;
      var body = JSON.stringify({
        played_from: from,
        played_to: Math.min(to, video.duration),
        position: Math.min(video.currentTime, video.duration),
        duration: video.duration,
        locale: locale
      });
      fetch(url, {
        method: "POST",
        credentials: "same-origin",
        keepalive: !!keepalive,
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
        body: body
      })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (result) {
          if (!result) return;
          if (result.completed && !completed) {
            completed = true;
            showCompleted();
          } else if (!completed) {
            showShare(result.watched_share);
          }
        })
        .catch(function () {
          /* Offline: the next heartbeat reports the same stretch again. */
        });
    }

    function flush(keepalive) {
      if (stretchStart === null) return;
      // While seeking, currentTime is already where the jump lands: the stretch ended at the
      // last position seen while playing. Otherwise it ends right now.
      var end = video.seeking ? lastTime : video.currentTime;
      send(stretchStart, end, keepalive);
      stretchStart = end;
      lastEnd = end;
    }

    video.addEventListener("loadedmetadata", function () {
      var resume = parseFloat(video.getAttribute("data-resume") || "0");
      if (resume > 0 && resume < video.duration - 5) video.currentTime = resume;
      lastTime = video.currentTime;
    });
    video.addEventListener("playing", function () {
      var now = video.currentTime;
      var resumed = lastEnd !== null && now >= lastEnd && now - lastEnd < JITTER_SECONDS;
      stretchStart = resumed ? lastEnd : now;
      lastTime = video.currentTime;
      if (timer === null) timer = window.setInterval(function () { flush(false); }, HEARTBEAT_MS);
    });
    video.addEventListener("timeupdate", function () {
      if (stretchStart !== null && !video.seeking) lastTime = video.currentTime;
    });
    video.addEventListener("seeking", function () {
      // The stretch ends where playback was before the jump; the next one starts where it lands.
      flush(false);
      stretchStart = null;
      lastEnd = null;
    });
    video.addEventListener("seeked", function () {
      lastTime = video.currentTime;
      if (!video.paused) stretchStart = video.currentTime;
    });
    function stop() {
      flush(false);
      stretchStart = null;
      if (timer !== null) {
        window.clearInterval(timer);
        timer = null;
      }
    }
    video.addEventListener("pause", stop);
    video.addEventListener("ended", function () {
      lastTime = video.duration;
      stop();
    });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") flush(true);
    });
  }

  function trackOpening(link) {
    if (!once(link)) return;
    // Opening a document or a page counts: post the lesson's "mark as done" form in the
    // background (keepalive, so it survives the navigation or the new tab).
    link.addEventListener("click", function () {
      var form = document.querySelector("form.mark-taken");
      if (!form) return;
      fetch(form.action, {
        method: "POST",
        credentials: "same-origin",
        keepalive: true,
        headers: { "X-CSRFToken": csrfToken(), "HX-Request": "true" },
        body: new FormData(form)
      }).then(function (response) {
        return response.ok ? response.text() : null;
      }).then(function (html) {
        var panel = document.getElementById("lesson-progress");
        if (html && panel) {
          panel.outerHTML = html;
          form.remove();
        }
      }).catch(function () {});
    });
  }

  function init(root) {
    root.querySelectorAll("video[data-heartbeat-url], audio[data-heartbeat-url]").forEach(trackVideo);
    root.querySelectorAll("a[data-records-progress]").forEach(trackOpening);
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  // Switching formats swaps the format panel in with htmx.
  document.addEventListener("htmx:afterSettle", function () { init(document); });
})();
