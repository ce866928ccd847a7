window.lcw = window.lcw || function () { (window.lcw.q = window.lcw.q || []).push(arguments); };
window.lcw("setContextProvider", function () {
  return { "Order": { value: document.getElementById("order").textContent }, "Page URL": { value: location.href } };
});
