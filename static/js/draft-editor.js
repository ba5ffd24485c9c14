// The draft editor's "Split here": send where the cursor stands in the clause's text, so the
// server splits there. Without this script the server splits at the first blank line.
for (const button of document.querySelectorAll("button[data-split-body]")) {
  const body = document.getElementById(button.dataset.splitBody);
  const at = document.getElementById(button.dataset.splitAt);
  if (!body || !at) continue;
  const remember = () => {
    // Count line breaks as the server will see them (one character each).
    at.value = String(body.value.slice(0, body.selectionStart).replace(/\r\n/g, "\n").length);
  };
  body.addEventListener("keyup", remember);
  body.addEventListener("mouseup", remember);
  body.addEventListener("blur", remember);
  button.addEventListener("click", remember);
}
