// Loaded in <head> from a file (the Content-Security-Policy forbids inline
// scripts): marks that JavaScript runs, so the CSS can keep the mobile menu
// open as a plain list when it does not.
document.documentElement.classList.remove("no-js");
document.documentElement.classList.add("js");
