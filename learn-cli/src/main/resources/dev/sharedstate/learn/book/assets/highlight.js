// Read-only code (other languages; in the static book, the Java too) highlighted by highlight.js.
// The live book's Java blocks are CodeMirror editors and are left alone.
document.addEventListener("DOMContentLoaded", () => {
  if (!window.hljs) return;
  const live = document.body.classList.contains("live");
  for (const code of document.querySelectorAll("pre code")) {
    if (live && code.closest(".cell")) continue;
    const lang = (code.className.match(/language-([a-z0-9_-]+)/) || [])[1];
    if (!lang || !window.hljs.getLanguage(lang)) continue;
    window.hljs.highlightElement(code);
  }
});
