// A "Print" button on printable pages: shown only where JavaScript can open the print dialogue.
document.querySelectorAll('[data-print]').forEach((button) => {
  button.hidden = false;
  button.addEventListener('click', () => window.print());
});
