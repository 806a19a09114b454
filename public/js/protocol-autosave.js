// A protocol is never lost. While the mentor types, the draft is saved to the server a few seconds
// after she stops and when she leaves a field (POST …/autosave, which never submits and never touches
// a submitted protocol); a copy is kept in this browser (localStorage, per group and month) until the
// server has it, and is put back if the server never got it. The page says "saved at 22:41"; leaving
// it with unsaved changes asks first. The counters under the text fields say how much room is left.
// Without JavaScript the form works as before (the buttons save and submit).
(function () {
  'use strict';
  var form = document.querySelector('form[data-autosave-url]');
  if (!form) return;

  var quietMs = 3000; // save this long after the last change…
  var maxWaitMs = 30000; // …and at least this often while the changes keep coming
  var retryMs = 15000;
  var localMaxAgeMs = 7 * 24 * 3600 * 1000;
  var ignored = { _csrf: true, _keepWhenSignedOut: true, version: true, action: true };
  var language = document.documentElement.lang || 'ru';
  var statusLine = document.getElementById('autosave-status');
  var announcer = document.getElementById('counter-announcer');
  var versionInput = form.elements.namedItem('version');
  var tokenInput = form.elements.namedItem('_csrf');
  var storageKey = form.getAttribute('data-autosave-key');

  var storage = null;
  try {
    storage = window.localStorage;
    storage.setItem(storageKey + ':probe', '1');
    storage.removeItem(storageKey + ':probe');
  } catch (error) {
    storage = null; // storage switched off: the server copy still works
  }

  function text(name) {
    return form.getAttribute('data-text-' + name) || '';
  }

  function setStatus(message) {
    if (statusLine) statusLine.textContent = message;
  }

  // --- The form's values ---------------------------------------------------------------------
  function snapshot() {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!element.name || ignored[element.name] || element.disabled) return;
      if (element.type === 'checkbox') {
        if (!values[element.name]) values[element.name] = [];
        if (element.checked) values[element.name].push(element.value);
      } else if (element.type === 'radio') {
        if (!(element.name in values)) values[element.name] = '';
        if (element.checked) values[element.name] = element.value;
      } else if (element.tagName === 'TEXTAREA' || element.tagName === 'INPUT' || element.tagName === 'SELECT') {
        if (!/^(submit|button|reset|file|password|hidden|image)$/.test(element.type)) values[element.name] = element.value;
      }
    });
    return values;
  }

  function serialise(values) {
    return JSON.stringify(Object.keys(values).sort().map(function (name) { return [name, values[name]]; }));
  }

  function apply(values) {
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!element.name || ignored[element.name] || !(element.name in values)) return;
      var value = values[element.name];
      if (element.type === 'checkbox') element.checked = Array.isArray(value) && value.indexOf(element.value) >= 0;
      else if (element.type === 'radio') element.checked = value === element.value;
      else if (typeof value === 'string' && !/^(submit|button|reset|file|password|hidden|image)$/.test(element.type)) element.value = value;
    });
  }

  // --- The copy in this browser --------------------------------------------------------------
  function readLocal() {
    if (!storage) return null;
    try {
      var entry = JSON.parse(storage.getItem(storageKey));
      return entry && Date.now() - entry.keptAt < localMaxAgeMs ? entry : null;
    } catch (error) {
      return null;
    }
  }
  function writeLocal(values) {
    if (!storage) return;
    try {
      storage.setItem(storageKey, JSON.stringify({ keptAt: Date.now(), baseVersion: versionInput ? versionInput.value : '', values: values }));
    } catch (error) {
      // full: the server copy still works
    }
  }
  function forgetLocal() {
    if (storage) storage.removeItem(storageKey);
  }

  // --- Counters ------------------------------------------------------------------------------
  var plurals = window.Intl && Intl.PluralRules ? new Intl.PluralRules(language) : null;
  function countText(kind, count) {
    var form_ = plurals ? plurals.select(count) : 'other';
    var template = form.getAttribute('data-' + kind + '-' + form_) || form.getAttribute('data-' + kind + '-other') || '';
    return template.replace('{n}', count.toLocaleString(language));
  }
  function counterOf(field) {
    return field && field.id ? document.getElementById(field.id + '-counter') : null;
  }
  function updateCounter(field) {
    var counter = counterOf(field);
    if (!counter) return null;
    var limit = Number(counter.getAttribute('data-limit'));
    var used = field.value.trim().length;
    var over = used > limit;
    var left = counter.querySelector('[data-counter-left]');
    var message = over ? countText('over', used - limit) : countText('left', limit - used);
    if (left) left.textContent = message;
    counter.classList.toggle('char-counter-over', over);
    if (over) field.setAttribute('aria-invalid', 'true');
    else if (!document.getElementById(field.id + '-error')) field.removeAttribute('aria-invalid');
    return { over: over, nearlyFull: limit - used <= limit * 0.1, message: message };
  }
  // A screen reader hears the counter when it stops typing near or over the limit, not every key.
  var announceTimer = null;
  var lastAnnounced = '';
  function announceLater(field) {
    if (!announcer) return;
    window.clearTimeout(announceTimer);
    announceTimer = window.setTimeout(function () {
      var state = updateCounter(field);
      if (!state || !(state.over || state.nearlyFull)) return;
      var label = form.querySelector('label[for="' + field.id + '"]');
      var message = (label ? label.textContent.replace(/\s*\*\s*$/, '') + ': ' : '') + state.message;
      if (message !== lastAnnounced) announcer.textContent = message;
      lastAnnounced = message;
    }, 1500);
  }

  // --- Saving --------------------------------------------------------------------------------
  var savedState = serialise(snapshot()); // what the server has
  var quietTimer = null;
  var firstUnsavedAt = 0;
  var saving = false;
  var again = false;
  var stopped = false; // a conflict: the mentor decides (reload, or save with the button)
  var leaving = false;
  var submitting = false;
  var waitingSubmitter = null; // a button pressed while an autosave was on its way

  function isDirty() {
    return serialise(snapshot()) !== savedState;
  }

  function schedule() {
    if (stopped) return;
    var now = Date.now();
    if (!firstUnsavedAt) firstUnsavedAt = now;
    window.clearTimeout(quietTimer);
    var wait = Math.min(quietMs, Math.max(0, firstUnsavedAt + maxWaitMs - now));
    quietTimer = window.setTimeout(save, wait);
  }

  function save() {
    window.clearTimeout(quietTimer);
    if (stopped || submitting || !isDirty()) return;
    if (saving) {
      again = true;
      return;
    }
    saving = true;
    var sent = snapshot();
    var body = new URLSearchParams(new FormData(form));
    body.delete('action');
    // The file chosen for "Attach" goes with that button only (as multipart), never with an autosave.
    body.delete('attachment');
    // No "saving…" line: a screen reader would hear it every few seconds; only the outcome is said.
    window.fetch(form.getAttribute('data-autosave-url'), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded', 'X-CSRF-Token': tokenInput ? tokenInput.value : '' },
      body: body.toString(),
    })
      .then(function (response) {
        if (response.status === 200) {
          return response.json().then(function (answer) {
            if (versionInput) versionInput.value = answer.version;
            savedState = serialise(sent);
            firstUnsavedAt = 0;
            setStatus(answer.message);
            var hasErrors = answer.errors && Object.keys(answer.errors).length > 0;
            // The server has all of it: the browser's copy is no longer needed.
            if (!hasErrors && !isDirty()) forgetLocal();
            else writeLocal(snapshot());
            if (hasErrors) savedState = ''; // some fields are not on the server yet
          });
        }
        if (response.status === 409) {
          stopped = true;
          setStatus(text('conflict'));
          return null;
        }
        // 403: signed out (or the token is stale). The text stays here; "Save draft" keeps it on the server.
        setStatus(response.status === 403 ? text('signed-out') : text('failed'));
        if (response.status !== 403) window.setTimeout(schedule, retryMs);
        return null;
      })
      .catch(function () {
        setStatus(text('failed'));
        window.setTimeout(schedule, retryMs);
      })
      .then(function () {
        saving = false;
        if (waitingSubmitter) {
          // Now the form carries the version the autosave was given: sent as the button asked.
          var submitter = waitingSubmitter;
          waitingSubmitter = null;
          if (form.requestSubmit) form.requestSubmit(submitter);
          else submitter.click();
          return;
        }
        if (again) {
          again = false;
          schedule();
        }
      });
  }

  function changed(event) {
    writeLocal(snapshot());
    if (event && event.target && counterOf(event.target)) {
      updateCounter(event.target);
      announceLater(event.target);
    }
    schedule();
  }

  // --- On opening the page -------------------------------------------------------------------
  var restoredOnServer = form.getAttribute('data-unsaved') === 'true';
  var local = readLocal();
  if (restoredOnServer) {
    // The server kept what she sent while signed out and shows it: it is not saved yet.
    savedState = '';
    writeLocal(snapshot());
    schedule();
  } else if (local && local.baseVersion === (versionInput ? versionInput.value : '')) {
    // The server has not changed since this copy was made, so it holds what never reached it.
    if (serialise(local.values) !== savedState) {
      apply(local.values);
      var notice = document.createElement('p');
      notice.className = 'notice form-kept-notice';
      notice.setAttribute('role', 'status');
      notice.textContent = text('restored');
      form.parentNode.insertBefore(notice, form);
      schedule();
    } else {
      forgetLocal();
    }
  } else if (local) {
    forgetLocal(); // saved since (with the button, or in another window): the server's version is newer
  }
  Array.prototype.forEach.call(form.querySelectorAll('textarea, input[type="text"]'), function (field) {
    if (counterOf(field)) updateCounter(field);
  });

  form.addEventListener('input', changed);
  form.addEventListener('change', changed);
  // Leaving a field saves at once.
  form.addEventListener('focusout', function () {
    if (isDirty()) save();
  });
  form.addEventListener('submit', function (event) {
    window.clearTimeout(quietTimer);
    if (saving) {
      // Sent now, it would carry the version from before that autosave and be refused as changed elsewhere.
      event.preventDefault();
      waitingSubmitter = event.submitter || form.querySelector('button[type="submit"]');
      return;
    }
    leaving = true;
    submitting = true;
  });

  // --- Leaving with unsaved changes asks first ------------------------------------------------
  window.addEventListener('beforeunload', function (event) {
    if (leaving || !isDirty()) return undefined;
    event.preventDefault();
    event.returnValue = '';
    return '';
  });
  Array.prototype.forEach.call(document.querySelectorAll('a[data-leave-check]'), function (link) {
    link.addEventListener('click', function (event) {
      if (!isDirty()) return;
      if (window.confirm(text('leave'))) {
        leaving = true; // asked once is enough
        save();
      } else {
        event.preventDefault();
      }
    });
  });
})();
