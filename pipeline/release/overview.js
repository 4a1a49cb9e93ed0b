// The search box: keeps the rows of the lists that contain every word typed, and says how many.
// "#search=words" in the page's address fills it in, so a filtered view can be bookmarked.
const box = document.getElementById("search");
const status = document.getElementById("search-status");
const rows = Array.from(document.querySelectorAll("table.searchable tbody tr"));
const texts = rows.map((row) => row.textContent.toLowerCase());

function filter() {
  const words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
  let shown = 0;
  rows.forEach((row, i) => {
    row.hidden = !words.every((word) => texts[i].includes(word));
    shown += row.hidden ? 0 : 1;
  });
  status.textContent = words.length ? `${shown} of ${rows.length} listed rows match` : "";
}

box.addEventListener("input", () => {
  history.replaceState(null, "", box.value ? `#search=${encodeURIComponent(box.value)}` : "#");
  filter();
});
if (location.hash.startsWith("#search=")) {
  box.value = decodeURIComponent(location.hash.slice("#search=".length));
  filter();
}
