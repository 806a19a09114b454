// Nothing typed is lost: what a person types into a form of the portal is kept in this tab
// (sessionStorage) until the form is sent and accepted. It comes back when the page is opened again:
// after a language or display switch, a look at the FAQ, or a form sent with an expired session
// (the server sends that form back with ?recovered=1, see src/http/stale-form.ts). Passwords, files,
// hidden fields and the CSRF token are never kept.
(function () {
  'use strict';
  var prefix = 'zhas-form:';
  var maxAgeMs = 24 * 3600 * 1000;
  var storage;
  try {
    storage = window.sessionStorage;
    storage.setItem(prefix + 'probe', '1');
    storage.removeItem(prefix + 'probe');
  } catch (error) {
    return; // storage switched off: the portal works as before
  }

  function keyOf(form) {
    return prefix + window.location.pathname + '|' + (form.getAttribute('action') || '').split('?')[0];
  }

  function keptElements(form) {
    return Array.prototype.filter.call(form.elements, function (element) {
      return element.name && element.name !== '_csrf' && !/^(file|password|hidden|submit|button|reset|image)$/.test(element.type) && !element.disabled;
    });
  }

  function snapshot(form) {
    return keptElements(form).map(function (element) {
      if (element.type === 'checkbox' || element.type === 'radio') return { name: element.name, value: element.value, checked: element.checked };
      if (element.type === 'select-multiple') return { name: element.name, selected: Array.prototype.filter.call(element.options, function (o) { return o.selected; }).map(function (o) { return o.value; }) };
      return { name: element.name, value: element.value };
    });
  }

  function read(key) {
    try {
      var entry = JSON.parse(storage.getItem(key));
      return entry && Date.now() - entry.savedAt < maxAgeMs ? entry : null;
    } catch (error) {
      return null;
    }
  }

  function write(key, entry) {
    try {
      storage.setItem(key, JSON.stringify(entry));
    } catch (error) {
      // full: the form still works, it is only not kept
    }
  }

  function restore(form, fields) {
    var elements = keptElements(form);
    var changed = false;
    elements.forEach(function (element, index) {
      var field = fields[index];
      if (!field || field.name !== element.name) return;
      if ('checked' in field) {
        if (element.checked !== field.checked) { element.checked = field.checked; changed = true; }
      } else if (field.selected) {
        Array.prototype.forEach.call(element.options, function (option) { option.selected = field.selected.indexOf(option.value) >= 0; });
        changed = true;
      } else if (element.value !== field.value) {
        element.value = field.value;
        changed = true;
      }
    });
    return changed;
  }

  function showKeptNotice(form, key) {
    // Sent back with an expired session: the server's message says why, unless it went with the old session.
    if (recovered && document.querySelector('.flash')) return;
    var text = document.body.getAttribute(recovered ? 'data-form-recovered' : 'data-form-kept');
    if (!text) return;
    var notice = document.createElement('p');
    notice.className = 'notice form-kept-notice';
    notice.setAttribute('role', 'status');
    notice.textContent = text + ' ';
    var discard = document.createElement('button');
    discard.type = 'button';
    discard.className = 'link-button';
    discard.textContent = document.body.getAttribute('data-form-discard') || '';
    discard.addEventListener('click', function () {
      storage.removeItem(key);
      window.location.reload();
    });
    notice.appendChild(discard);
    form.parentNode.insertBefore(notice, form);
  }

  var query = new URLSearchParams(window.location.search);
  var recovered = query.get('recovered') === '1';
  if (recovered && window.history.replaceState) {
    query.delete('recovered');
    var search = query.toString();
    window.history.replaceState(null, '', window.location.pathname + (search ? '?' + search : '') + window.location.hash);
  }
  var accepted = document.querySelector('.flash-success') !== null;

  // A form sent and accepted (a success message, or a page without that form) is forgotten.
  for (var i = storage.length - 1; i >= 0; i -= 1) {
    var storedKey = storage.key(i);
    if (!storedKey || storedKey.indexOf(prefix) !== 0) continue;
    var stored = read(storedKey);
    if (!stored) storage.removeItem(storedKey);
    else if (stored.sentAt && accepted && !recovered) storage.removeItem(storedKey);
  }

  document.querySelectorAll('form[method="post"]').forEach(function (form) {
    if (form.hasAttribute('data-keep-off') || keptElements(form).length === 0) return;
    var key = keyOf(form);
    var entry = read(key);
    if (entry) {
      if (entry.sentAt && !recovered) {
        // Sent before: the server either answered with this form and its messages (its values are the
        // ones to keep) or took it (then it is gone).
        if (document.getElementById('form-errors')) write(key, { savedAt: Date.now(), fields: snapshot(form) });
        else storage.removeItem(key);
      } else if (restore(form, entry.fields)) {
        showKeptNotice(form, key);
      }
    }
    var save = function () { write(key, { savedAt: Date.now(), fields: snapshot(form) }); };
    form.addEventListener('input', save);
    form.addEventListener('change', save);
    form.addEventListener('submit', function () { write(key, { savedAt: Date.now(), sentAt: Date.now(), fields: snapshot(form) }); });
  });
})();
