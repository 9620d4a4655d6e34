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
  document.addEventListener("DOMContentLoaded", function () {
    for (const id of ["xlstatus-maaned", "xlstatus-overskriv"]) {
      const el = document.getElementById(id);
      if (el) el.addEventListener("change", opdaterArgumenter);
    }
    opdaterArgumenter();
  });
})();
