// After a form comes back with errors, the focus goes to the summary at its top, so that a screen
// reader announces it and a keyboard user starts from the list of links to the fields.
(function () {
  'use strict';
  function focusSummary() {
    var summary = document.getElementById('form-errors');
    if (summary) summary.focus();
  }
  window.zhasFocusFormErrors = focusSummary;
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', focusSummary);
  else focusSummary();
})();
