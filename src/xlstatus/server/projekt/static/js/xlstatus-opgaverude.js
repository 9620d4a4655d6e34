// xlstatus' opgaverude: månedsvælgeren og "overskriv" bliver til argumenterne, som
// knappen Opdater sender til xlwings Server (xw-args: ["ÅÅÅÅ-MM", true|false]).
(function () {
  function opdaterArgumenter() {
    const maaned = document.getElementById("xlstatus-maaned");
    const overskriv = document.getElementById("xlstatus-overskriv");
    const knap = document.getElementById("xlstatus-opdater");
    if (!maaned || !overskriv || !knap) return;
    knap.setAttribute("xw-args", JSON.stringify([maaned.value || "", overskriv.checked]));
  }

  // xlwings Servers egne tekster i opgaveruden på dansk
  function dansk() {
    const tekster = {
      ".xlwings-office-ready-error-inner > div": "Tilføjelsesprogrammet blev ikke indlæst rigtigt.",
      "#xlwings-taskpane-reload-btn": "Indlæs igen",
      "#xlwings-taskpane-reload-cancel-btn": "Annuller",
    };
    for (const [selector, tekst] of Object.entries(tekster)) {
      const el = document.querySelector(selector);
      if (el) el.textContent = tekst;
    }
    for (const knap of document.querySelectorAll(".alert .btn-close")) {
      knap.setAttribute("aria-label", "Luk");
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    dansk();
    for (const id of ["xlstatus-maaned", "xlstatus-overskriv"]) {
      const el = document.getElementById(id);
      if (el) el.addEventListener("change", opdaterArgumenter);
    }
    opdaterArgumenter();
  });
})();
