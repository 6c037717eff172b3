// The operations page's login: shows the admin token once as a Bearer header; the server answers
// with an HttpOnly cookie that the page and its stream then carry. The token itself is not kept.
const form = document.getElementById("login-form");
const error = document.getElementById("login-error");

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  error.textContent = "";
  const token = document.getElementById("token").value.trim();
  try {
    const answer = await fetch("/admin/login", { method: "POST", headers: { Authorization: "Bearer " + token } });
    if (answer.ok) {
      location.assign("/admin");
      return;
    }
    const body = await answer.json().catch(() => ({}));
    error.textContent = body.error ? body.error.message : "refused (" + answer.status + ")";
  } catch (e) {
    error.textContent = "the server did not answer: " + e.message;
  }
});
