// Annotating by selection: selecting words inside a section's text fills that section's
// "Annotate a passage" form (the passage and its offsets) and moves to the comment field.
// Without this script the form works the same with the passage typed or pasted.

// Offsets count characters as the server does (code points, not UTF-16 units).
const length = (text) => Array.from(text).length;

function offsetIn(container, node, offset) {
  const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
  let count = 0;
  for (let current = walker.nextNode(); current; current = walker.nextNode()) {
    if (current === node) return count + length(current.data.slice(0, offset));
    count += length(current.data);
  }
  // The selection ends on an element boundary: count the text before that child.
  const range = document.createRange();
  range.setStart(container, 0);
  range.setEnd(node, offset);
  return length(range.toString());
}

function fill(container) {
  const selection = window.getSelection();
  if (!selection || selection.isCollapsed || selection.rangeCount === 0) return;
  const range = selection.getRangeAt(0);
  if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) return;
  const form = document.getElementById(container.dataset.annotateForm);
  if (!form) return;
  const start = offsetIn(container, range.startContainer, range.startOffset);
  const end = offsetIn(container, range.endContainer, range.endOffset);
  const quote = Array.from(container.textContent).slice(start, end).join("");
  if (!quote.trim()) return;
  form.querySelector("[data-annotate=quote]").value = quote;
  form.querySelector("[data-annotate=start]").value = String(start);
  form.querySelector("[data-annotate=end]").value = String(end);
  const details = form.closest("details");
  if (details) details.open = true;
  form.querySelector("[data-annotate=body]").focus();
}

for (const container of document.querySelectorAll(".consultation-text[data-annotate-form]")) {
  if (!document.getElementById(container.dataset.annotateForm)) continue;
  container.addEventListener("mouseup", () => fill(container));
}
