// The opportunity form shows every kind's own fieldset, so that it works without JavaScript.
// This script hides and disables the fieldsets of the kinds not chosen: a disabled field is not
// sent, so what was typed for another kind is not stored. A fieldset with an error stays shown.
const kind = document.getElementById("id_kind");

function showKindFieldsets() {
  for (const fieldset of document.querySelectorAll("fieldset[data-kind]")) {
    const other = kind.value !== "" && kind.value !== fieldset.dataset.kind;
    const hide = other && !fieldset.querySelector(".text-danger");
    fieldset.hidden = hide;
    fieldset.disabled = hide;
  }
}

if (kind) {
  kind.addEventListener("change", showKindFieldsets);
  showKindFieldsets();
}
