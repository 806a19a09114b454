// On a phone the site navigation and the display controls (language, font size, contrast) fold into
// one «Меню» button, so the page's own content starts near the top. Without JavaScript they stay open.
(function () {
  'use strict';
  var toggle = document.querySelector('.menu-toggle');
  if (!toggle) return;
  var root = document.documentElement;
  root.classList.add('has-phone-menu');
  toggle.hidden = false;
  toggle.addEventListener('click', function () {
    var open = !root.classList.contains('menu-open');
    root.classList.toggle('menu-open', open);
    toggle.setAttribute('aria-expanded', String(open));
  });
})();
