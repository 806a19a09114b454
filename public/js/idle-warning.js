// Staff are signed out after a while without activity (src/http/idle-timeout.ts). A few minutes before,
// a notice offers "Stay signed in"; typing on the page also counts as activity (at most one request
// every five minutes). What was typed is kept in the tab (form-keeper.js) even if the time runs out.
(function () {
  'use strict';
  var body = document.body;
  var timeoutMs = Number(body.getAttribute('data-idle-timeout-seconds')) * 1000;
  if (!timeoutMs) return;
  var token = body.getAttribute('data-keepalive-token');
  var warnBeforeMs = Math.min(5 * 60 * 1000, timeoutMs / 2);
  var lastActivity = Date.now();
  var lastPing = Date.now();
  var warnTimer;
  var endTimer;
  var notice;

  function removeNotice() {
    if (notice) notice.remove();
    notice = null;
  }

  function showNotice(text, action) {
    removeNotice();
    notice = document.createElement('div');
    notice.className = 'notice notice-warning idle-notice';
    notice.setAttribute('role', 'alertdialog');
    notice.setAttribute('aria-live', 'assertive');
    var message = document.createElement('p');
    message.textContent = text + ' ';
    notice.appendChild(message);
    notice.appendChild(action);
    document.body.insertBefore(notice, document.body.firstChild);
    action.focus();
  }

  function schedule() {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    warnTimer = setTimeout(warn, Math.max(0, timeoutMs - warnBeforeMs - (Date.now() - lastActivity)));
    // A second after the server's own deadline, so that "Sign in again" never finds the session alive.
    endTimer = setTimeout(ended, Math.max(0, timeoutMs + 1000 - (Date.now() - lastActivity)));
  }

  function ping() {
    lastPing = Date.now();
    return fetch('/session/keepalive', { method: 'POST', headers: { 'X-CSRF-Token': token }, credentials: 'same-origin', redirect: 'manual' })
      .then(function (response) {
        if (response.status !== 204) return false;
        lastActivity = Date.now();
        schedule();
        return true;
      })
      .catch(function () { return false; });
  }

  function warn() {
    var stay = document.createElement('button');
    stay.type = 'button';
    stay.className = 'button button-primary';
    stay.textContent = body.getAttribute('data-idle-stay');
    stay.addEventListener('click', function () {
      ping().then(function (ok) { if (ok) removeNotice(); else ended(); });
    });
    showNotice(body.getAttribute('data-idle-warning'), stay);
  }

  function ended() {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    var signIn = document.createElement('a');
    signIn.className = 'button button-primary';
    signIn.href = '/login?next=' + encodeURIComponent(window.location.pathname + '?recovered=1');
    signIn.textContent = body.getAttribute('data-idle-sign-in');
    showNotice(body.getAttribute('data-idle-ended'), signIn);
  }

  document.addEventListener('input', function () {
    if (Date.now() - lastPing > 5 * 60 * 1000 && !notice) ping();
  });
  schedule();
})();
