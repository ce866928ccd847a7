// Runs before the SDK has loaded: the command-queue stub.
window.lcw = window.lcw || function () { (window.lcw.q = window.lcw.q || []).push(arguments); };
