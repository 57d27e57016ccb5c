// oauth-debug explainer: live answers and the permalink. Without this script the form submits
// and the server renders the same answer; nothing here is needed for that.
"use strict";
(function () {
  const form = document.getElementById("explainer");
  const result = document.getElementById("result");
  if (!form || !result) return;
  // Never in the permalink, which may be pasted anywhere (the fragment is not sent to a server,
  // but it is kept in the browser's history).
  const SECRET = new Set(["consumer_secret", "token_secret", "rsa_key"]);
  const status = document.getElementById("status");
  let timer = 0;
  let sent = 0;

  // A PLAINTEXT signature is the key itself (RFC 5849 3.4.4), and a Basic or Bearer header holds
  // a password or a token: the permalink keeps the request without them (an HMAC or RSA
  // signature stays, so that the link still shows its diagnosis). The name may be written with
  // percent-escapes (oauth%5Fsignature), as a server decodes it.
  const NAME = Array.from("oauth_signature", (c) =>
    "(?:" + (c === "_" ? "_" : c) + "|%" + c.toLowerCase().charCodeAt(0).toString(16) +
    "|%" + c.toUpperCase().charCodeAt(0).toString(16) + ")").join("");
  const SIGNATURE = new RegExp(
    "(" + NAME + "[\"']?\\s*(?:=|%3d|:)\\s*[\"']?)((?:[^&\\s\"']|&(?![^&=\\s\"']+=))+)", "gi");
  const CREDENTIALS = /((?:proxy-)?authorization\s*:\s*(?:basic|bearer)\s+)[^\s'"]+/gi;

  function shareable(text) {
    let shown = text.replace(CREDENTIALS, "$1****");
    if (/plaintext/i.test(shown)) shown = shown.replace(SIGNATURE, "$1****");
    return shown;
  }

  function permalink() {
    const params = new URLSearchParams();
    for (const field of form.elements) {
      if (!field.name || SECRET.has(field.name) || field.type === "password" || !field.value) {
        continue;
      }
      // A HAR holds whole sessions (cookies, tokens): it never goes into a link.
      if (field.name === "request" && /^\s*\{[\s\S]*"log"\s*:/.test(field.value)) continue;
      params.set(field.name, shareable(field.value));
    }
    return params.toString();
  }

  function restore() {
    const params = new URLSearchParams(location.hash.slice(1));
    if (!params.has("request")) return false;
    for (const [name, value] of params) {
      const field = form.elements.namedItem(name);
      if (SECRET.has(name) || !field || field.type === "password" || !("value" in field)) continue;
      field.value = value;
    }
    return true;
  }

  async function update() {
    const mine = ++sent;
    history.replaceState(null, "", "#" + permalink());
    result.setAttribute("aria-busy", "true");
    try {
      const answer = await fetch(form.dataset.fragment, {
        method: "POST",
        body: new URLSearchParams(new FormData(form)),
        cache: "no-store",
        credentials: "same-origin",
      });
      const html = await answer.text();
      if (mine !== sent) return; // a newer answer is on its way
      // Rendered by the server's autoescaping templates from the same values as the page.
      result.innerHTML = html;
      showCopyButtons();
      if (status) status.textContent = "";
    } catch (error) {
      if (status) status.textContent = "The local server did not answer: is it still running?";
    } finally {
      if (mine === sent) result.removeAttribute("aria-busy");
    }
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(update, 250);
  }

  function showCopyButtons() {
    if (!navigator.clipboard) return;
    for (const button of document.querySelectorAll("button[data-copy]")) button.hidden = false;
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-copy]");
    if (!button) return;
    const what = button.dataset.copy;
    const text = what === "permalink"
      ? location.href.split("#")[0] + "#" + permalink()
      : (document.getElementById(what) || {}).value || "";
    navigator.clipboard.writeText(text).then(
      () => { if (status) status.textContent = "Copied."; },
      () => { if (status) status.textContent = "Could not copy: select and copy by hand."; },
    );
  });
  // A HAR or text file, opened or dropped, is read here and put in the textarea: it is sent to
  // the server only as that text, like a paste.
  const request = form.elements.namedItem("request");
  function load(file) {
    if (!file) return;
    file.text().then((text) => {
      request.value = text;
      later();
    });
  }
  const picker = document.getElementById("file");
  if (picker) {
    picker.closest("label").hidden = false;
    picker.addEventListener("change", () => load(picker.files[0]));
  }
  request.addEventListener("dragover", (event) => event.preventDefault());
  request.addEventListener("drop", (event) => {
    if (!event.dataTransfer || !event.dataTransfer.files.length) return;
    event.preventDefault();
    load(event.dataTransfer.files[0]);
  });
  form.addEventListener("input", (event) => { if (event.target !== picker) later(); });
  form.addEventListener("change", (event) => { if (event.target !== picker) later(); });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    update();
  });
  showCopyButtons();
  if (restore()) update();
})();
