// oauth-debug sandbox classroom: keeps the list of requests current by asking /api/requests again
// every few seconds. Every value is written as text (textContent), never as HTML: a path or a
// consumer key is what a client sent, so it is data. Without this script the page still lists
// the requests it was served with; a reload shows newer ones.
"use strict";
(function () {
  const table = document.getElementById("requests");
  if (!table) return;
  const body = table.tBodies[0];
  const status = document.getElementById("requests-status");
  const every = Number(table.dataset.poll) || 2000;
  let shown = "";

  function cell(row, text, code) {
    const td = row.insertCell();
    if (code) {
      const inner = document.createElement("code");
      inner.textContent = text;
      td.appendChild(inner);
    } else {
      td.textContent = text;
    }
    return td;
  }

  function mistakes(td, item) {
    item.mistakes.forEach((id, index) => {
      if (index) td.appendChild(document.createTextNode(" + "));
      const code = document.createElement("code");
      code.className = "mistake-id";
      code.textContent = id;
      td.appendChild(code);
    });
    if (!item.mistakes.length && item.refused_because) {
      td.textContent = item.refused_because + " check";
    }
  }

  function draw(items) {
    const rows = document.createDocumentFragment();
    for (const item of items) {
      const row = document.createElement("tr");
      row.dataset.request = item.id;
      row.className = "status-" + item.status;
      cell(row, item.time_text);
      cell(row, item.method);
      cell(row, item.path, true);
      cell(row, item.consumer_key || "", true);
      cell(row, String(item.status));
      cell(row, item.verdict || "");
      mistakes(row.insertCell(), item);
      const link = document.createElement("a");
      link.href = item.explanation;
      link.textContent = item.status >= 400 ? "why refused" : "details";
      row.insertCell().appendChild(link);
      rows.appendChild(row);
    }
    body.replaceChildren(rows);
    if (status) {
      status.textContent = items.length + (items.length === 1 ? " request." : " requests.");
    }
  }

  async function poll() {
    try {
      const answer = await fetch(table.dataset.source, { cache: "no-store" });
      const text = await answer.text();
      if (answer.ok && text !== shown) {
        shown = text;
        draw(JSON.parse(text));
      }
    } catch (error) {
      if (status) status.textContent = "The sandbox did not answer: is it still running?";
    } finally {
      setTimeout(poll, every);
    }
  }

  setTimeout(poll, every);
})();
