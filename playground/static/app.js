// The playground page: a group chat with the real bot, through the playground's JSON API.
//
// Plain JavaScript, no build step, nothing from the internet. The bot's messages arrive as
// text plus Telegram entities (the stand-in parsed the bot's HTML the way Telegram does and
// refused what Telegram refuses); they are drawn with createElement/textContent only, so no
// markup from a message ever reaches innerHTML. The page's own wording is in labels.json.
"use strict";

(function () {
  const POLL_MS = 1000;
  const SOON_MS = [250, 700]; // after an action, look again soon: the bot answers within moments
  const TOAST_MS = 4000;
  const STEP1_COMMAND = "/problem 三会一课记录不规范 月底前";

  const state = {
    labels: { zh: {}, en: {} },
    lang: "zh",
    groups: [],
    chat: null,
    user: null,
    userByChat: {},
    since: 0,
    loaded: false, // the current chat's history has arrived once
    elements: new Map(), // message id -> element
    messages: new Map(), // message id -> message
    replyTo: null,
    file: null,
    clock: null,
    clockEdited: false,
    guideDismissed: false,
    guideOpen: false,
    polling: false,
    again: false,
  };

  const $ = (id) => document.getElementById(id);

  // ------------------------------------------------------------------ labels

  function t(key, params) {
    const table = state.labels[state.lang] || {};
    let text = table[key];
    if (text === undefined) text = (state.labels.zh || {})[key];
    if (text === undefined) text = key;
    if (params) {
      text = text.replace(/\{(\w+)\}/g, (whole, name) =>
        params[name] === undefined ? whole : String(params[name]),
      );
    }
    return text;
  }

  function applyLabels() {
    document.documentElement.lang = state.lang === "zh" ? "zh-CN" : "en";
    document.title = t("title");
    for (const element of document.querySelectorAll("[data-label]")) {
      element.textContent = t(element.dataset.label);
    }
    for (const element of document.querySelectorAll("[data-label-placeholder]")) {
      element.placeholder = t(element.dataset.labelPlaceholder);
    }
    for (const element of document.querySelectorAll("[data-label-title]")) {
      element.title = t(element.dataset.labelTitle);
    }
    $("language").value = state.lang;
    if (state.clock) showClock(state.clock);
    fillGroups();
    fillMembers();
    showReply();
    showFile();
  }

  // ------------------------------------------------------------------ the API

  async function api(path, options) {
    const init = Object.assign({ method: "GET" }, options || {});
    init.headers = Object.assign({}, init.headers || {});
    if (init.method === "POST") init.headers["X-Playground"] = "1";
    let response;
    try {
      response = await fetch(path, init);
    } catch (error) {
      throw { error: "network", detail: String(error) };
    }
    let body = {};
    try {
      body = await response.json();
    } catch (error) {
      body = {};
    }
    if (!response.ok) {
      throw Object.assign({ error: "generic", detail: response.statusText }, body);
    }
    return body;
  }

  function postJSON(path, data) {
    return api(path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(data),
    });
  }

  function errorText(error) {
    const code = (error && error.error) || "generic";
    const key = "error." + code;
    const detail = (error && error.detail) || "";
    const table = state.labels[state.lang] || {};
    return table[key] !== undefined ? t(key, { detail: detail }) : t("error.generic", { detail: detail || code });
  }

  // ------------------------------------------------------------------ polling

  async function refresh() {
    if (state.polling) {
      state.again = true;
      return;
    }
    state.polling = true;
    const chat = state.chat;
    try {
      const query = chat === null ? "" : "?chat=" + chat + "&since=" + state.since;
      const body = await api("/api/state" + query);
      applyState(body, chat);
      showOffline(null);
    } catch (error) {
      showOffline(error);
    } finally {
      state.polling = false;
      if (state.again) {
        state.again = false;
        refresh();
      }
    }
  }

  function refreshSoon() {
    refresh();
    for (const delay of SOON_MS) setTimeout(refresh, delay);
  }

  function applyState(body, askedChat) {
    if (body.language && body.language !== state.lang) {
      state.lang = body.language;
      applyLabels();
      redrawMessages();
    }
    state.groups = body.groups || [];
    if (state.chat === null && state.groups.length) {
      state.chat = state.groups[0].id;
      state.again = true; // fetch the first group's messages now
    }
    fillGroups();
    fillMembers();
    if (body.clock) showClock(body.clock);
    if (body.fresh && !state.guideDismissed) showGuide(true);
    if (askedChat !== null && body.chat === state.chat && askedChat === state.chat) {
      applyMessages(body);
    }
  }

  function showOffline(error) {
    const banner = $("offline");
    if (!error) {
      banner.hidden = true;
      return;
    }
    banner.textContent = errorText(error);
    banner.hidden = false;
  }

  // ------------------------------------------------------------------ pickers

  function currentGroup() {
    return state.groups.find((group) => group.id === state.chat) || null;
  }

  function fillGroups() {
    const select = $("group");
    const wanted = state.groups.map((group) => String(group.id)).join(",");
    if (select.dataset.ids !== wanted) {
      select.replaceChildren();
      for (const group of state.groups) {
        const option = document.createElement("option");
        option.value = String(group.id);
        option.textContent = group.title;
        select.append(option);
      }
      select.dataset.ids = wanted;
    }
    if (state.chat !== null) select.value = String(state.chat);
    const group = currentGroup();
    $("chat-title").textContent = group ? group.title : "";
    $("chat-members").textContent = group ? t("members.count", { count: group.members.length }) : "";
  }

  function memberLabel(member) {
    const parts = [member.name];
    parts.push(member.username ? "@" + member.username : "(" + t("no_username") + ")");
    if (member.role !== "member") parts.push("· " + t("role." + member.role));
    return parts.join(" ");
  }

  function fillMembers() {
    const select = $("member");
    const group = currentGroup();
    const members = group ? group.members : [];
    const wanted = state.lang + ":" + members.map((m) => m.id + m.role).join(",");
    if (select.dataset.ids !== wanted) {
      select.replaceChildren();
      for (const member of members) {
        const option = document.createElement("option");
        option.value = String(member.id);
        option.textContent = memberLabel(member);
        select.append(option);
      }
      select.dataset.ids = wanted;
    }
    const remembered = state.userByChat[state.chat];
    const known = (id) => members.some((member) => member.id === id);
    if (remembered !== undefined && known(remembered)) {
      state.user = remembered;
    } else if (state.user === null || !known(state.user)) {
      state.user = members.length ? members[0].id : null;
    }
    if (state.user !== null) select.value = String(state.user);
  }

  function switchGroup(chatId) {
    if (chatId === state.chat) return;
    state.chat = chatId;
    state.since = 0;
    state.loaded = false;
    state.elements.clear();
    state.messages.clear();
    $("messages").replaceChildren();
    setReply(null);
    fillGroups();
    fillMembers();
    refresh();
  }

  // ------------------------------------------------------------------ messages

  function applyMessages(body) {
    const list = $("messages");
    const nearBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
    const wasLoaded = state.loaded;
    let appended = false;
    let prompt = null;
    for (const message of body.messages || []) {
      const isNew = !state.messages.has(message.id);
      state.messages.set(message.id, message);
      const element = renderMessage(message);
      const old = state.elements.get(message.id);
      if (old) {
        old.replaceWith(element);
      } else {
        insertInOrder(list, element, message.id);
        appended = true;
      }
      state.elements.set(message.id, element);
      if (isNew && wasLoaded && message.force_reply) prompt = message;
    }
    const present = new Set(body.ids || []);
    for (const [id, element] of state.elements) {
      if (!present.has(id)) {
        element.remove();
        state.elements.delete(id);
        state.messages.delete(id);
      }
    }
    state.since = body.seq;
    state.loaded = true;
    showEmpty(list);
    if (prompt) setReply(prompt); // the bot asked for a reply (ForceReply): reply to it
    if (appended && (nearBottom || !wasLoaded)) list.scrollTop = list.scrollHeight;
  }

  function insertInOrder(list, element, id) {
    for (const child of list.children) {
      const childId = Number(child.dataset.id);
      if (childId > id) {
        list.insertBefore(element, child);
        return;
      }
    }
    list.append(element);
  }

  function showEmpty(list) {
    let empty = list.querySelector(".empty");
    if (state.elements.size) {
      if (empty) empty.remove();
      return;
    }
    if (!empty) {
      empty = document.createElement("p");
      empty.className = "empty";
      empty.dataset.id = "0";
      list.append(empty);
    }
    empty.textContent = t("empty");
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function renderMessage(message) {
    if (message.service) return renderService(message);
    const mine = message.from === "user" && message.sender.id === state.user;
    const node = element("div", "message " + message.from + (mine ? " mine" : ""));
    node.setAttribute("data-testid", "message");
    node.dataset.from = message.from;
    node.dataset.id = String(message.id);

    const meta = element("div", "meta");
    meta.append(element("span", "sender", message.sender.name));
    if (message.from === "bot") meta.append(element("span", "badge", t("bot")));
    meta.append(element("span", "time", message.time));
    if (message.edited) meta.append(element("span", "edited", t("edited")));
    const replyLink = element("button", "reply-link quiet", t("reply"));
    replyLink.type = "button";
    replyLink.addEventListener("click", () => setReply(message));
    meta.append(replyLink);
    node.append(meta);

    if (message.reply_to) {
      const quote = element("div", "quote");
      quote.append(element("span", "quote-name", message.reply_to.name));
      quote.append(document.createTextNode(" " + message.reply_to.text));
      node.append(quote);
    }
    if (message.text) {
      const body = element("div", "body");
      body.append(renderEntities(message.text, message.entities || []));
      node.append(body);
    }
    if (message.document) node.append(renderFile(message.document, "📄"));
    if (message.photo) node.append(renderFile(message.photo, "🖼"));
    if (message.buttons) node.append(renderKeyboard(message));
    return node;
  }

  function renderService(message) {
    const node = element("div", "service");
    node.setAttribute("data-testid", "message");
    node.dataset.from = message.from;
    node.dataset.kind = "service";
    node.dataset.id = String(message.id);
    const service = message.service;
    node.textContent = t("service." + service.event, {
      actor: message.sender.name,
      names: service.names.join(", "),
    });
    return node;
  }

  function renderFile(file, icon) {
    const box = element("div", "file");
    if (file.url) {
      const link = element("a", "download", icon + " " + file.name);
      link.href = file.url;
      link.download = file.name;
      link.title = t("download");
      box.append(link);
    } else {
      box.append(element("span", "", icon + " " + file.name));
    }
    box.append(element("span", "size", formatSize(file.size)));
    return box;
  }

  function formatSize(bytes) {
    if (!bytes) return "";
    if (bytes < 1024) return bytes + " B";
    if (bytes < 1024 * 1024) return (bytes / 1024).toFixed(1) + " KB";
    return (bytes / 1024 / 1024).toFixed(1) + " MB";
  }

  function renderKeyboard(message) {
    const keyboard = element("div", "keyboard");
    for (const row of message.buttons) {
      const line = element("div", "keyboard-row");
      for (const button of row) {
        if (button.data !== undefined) {
          const press = element("button", "inline-button", button.text);
          press.type = "button";
          press.setAttribute("data-testid", "button");
          press.addEventListener("click", () => pressButton(message.id, button.data, press));
          line.append(press);
        } else if (safeUrl(button.url)) {
          const link = element("a", "inline-button", button.text + " ↗");
          link.href = button.url;
          link.target = "_blank";
          link.rel = "noopener noreferrer";
          line.append(link);
        }
      }
      keyboard.append(line);
    }
    return keyboard;
  }

  function safeUrl(url) {
    return typeof url === "string" && /^https?:\/\//i.test(url);
  }

  // Telegram entities (UTF-16 offsets, which is what JavaScript strings index) into elements.
  function renderEntities(text, entities) {
    const sorted = entities
      .filter((entity) => entity.length > 0)
      .slice()
      .sort((a, b) => a.offset - b.offset || b.length - a.length);
    const fragment = document.createDocumentFragment();
    build(fragment, text, sorted, 0, text.length);
    return fragment;
  }

  function build(parent, text, entities, start, end) {
    let cursor = start;
    let index = 0;
    while (index < entities.length) {
      const entity = entities[index];
      if (entity.offset >= end) break;
      const entityStart = Math.max(entity.offset, cursor);
      const entityEnd = Math.min(entity.offset + entity.length, end);
      const inner = [];
      index += 1;
      while (index < entities.length && entities[index].offset < entity.offset + entity.length) {
        inner.push(entities[index]);
        index += 1;
      }
      if (entityStart > cursor) parent.append(document.createTextNode(text.slice(cursor, entityStart)));
      if (entityEnd > entityStart) {
        const node = entityElement(entity, text.slice(entityStart, entityEnd));
        build(node, text, inner, entityStart, entityEnd);
        parent.append(node);
        cursor = entityEnd;
      }
    }
    if (cursor < end) parent.append(document.createTextNode(text.slice(cursor, end)));
  }

  function entityElement(entity, covered) {
    switch (entity.type) {
      case "bold":
        return document.createElement("b");
      case "italic":
        return document.createElement("i");
      case "underline":
        return document.createElement("u");
      case "strikethrough":
        return document.createElement("s");
      case "code":
        return document.createElement("code");
      case "pre":
        return document.createElement("pre");
      case "blockquote":
      case "expandable_blockquote":
        return document.createElement("blockquote");
      case "spoiler": {
        const spoiler = element("span", "spoiler");
        spoiler.addEventListener("click", () => spoiler.classList.add("shown"));
        return spoiler;
      }
      case "text_link": {
        if (!safeUrl(entity.url)) return element("span", "link");
        const link = document.createElement("a");
        link.href = entity.url;
        link.target = "_blank";
        link.rel = "noopener noreferrer";
        return link;
      }
      case "url": {
        if (!safeUrl(covered)) return element("span", "link");
        const link = document.createElement("a");
        link.href = covered;
        link.target = "_blank";
        link.rel = "noopener noreferrer";
        return link;
      }
      case "text_mention": {
        const mention = element("span", "mention");
        const user = entity.user || {};
        if (user.username) mention.title = "@" + user.username;
        return mention;
      }
      case "mention":
        return element("span", "mention");
      case "bot_command": {
        const command = element("span", "command");
        command.addEventListener("click", () => {
          $("composer").value = covered + " ";
          $("composer").focus();
        });
        return command;
      }
      default:
        return document.createElement("span");
    }
  }

  // ------------------------------------------------------------------ acting

  async function pressButton(messageId, data, button) {
    if (state.user === null) return;
    button.disabled = true;
    try {
      const body = await postJSON("/api/press", {
        chat: state.chat,
        user: state.user,
        message: messageId,
        data: data,
      });
      const answer = body.answer;
      if (!answer) toast(t("button.no_answer"));
      else if (answer.text && answer.show_alert) showAlert(answer.text);
      else if (answer.text) toast(answer.text);
    } catch (error) {
      toast(errorText(error));
    } finally {
      button.disabled = false;
      refreshSoon();
    }
  }

  async function send(event) {
    if (event) event.preventDefault();
    if (state.user === null || state.chat === null) return;
    const composer = $("composer");
    const text = composer.value;
    const sendButton = $("send");
    sendButton.disabled = true;
    try {
      if (state.file) {
        const form = new FormData();
        form.append("chat", String(state.chat));
        form.append("user", String(state.user));
        form.append("caption", text);
        if (state.replyTo) form.append("reply_to", String(state.replyTo.id));
        form.append("file", state.file, state.file.name);
        await api("/api/upload", { method: "POST", body: form });
      } else {
        if (!text.trim()) return;
        await postJSON("/api/send", {
          chat: state.chat,
          user: state.user,
          text: text,
          reply_to: state.replyTo ? state.replyTo.id : null,
        });
      }
      composer.value = "";
      setReply(null);
      setFile(null);
    } catch (error) {
      toast(errorText(error));
    } finally {
      sendButton.disabled = false;
      composer.focus();
      refreshSoon();
    }
  }

  function setReply(message) {
    state.replyTo = message;
    showReply();
    if (message) {
      const composer = $("composer");
      if (message.placeholder) composer.placeholder = message.placeholder;
      composer.focus();
    } else {
      $("composer").placeholder = t("composer.placeholder");
    }
  }

  function showReply() {
    const bar = $("reply-bar");
    const message = state.replyTo;
    bar.hidden = !message;
    if (!message) return;
    const excerpt = message.text.length > 40 ? message.text.slice(0, 40) + "…" : message.text;
    $("reply-text").textContent = t("reply.to", { name: message.sender.name, text: excerpt.replace(/\n/g, " ") });
  }

  function setFile(file) {
    state.file = file;
    if (!file) $("file").value = "";
    showFile();
  }

  function showFile() {
    const bar = $("file-bar");
    bar.hidden = !state.file;
    if (state.file) $("file-text").textContent = t("file.selected", { name: state.file.name });
  }

  // ------------------------------------------------------------------ the clock

  // "2026-11-26T10:00+08:00" shown as the playground's wall time, whatever the browser's zone.
  function wallTime(iso) {
    const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}:\d{2})/.exec(iso || "");
    if (!match) return { date: "", time: "", weekday: "" };
    const day = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
    const weekdays = t("weekdays").split(",");
    return {
      date: match[1] + "-" + match[2] + "-" + match[3],
      short: match[2] + "-" + match[3],
      time: match[4],
      weekday: weekdays[(day.getUTCDay() + 6) % 7] || "",
    };
  }

  function showClock(clock) {
    state.clock = clock;
    const now = wallTime(clock.now);
    $("clock-now").textContent = now.date + " " + now.weekday + " " + now.time;
    $("clock-now").title = clock.timezone;
    const input = $("clock-input");
    if (!state.clockEdited && document.activeElement !== input) {
      input.value = now.date + " " + now.time;
    }
    for (const button of document.querySelectorAll(".preset")) {
      const target = wallTime((clock.presets || {})[button.dataset.preset]);
      button.textContent = t("preset." + button.dataset.preset) + " · " + target.short;
      button.title = target.date + " " + target.weekday + " " + target.time;
      button.dataset.target = target.date + " " + target.time;
    }
  }

  async function jump(payload) {
    try {
      const body = await postJSON("/api/clock", payload);
      state.clockEdited = false;
      showClock(body.clock);
      const now = wallTime(body.clock.now);
      toast(t("clock.jumped", { now: now.date + " " + now.weekday + " " + now.time, sent: body.sent }));
    } catch (error) {
      if (error.error === "backwards") {
        const now = wallTime(error.now);
        showAlert(t("clock.backwards", { now: now.date + " " + now.weekday + " " + now.time }));
      } else if (error.error === "bad_time") {
        showAlert(t("clock.bad_time"));
      } else {
        toast(errorText(error));
      }
    } finally {
      refreshSoon();
    }
  }

  // ------------------------------------------------------------------ guide, reset, language

  function showGuide(open) {
    state.guideOpen = open;
    $("guide").hidden = !open;
  }

  async function reset() {
    if (!window.confirm(t("reset.confirm"))) return;
    try {
      await postJSON("/api/reset", {});
      state.since = 0;
      state.loaded = false;
      state.elements.clear();
      state.messages.clear();
      $("messages").replaceChildren();
      setReply(null);
      setFile(null);
      state.guideDismissed = false;
      state.clockEdited = false;
      toast(t("reset.done"));
    } catch (error) {
      toast(errorText(error));
    } finally {
      refresh();
    }
  }

  async function switchLanguage(language) {
    try {
      const body = await postJSON("/api/language", { language: language });
      state.lang = body.language;
    } catch (error) {
      state.lang = language;
    }
    applyLabels();
    redrawMessages(); // their small labels (edited, reply, service lines) are the page's
  }

  function redrawMessages() {
    for (const [id, message] of state.messages) {
      const drawn = renderMessage(message);
      state.elements.get(id).replaceWith(drawn);
      state.elements.set(id, drawn);
    }
    showEmpty($("messages"));
  }

  // ------------------------------------------------------------------ toasts and alerts

  let toastTimer = null;

  function toast(text) {
    const box = $("toast");
    box.textContent = text;
    box.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => {
      box.hidden = true;
    }, TOAST_MS);
  }

  function showAlert(text) {
    $("alert-text").textContent = text;
    $("alert").hidden = false;
    $("alert-ok").focus();
  }

  // ------------------------------------------------------------------ wiring

  function wire() {
    $("group").addEventListener("change", (event) => switchGroup(Number(event.target.value)));
    $("member").addEventListener("change", (event) => {
      state.user = Number(event.target.value);
      state.userByChat[state.chat] = state.user;
      redrawMessages(); // the chosen member's messages are drawn on the right
    });
    $("composer-form").addEventListener("submit", send);
    $("composer").addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) send(event);
    });
    $("file").addEventListener("change", (event) => setFile(event.target.files[0] || null));
    $("file-cancel").addEventListener("click", () => setFile(null));
    $("reply-cancel").addEventListener("click", () => setReply(null));
    $("clock-input").addEventListener("input", () => {
      state.clockEdited = true;
    });
    $("clock-input").addEventListener("keydown", (event) => {
      if (event.key === "Enter") jump({ at: $("clock-input").value });
    });
    $("clock-apply").addEventListener("click", () => jump({ at: $("clock-input").value }));
    for (const button of document.querySelectorAll(".preset")) {
      button.addEventListener("click", () => jump({ preset: button.dataset.preset }));
    }
    $("reset").addEventListener("click", reset);
    $("language").addEventListener("change", (event) => switchLanguage(event.target.value));
    $("guide-toggle").addEventListener("click", () => showGuide(!state.guideOpen));
    $("guide-close").addEventListener("click", () => {
      state.guideDismissed = true;
      showGuide(false);
    });
    $("guide-step1").addEventListener("click", () => {
      if (state.groups.length) switchGroup(state.groups[0].id);
      $("composer").value = STEP1_COMMAND;
      $("composer").focus();
    });
    $("guide-step3").addEventListener("click", () => jump({ preset: "monday" }));
    $("alert-ok").addEventListener("click", () => {
      $("alert").hidden = true;
    });
  }

  async function start() {
    wire();
    try {
      state.labels = await api("/static/labels.json");
    } catch (error) {
      state.labels = { zh: {}, en: {} };
    }
    applyLabels();
    await refresh();
    setInterval(refresh, POLL_MS);
  }

  document.addEventListener("DOMContentLoaded", start);
})();
