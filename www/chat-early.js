window.lcw = window.lcw || function () { (window.lcw.q = window.lcw.q || []).push(arguments); };
window.lcw("setContextProvider", function () {
  return {
    "Name": { value: document.getElementById("name").value },
    "Page URL": { value: location.href },
    "Proactive Chat": { value: "False" },
  };
});
