// Runs before the SDK has loaded: these calls are queued and replayed.
window.lcw = window.lcw || function () { (window.lcw.q = window.lcw.q || []).push(arguments); };
window.lcw("setContextProvider", function () {
  var caseId = document.getElementById("case-id");
  return {
    "Page URL": { value: location.href },
    "Case Id": { value: caseId ? caseId.value : "" },
    "Loaded at": { value: new Date().toISOString(), isDisplayable: false },
  };
});
