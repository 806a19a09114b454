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

  function oversizedFile(form, maxFileBytes) {
    var inputs = form.querySelectorAll('input[type="file"]');
    for (var i = 0; i < inputs.length; i += 1) {
      for (var j = 0; j < inputs[i].files.length; j += 1) {
        if (maxFileBytes && inputs[i].files[j].size > maxFileBytes) return inputs[i].files[j];
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
      var big = oversizedFile(form, maxFile);
      if (big) {
        event.preventDefault();
        showError(form, big.name + ': ' + form.dataset.messageFileTooLarge);
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
        crowded.focus();
        return;
      }
      if (!window.FormData || !window.XMLHttpRequest || !window.history || !window.history.replaceState) return;

      event.preventDefault();
      var button = form.querySelector('button[type="submit"]');
      var progress = form.querySelector('.upload-progress');
      var bar = progress && progress.querySelector('progress');
      var text = progress && progress.querySelector('.upload-progress-text');
      if (button) button.disabled = true;
      if (progress) progress.hidden = false;

      var request = new XMLHttpRequest();
      request.open('POST', form.action);
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
        document.open();
        document.write(html);
        document.close();
        window.history.replaceState(null, '', url);
      });
      request.addEventListener('error', function () {
        if (button) button.disabled = false;
        if (progress) progress.hidden = true;
        showError(form, form.dataset.messageFailed);
      });
      request.send(new FormData(form));
    });
  });
})();
