// Créance's own script, no dependency. A table row with data-href opens that page when it is clicked
// anywhere but on one of its links or controls (seed 001: clicking a line of the Échéancier opens the
// payment form prefilled with its customer and amount). The row's own link stays, for the keyboard.
document.addEventListener("click", function (e) {
  if (e.defaultPrevented || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
  var row = e.target.closest && e.target.closest("tr[data-href]");
  if (!row || e.target.closest("a, button, input, select, textarea, label, summary")) return;
  // A drag that selects text is not a click on the row.
  var selection = window.getSelection ? String(window.getSelection()) : "";
  if (selection.length > 0) return;
  window.location.assign(row.getAttribute("data-href"));
});
