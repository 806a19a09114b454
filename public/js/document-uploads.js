// Each document of the application form uploads as soon as it is picked (tus, resumable), with its own
// progress bar and a retry button when it fails; a dropped connection resumes where it stopped, also
// after a reload (tus-js-client keeps the upload's address in localStorage). An uploaded file is held
// by the server for this visitor and listed with a remove button; the file field is cleared, so the
// final Send carries only the typed fields. Without JavaScript (or without tus) the form posts its
// files in one request as before.
(function () {
  'use strict';
  var form = document.querySelector('form[data-document-uploads]');
  if (!form || !window.tus || !window.tus.isSupported || !window.fetch) return;
  var tus = window.tus;
  var endpoint = form.dataset.documentUploads;
  var csrfToken = form.dataset.csrfToken;
  var maxFileBytes = Number(form.dataset.maxFileBytes || 0);
  var messages = form.dataset;
  /** Uploads on their way (not failed): Send waits for them. */
  var pending = 0;
  var waitingSubmitter = null;

  function settled() {
    pending -= 1;
    if (pending === 0 && waitingSubmitter) {
      var submitter = waitingSubmitter;
      waitingSubmitter = null;
      if (form.requestSubmit) form.requestSubmit(submitter.form === form ? submitter : undefined);
      else form.submit();
    }
  }

  function listOf(kind) {
    return document.getElementById('held-' + kind);
  }

  function inputOf(kind) {
    return form.querySelector('input[type="file"][data-kind="' + kind + '"]');
  }

  /** Files of a kind listed as held or on their way (a failed one does not count). */
  function filesOf(kind) {
    return listOf(kind).querySelectorAll('li:not(.upload-failed)').length;
  }

  function setFieldError(kind, message) {
    var input = inputOf(kind);
    // The same box upload-progress.js uses for its checks before sending.
    var id = kind + '-client-error';
    var box = document.getElementById(id);
    if (!message) {
      if (box) box.remove();
      if (!document.getElementById(kind + '-error')) input.removeAttribute('aria-invalid');
      return;
    }
    if (!box) {
      box = document.createElement('p');
      box.className = 'field-error client-field-error';
      box.id = id;
      box.setAttribute('role', 'alert');
      input.insertAdjacentElement('afterend', box);
      var describedBy = (input.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
      if (describedBy.indexOf(id) < 0) input.setAttribute('aria-describedby', describedBy.concat(id).join(' '));
    }
    box.textContent = message;
    input.setAttribute('aria-invalid', 'true');
  }

  /** A required kind with a held file needs no file in its field any more (and the reverse). */
  function updateRequired(kind) {
    var input = inputOf(kind);
    if (input.dataset.required === undefined) input.dataset.required = input.required ? 'yes' : 'no';
    input.required = input.dataset.required === 'yes' && listOf(kind).querySelectorAll('li.held-document').length === 0;
  }

  function removeButton(item, kind, storedName, name) {
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'link-button held-document-remove';
    button.textContent = messages.messageRemove;
    button.setAttribute('aria-label', (messages.messageRemoveNamed || messages.messageRemove + ' {{name}}').replace('{{name}}', name));
    button.addEventListener('click', function () { removeHeld(item, kind, storedName); });
    return button;
  }

  function removeHeld(item, kind, storedName) {
    fetch('/apply/documents/' + encodeURIComponent(storedName) + '/remove', {
      method: 'POST',
      headers: { 'X-CSRF-Token': csrfToken, Accept: 'application/json' },
      credentials: 'same-origin',
    }).then(function (response) {
      if (!response.ok && response.status !== 404) throw new Error('remove failed');
      item.remove();
      updateRequired(kind);
      setFieldError(kind, '');
      inputOf(kind).focus();
    }).catch(function () {
      setFieldError(kind, messages.messageUploadFailed);
    });
  }

  function showHeld(item, kind, held) {
    item.className = 'held-document';
    item.dataset.storedName = held.storedName;
    item.textContent = '';
    var name = document.createElement('span');
    name.className = 'held-document-name';
    name.textContent = held.originalName;
    var state = document.createElement('span');
    state.className = 'upload-state visually-hidden';
    state.textContent = ' ' + messages.messageUploaded;
    item.appendChild(name);
    item.appendChild(state);
    item.appendChild(document.createTextNode(' '));
    item.appendChild(removeButton(item, kind, held.storedName, held.originalName));
    updateRequired(kind);
  }

  /** The server's refusal (in the page's language) when it sent one, else the generic message. */
  function refusalOf(error) {
    var response = error && error.originalResponse;
    var status = response ? response.getStatus() : 0;
    if (status >= 400 && status < 500 && status !== 409 && status !== 423) return response.getBody() || messages.messageUploadFailed;
    return null;
  }

  // A visitor has no session until she starts something (src/http/csrf-token-state.ts): the first file
  // picked starts it once, before the uploads run side by side, so that they all belong to one session.
  var sessionStarted = null;
  function visitorSession() {
    sessionStarted = sessionStarted || fetch('/apply/session', { method: 'POST', headers: { 'X-CSRF-Token': csrfToken }, credentials: 'same-origin' })
      .catch(function () { /* the upload itself then says what went wrong */ });
    return sessionStarted;
  }

  function upload(kind, file) {
    var list = listOf(kind);
    var item = document.createElement('li');
    item.className = 'upload-item';
    var name = document.createElement('span');
    name.className = 'held-document-name';
    name.textContent = file.name;
    var bar = document.createElement('progress');
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute('aria-label', messages.messageUploading + ' ' + file.name);
    var state = document.createElement('span');
    state.className = 'upload-state';
    state.setAttribute('aria-live', 'polite');
    state.textContent = messages.messageUploading;
    var retry = document.createElement('button');
    retry.type = 'button';
    retry.className = 'button upload-retry';
    retry.textContent = messages.messageRetry;
    retry.hidden = true;
    var cancel = document.createElement('button');
    cancel.type = 'button';
    cancel.className = 'link-button upload-cancel';
    cancel.textContent = messages.messageRemove;
    cancel.setAttribute('aria-label', (messages.messageRemoveNamed || messages.messageRemove + ' {{name}}').replace('{{name}}', file.name));
    cancel.hidden = true;
    item.appendChild(name);
    item.appendChild(bar);
    item.appendChild(state);
    item.appendChild(retry);
    item.appendChild(cancel);
    list.appendChild(item);

    var tusUpload = new tus.Upload(file, {
      endpoint: endpoint,
      retryDelays: [0, 1000, 3000],
      chunkSize: Number(form.dataset.uploadChunkBytes || 2 * 1024 * 1024),
      metadata: { kind: kind, filename: file.name },
      headers: { 'X-CSRF-Token': csrfToken },
      removeFingerprintOnSuccess: true,
      onProgress: function (sent, total) {
        var percent = total ? Math.floor((sent / total) * 100) : 0;
        bar.value = percent;
        state.textContent = messages.messageUploading + ' ' + percent + '%';
      },
      onSuccess: function (payload) {
        settled();
        var held;
        try {
          held = JSON.parse(payload.lastResponse.getBody());
        } catch (error) {
          held = null;
        }
        if (!held || !held.storedName) {
          // Finished earlier (found again after a reload): the page lists it once it is opened again.
          window.location.reload();
          return;
        }
        setFieldError(kind, '');
        showHeld(item, kind, held);
      },
      onError: function (error) {
        settled();
        var refusal = refusalOf(error);
        if (refusal) {
          // Refused by the server's checks: trying again would not help.
          item.remove();
          setFieldError(kind, file.name + ': ' + refusal);
          updateRequired(kind);
          return;
        }
        item.classList.add('upload-failed');
        state.textContent = messages.messageUploadFailed;
        retry.hidden = false;
        cancel.hidden = false;
        retry.focus();
      },
    });
    // A failed upload given up: the server forgets its part (tus termination).
    cancel.addEventListener('click', function () {
      tusUpload.abort(true).catch(function () { /* swept within the hour anyway */ });
      item.remove();
      updateRequired(kind);
      inputOf(kind).focus();
    });
    retry.addEventListener('click', function () {
      pending += 1;
      item.classList.remove('upload-failed');
      retry.hidden = true;
      cancel.hidden = true;
      state.textContent = messages.messageUploading;
      tusUpload.start();
    });
    pending += 1;
    visitorSession().then(function () { return tusUpload.findPreviousUploads(); }).then(function (previous) {
      if (previous.length > 0) tusUpload.resumeFromPreviousUpload(previous[0]);
      tusUpload.start();
    }, function () {
      tusUpload.start();
    });
  }

  form.querySelectorAll('input[type="file"][data-kind]').forEach(function (input) {
    var kind = input.dataset.kind;
    var maxFiles = Number(listOf(kind).dataset.maxFiles || 1);
    input.addEventListener('change', function () {
      var files = Array.prototype.slice.call(input.files);
      setFieldError(kind, '');
      // Refused at once, before any byte is sent; the choice stays in the field, so Send says it again.
      if (filesOf(kind) + files.length > maxFiles) {
        setFieldError(kind, filesOf(kind) > 0 ? messages.messageTooManyFilesRemove : messages.messageTooManyFiles.replace('{{count}}', maxFiles));
        input.focus();
        return;
      }
      var big = files.filter(function (file) { return maxFileBytes && file.size > maxFileBytes; });
      if (big.length > 0) {
        setFieldError(kind, big[0].name + ': ' + messages.messageFileTooLarge);
        input.focus();
        return;
      }
      files.forEach(function (file) { upload(kind, file); });
      // The files are on their way: Send must not post them again.
      input.value = '';
    });
  });

  // Send (or save) while files are still uploading: it goes as soon as they are done.
  form.addEventListener('submit', function (event) {
    if (pending === 0) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    waitingSubmitter = event.submitter || form.querySelector('button[type="submit"]');
    var progress = form.querySelector('.upload-progress');
    if (progress) {
      progress.hidden = false;
      var text = progress.querySelector('.upload-progress-text');
      if (text) text.textContent = messages.messageUploading;
    }
  });

  // Held files listed by the server: their remove buttons work without sending the form.
  form.querySelectorAll('li.held-document').forEach(function (item) {
    var list = item.closest('ul[data-kind]');
    var kind = list.dataset.kind;
    var button = item.querySelector('.held-document-remove');
    var name = item.querySelector('.held-document-name').textContent;
    button.replaceWith(removeButton(item, kind, item.dataset.storedName, name));
  });
})();
