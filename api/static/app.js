// Drag and drop onto the file inputs, the chosen files listed, a busy note on submit.
// Every form works without this script.
document.querySelectorAll("[data-drop]").forEach(function (zone) {
  var input = zone.querySelector("input[type=file]");
  var list = zone.querySelector(".chosen");
  function show() {
    if (!list) return;
    list.innerHTML = "";
    Array.prototype.forEach.call(input.files, function (f) {
      var li = document.createElement("li");
      li.textContent = f.name + " (" + Math.round(f.size / 1024) + " ko)";
      list.appendChild(li);
    });
  }
  input.addEventListener("change", show);
  ["dragenter", "dragover"].forEach(function (ev) {
    zone.addEventListener(ev, function (e) { e.preventDefault(); zone.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (ev) {
    zone.addEventListener(ev, function (e) { e.preventDefault(); zone.classList.remove("over"); });
  });
  zone.addEventListener("drop", function (e) { input.files = e.dataTransfer.files; show(); });
});
document.querySelectorAll("form").forEach(function (form) {
  form.addEventListener("submit", function () {
    var busy = form.querySelector("[data-busy]");
    if (busy) busy.hidden = false;
  });
});
