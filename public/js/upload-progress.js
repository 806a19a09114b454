// Progressive enhancement of forms with files: checks sizes before sending (so nobody waits minutes
// to hear a file is too big) and shows a progress bar while sending. Without JavaScript the form
// posts normally and the server checks everything again.
(function () {
  'use strict';

  function showError(form, message) {
    var box = form.querySelector('.client-error');
    if (!box) return;
    box.textContent = message;
    box.hidden = false;
    box.setAttribute('tabindex', '-1');
    box.focus();
  }

  /** A message next to the file field itself, as the server puts its own. */
  function showFieldError(input, message) {
    var id = input.name + '-client-error';
    var box = document.getElementById(id);
    if (!box) {
      box = document.createElement('p');
      box.className = 'field-error client-field-error';
      box.id = id;
      input.insertAdjacentElement('afterend', box);
    }
    box.textContent = message;
    input.setAttribute('aria-invalid', 'true');
    var describedBy = (input.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
    if (describedBy.indexOf(id) < 0) input.setAttribute('aria-describedby', describedBy.concat(id).join(' '));
    input.focus();
  }

  function clearFieldErrors(form) {
    form.querySelectorAll('.client-field-error').forEach(function (box) { box.remove(); });
  }

  function oversizedFile(form, maxFileBytes) {
    var inputs = form.querySelectorAll('input[type="file"]');
    for (var i = 0; i < inputs.length; i += 1) {
      for (var j = 0; j < inputs[i].files.length; j += 1) {
        if (maxFileBytes && inputs[i].files[j].size > maxFileBytes) return { input: inputs[i], file: inputs[i].files[j] };
      }
    }
    return null;
  }

  function totalBytes(form) {
    var total = 0;
    form.querySelectorAll('input[type="file"]').forEach(function (input) {
      for (var j = 0; j < input.files.length; j += 1) total += input.files[j].size;
    });
    return total;
  }

  function tooManyFiles(form) {
    var inputs = form.querySelectorAll('input[type="file"][data-max-files]');
    for (var i = 0; i < inputs.length; i += 1) {
      if (inputs[i].files.length > Number(inputs[i].dataset.maxFiles)) return inputs[i];
    }
    return null;
  }

  document.querySelectorAll('form[data-upload-progress]').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      var maxFile = Number(form.dataset.maxFileBytes || 0);
      var maxTotal = Number(form.dataset.maxTotalBytes || 0);
      clearFieldErrors(form);
      var big = oversizedFile(form, maxFile);
      if (big) {
        event.preventDefault();
        showFieldError(big.input, big.file.name + ': ' + form.dataset.messageFileTooLarge);
        return;
      }
      if (maxTotal && totalBytes(form) > maxTotal) {
        event.preventDefault();
        showError(form, form.dataset.messageTotalTooLarge);
        return;
      }
      var crowded = tooManyFiles(form);
      if (crowded) {
        event.preventDefault();
        showFieldError(crowded, form.dataset.messageTooManyFiles.replace('{{count}}', crowded.dataset.maxFiles));
        return;
      }
      if (!window.FormData || !window.XMLHttpRequest || !window.history || !window.history.replaceState) return;

      event.preventDefault();
      var button = event.submitter || form.querySelector('button[type="submit"]');
      var progress = form.querySelector('.upload-progress');
      var bar = progress && progress.querySelector('progress');
      var text = progress && progress.querySelector('.upload-progress-text');
      if (button) button.disabled = true;
      if (progress) progress.hidden = false;

      var request = new XMLHttpRequest();
      // "Save and continue later" posts the same form to its own address (formaction).
      var target = event.submitter && event.submitter.hasAttribute('formaction') ? event.submitter.formAction : form.action;
      request.open('POST', target);
      request.upload.addEventListener('progress', function (progressEvent) {
        if (!progressEvent.lengthComputable || !bar) return;
        var percent = Math.round((progressEvent.loaded / progressEvent.total) * 100);
        bar.value = percent;
        if (text) text.textContent = percent + '%';
      });
      request.addEventListener('load', function () {
        // The server answered with a page (the confirmation after its redirect, or the form with
        // messages): show it as if the browser had navigated there.
        var html = request.responseText;
        var url = request.responseURL || form.action;
        // A form sent back because the session had expired is opened afresh, so that it is filled in again.
        if (/[?&]recovered=1/.test(url)) {
          window.location.replace(url);
          return;
        }
        document.open();
        document.write(html);
        document.close();
        window.history.replaceState(null, '', url);
        var summary = document.getElementById('form-errors');
        if (summary) summary.focus();
      });
      request.addEventListener('error', function () {
        if (button) button.disabled = false;
        if (progress) progress.hidden = true;
        showError(form, form.dataset.messageFailed);
      });
      request.send(new FormData(form, event.submitter && event.submitter.name ? event.submitter : undefined));
    });
  });
})();
