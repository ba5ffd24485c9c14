// The printable "Response to comments" page: a Print button (the CSP forbids inline handlers).
const button = document.getElementById("print-button");
if (button) {
  button.addEventListener("click", () => window.print());
}
