// The counter under a committee note: how many characters are typed against the limit, marked when over
// (the server refuses an over-long note with a message and keeps the text; no text is cut off here).
(function () {
  'use strict';
  document.querySelectorAll('textarea[data-note-limit]').forEach(function (field) {
    var counter = document.getElementById(field.id + '-counter');
    var used = counter ? counter.querySelector('[data-note-used]') : null;
    if (!used) return;
    var limit = Number(field.getAttribute('data-note-limit'));
    function update() {
      used.textContent = String(field.value.length);
      counter.classList.toggle('char-counter-over', field.value.length > limit);
    }
    field.addEventListener('input', update);
    update();
  });
})();
