// xlstatus' opgaverude: månedsvælgeren og "overskriv" bliver til argumenterne, som
// knappen Opdater sender til xlwings Server (xw-args: ["ÅÅÅÅ-MM", true|false]), og
// "Klargør til udvalg" får links til kopien (handlingen xlstatusUdvalg fra serveren):
// kopien åbnes som en ny projektmappe i Excel (Excel.createWorkbook), PDF'en kan hentes.
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

  // Login-headeren, som xlwings' egne kald bruger (tom uden login)
  async function loginHeaders() {
    if (typeof globalThis.getAuth !== "function") return {};
    const auth = await globalThis.getAuth();
    if (!auth || !auth.token) return {};
    return { Authorization: auth.token, "Auth-Provider": auth.provider };
  }

  async function hentFil(url) {
    const svar = await fetch(url, { headers: await loginHeaders() });
    if (!svar.ok) throw new Error(await svar.text());
    return await svar.blob();
  }

  function base64(buffer) {
    const bytes = new Uint8Array(buffer);
    let tekst = "";
    for (let i = 0; i < bytes.length; i += 0x8000) {
      tekst += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return btoa(tekst);
  }

  function kanAabneProjektmappe() {
    return (
      typeof Excel !== "undefined" &&
      typeof Excel.createWorkbook === "function" &&
      typeof Office !== "undefined" &&
      Office.context &&
      Office.context.requirements &&
      Office.context.requirements.isSetSupported("ExcelApi", "1.8")
    );
  }

  function visHentning(navn, blob, tekst) {
    const liste = document.getElementById("xlstatus-filer");
    if (!liste) return;
    const punkt = document.createElement("li");
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = navn;
    link.textContent = tekst + ": " + navn;
    link.className = "xlstatus-hent";
    punkt.appendChild(link);
    liste.appendChild(punkt);
    liste.closest("section")?.classList.remove("d-none");
  }

  function visFejl(tekst) {
    const el = document.getElementById("xlstatus-udvalg-fejl");
    if (el) {
      el.textContent = tekst;
      el.classList.remove("d-none");
    }
  }

  // Handlingen fra scriptet klargoer_til_udvalg: args[0] = [{navn, url}, …]
  async function xlstatusUdvalg(context, action) {
    const filer = (action && action.args && action.args[0]) || [];
    const liste = document.getElementById("xlstatus-filer");
    if (liste) liste.replaceChildren();
    for (const fil of filer) {
      try {
        const blob = await hentFil(fil.url);
        if (fil.navn.endsWith(".xlsx") && kanAabneProjektmappe()) {
          await Excel.createWorkbook(base64(await blob.arrayBuffer()));
          visHentning(fil.navn, blob, "Åbnet i Excel – eller hent kopien");
        } else if (fil.navn.endsWith(".xlsx")) {
          visHentning(fil.navn, blob, "Hent kopien");
        } else {
          visHentning(fil.navn, blob, "Hent PDF'en");
        }
      } catch (fejl) {
        visFejl("Filen " + fil.navn + " kunne ikke hentes: " + (fejl.message || fejl));
      }
    }
  }

  // Arbejdsbogen til serveren (uden makroer), hentet med login
  async function hentArbejdsbog(event) {
    event.preventDefault();
    const url = event.currentTarget.getAttribute("href");
    try {
      visHentning("Statusskema.xlsx", await hentFil(url), "Hent arbejdsbogen");
    } catch (fejl) {
      visFejl("Arbejdsbogen kunne ikke hentes: " + (fejl.message || fejl));
    }
  }

  // Den nyeste måned i serverens udtræk (bag login og adgangsreglen)
  async function visNyesteMaaned() {
    const felt = document.getElementById("xlstatus-maaned");
    const tekst = document.getElementById("xlstatus-nyeste");
    if (!felt) return;
    try {
      const bog = document.getElementById("xlstatus-arbejdsbog");
      const base = bog ? bog.getAttribute("href").replace(/\/Statusskema\.xlsx$/, "") : "";
      const svar = await fetch(base + "/xlstatus/maaned", { headers: await loginHeaders() });
      if (!svar.ok) return;
      const { maaned } = await svar.json();
      if (maaned && !felt.value) felt.value = maaned;
      if (maaned && tekst) tekst.textContent = " (" + maaned + ")";
      opdaterArgumenter();
    } catch (fejl) {
      // uden svar: tom måned, og serveren bruger den nyeste
    }
  }

  globalThis.xlstatus = { xlstatusUdvalg, hentFil, base64 };

  document.addEventListener("DOMContentLoaded", function () {
    dansk();
    for (const id of ["xlstatus-maaned", "xlstatus-overskriv"]) {
      const el = document.getElementById(id);
      if (el) el.addEventListener("change", opdaterArgumenter);
    }
    opdaterArgumenter();
    const bog = document.getElementById("xlstatus-arbejdsbog");
    if (bog) bog.addEventListener("click", hentArbejdsbog);
    if (globalThis.xlwings && typeof globalThis.xlwings.registerCallback === "function") {
      globalThis.xlwings.registerCallback(xlstatusUdvalg);
    }
    visNyesteMaaned();
  });
})();
