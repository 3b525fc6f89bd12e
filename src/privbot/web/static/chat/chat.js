// The chat page: sends each message to /api/chat and shows the reply. Text is only ever set with
// textContent, so nothing a person or the policy says can become markup.
(function () {
  "use strict";
  var ui = JSON.parse(document.getElementById("chat-ui").textContent);
  var lang = document.documentElement.lang || "sv";
  var sessionId = null;
  try { sessionId = window.sessionStorage.getItem("privbot-chat"); } catch (e) { sessionId = null; }
  var log = document.getElementById("chat-log");
  var form = document.getElementById("chat-form");
  var input = document.getElementById("chat-input");
  var button = document.getElementById("chat-send");

  function applyLanguage(code) {
    if (!ui[code] || code === lang) { return; }
    lang = code;
    document.documentElement.lang = code;
    document.title = ui[code].title;
    document.getElementById("chat-title").textContent = ui[code].title;
    document.getElementById("chat-label").textContent = ui[code].label;
    input.placeholder = ui[code].placeholder;
    button.textContent = ui[code].send;
  }

  function add(who, text, citations) {
    var item = document.createElement("li");
    item.className = "msg " + who;
    var name = document.createElement("span");
    name.className = "who";
    name.textContent = who === "person" ? ui[lang].you : ui[lang].bot;
    var body = document.createElement("p");
    body.textContent = text;
    item.appendChild(name);
    item.appendChild(body);
    if (citations && citations.length) {
      var sources = document.createElement("p");
      sources.className = "sources";
      sources.textContent = ui[lang].sources + " " + citations.join(", ");
      item.dataset.citations = citations.join(" ");
      item.appendChild(sources);
    }
    log.appendChild(item);
    item.scrollIntoView({ block: "end" });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) { return; }
    add("person", text);
    input.value = "";
    button.disabled = true;
    fetch("/api/chat", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ session_id: sessionId, message: text })
    }).then(function (response) {
      return response.json();
    }).then(function (data) {
      if (data.session_id) {
        sessionId = data.session_id;
        try { window.sessionStorage.setItem("privbot-chat", sessionId); } catch (e) { /* private mode */ }
      }
      if (data.language) { applyLanguage(data.language); }
      add("bot", data.reply || ui[lang].error, data.citations);
    }).catch(function () {
      add("bot", ui[lang].error);
    }).finally(function () {
      button.disabled = false;
      input.focus();
    });
  });
})();
