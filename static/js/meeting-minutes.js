// The minutes page's print button (the page prints well without it, through the browser's menu).
const button = document.getElementById("print-minutes");
if (button) button.addEventListener("click", () => window.print());
