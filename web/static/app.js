// Small progressive enhancements for the 码上提 form; the pages work without script.
// 1. Pre-choose the category from the text while the resident types (until they choose one).
// 2. Check photo count, size and type before uploading, so nobody waits for a refusal.
(function () {
  "use strict";
  var form = document.getElementById("suggest");
  if (!form) return;
  var content = document.getElementById("content");
  var category = document.getElementById("category");
  var photos = document.getElementById("photos");
  var chosenByHand = false;
  var timer = null;
  category.addEventListener("change", function () { chosenByHand = category.value !== ""; });
  content.addEventListener("input", function () {
    if (chosenByHand) return;
    clearTimeout(timer);
    timer = setTimeout(function () {
      var text = content.value.trim();
      if (text.length < 4) return;
      fetch(form.getAttribute("data-classify") + "?text=" + encodeURIComponent(text), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (j) {
          if (!j || chosenByHand || !j.category) return;
          for (var i = 0; i < category.options.length; i++) {
            if (category.options[i].value === j.category) { category.value = j.category; break; }
          }
        })
        .catch(function () {});
    }, 400);
  });
  photos.addEventListener("change", function () {
    var maxCount = parseInt(photos.getAttribute("data-max-count"), 10);
    var maxBytes = parseInt(photos.getAttribute("data-max-bytes"), 10);
    var total = 0, ok = photos.files.length <= maxCount;
    for (var i = 0; i < photos.files.length; i++) {
      total += photos.files[i].size;
      if (!/^image\/(jpeg|png)$/.test(photos.files[i].type)) ok = false;
    }
    photos.setCustomValidity(ok && total <= maxBytes ? "" : photos.parentNode.querySelector("label[for=photos] + .hint").textContent);
  });
})();
