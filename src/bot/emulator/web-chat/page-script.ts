/**
 * The web chat's browser script (plain ES2020, no build step). Message HTML arrives already sanitized by the
 * server (view-model.ts); everything else is inserted as text nodes.
 */
export const PAGE_SCRIPT = String.raw`
(function () {
  var log = document.getElementById('log');
  var input = document.getElementById('input');
  var statusEl = document.getElementById('status');
  var menu = document.getElementById('menu');
  var replyKb = document.getElementById('reply-kb');
  var fileInput = document.getElementById('file');
  var toast = document.getElementById('toast');
  var commands = [];
  var actionTimer = 0;
  var DOC_ICON = '<svg viewBox="0 0 24 24" width="22" height="22" fill="none" stroke="#fff" stroke-width="2" stroke-linejoin="round"><path d="M6 2h8l5 5v15H6z"/><path d="M14 2v5h5"/></svg>';

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function post(path, body) {
    return fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
      .then(function (r) { return r.json().then(function (j) { if (!r.ok) throw new Error(j.error || r.status); return j; }); })
      .catch(function (e) { showToast('Error: ' + e.message); });
  }
  function showToast(text) {
    toast.textContent = text;
    toast.style.display = 'block';
    clearTimeout(showToast.timer);
    showToast.timer = setTimeout(function () { toast.style.display = 'none'; }, 2500);
  }
  function humanSize(n) {
    return n < 1024 ? n + ' B' : n < 1048576 ? (n / 1024).toFixed(1) + ' KB' : (n / 1048576).toFixed(1) + ' MB';
  }
  function keyboard(view) {
    var box = el('div', 'keyboard');
    view.inlineKeyboard.forEach(function (row) {
      var line = el('div', 'kb-row');
      row.forEach(function (b) {
        var button;
        if (b.url) {
          button = el('a', '', b.text); button.href = b.url; button.target = '_blank'; button.rel = 'noopener noreferrer';
        } else {
          button = el('button', '', b.text);
          button.type = 'button';
          button.dataset.callback = b.data || '';
          button.addEventListener('click', function () {
            button.disabled = true;
            post('/api/press', { messageId: view.id, data: b.data }).then(function () { button.disabled = false; });
          });
        }
        line.appendChild(button);
      });
      box.appendChild(line);
    });
    return box;
  }
  function render(view) {
    var row = el('div', 'row ' + view.sender);
    row.dataset.id = String(view.id);
    var bubble = el('div', 'bubble' + (view.photoUrl ? ' has-photo' : ''));
    if (view.replyTo) bubble.appendChild(el('div', 'quote', view.replyTo));
    if (view.photoUrl) {
      var img = el('img');
      img.src = view.photoUrl; img.alt = 'photo';
      img.addEventListener('click', function () { window.open(view.photoUrl, '_blank', 'noopener'); });
      img.addEventListener('load', scrollDown);
      bubble.appendChild(img);
    }
    if (view.document) {
      var doc = el('a', 'doc');
      doc.href = view.document.url; doc.download = view.document.name;
      var icon = el('span', 'doc-icon');
      icon.innerHTML = DOC_ICON; // a constant of this script, not message content
      doc.appendChild(icon);
      var info = el('span');
      info.appendChild(el('div', 'doc-name', view.document.name));
      info.appendChild(el('div', 'doc-size', humanSize(view.document.size)));
      doc.appendChild(info);
      bubble.appendChild(doc);
    }
    if (view.html) {
      var text = el('div', 'text');
      text.innerHTML = view.html; // sanitized server-side: only Telegram's formatting tags survive
      bubble.appendChild(text);
    }
    bubble.appendChild(el('div', 'meta', (view.edited ? 'edited ' : '') + view.time));
    row.appendChild(bubble);
    if (view.inlineKeyboard) row.appendChild(keyboard(view));
    if (view.replyKeyboard) setReplyKeyboard(view.replyKeyboard);
    return row;
  }
  function setReplyKeyboard(rows) {
    replyKb.textContent = '';
    if (rows === 'remove') { replyKb.style.display = 'none'; return; }
    rows.forEach(function (r) {
      var line = el('div', 'kb-row');
      r.forEach(function (label) {
        var b = el('button', '', label); b.type = 'button';
        b.addEventListener('click', function () { sendText(label); });
        line.appendChild(b);
      });
      replyKb.appendChild(line);
    });
    replyKb.style.display = 'flex';
  }
  function scrollDown() { log.scrollTop = log.scrollHeight; }
  function upsert(view) {
    var empty = log.querySelector('.empty');
    if (empty) empty.remove();
    var node = render(view);
    var old = log.querySelector('[data-id="' + view.id + '"]');
    if (old) old.replaceWith(node); else { log.appendChild(node); scrollDown(); }
  }
  function setCommands(list) {
    commands = list || [];
    document.getElementById('menu-btn').style.display = commands.length ? 'block' : 'none';
    menu.textContent = '';
    commands.forEach(function (c) {
      var b = el('button');
      b.type = 'button';
      b.appendChild(el('span', 'cmd', '/' + c.command));
      b.appendChild(el('span', 'desc', c.description));
      b.addEventListener('click', function () { menu.style.display = 'none'; sendText('/' + c.command); });
      menu.appendChild(b);
    });
  }
  function sendText(text) {
    if (!text.trim()) return;
    post('/api/send', { text: text });
  }
  function submit() {
    var text = input.value;
    input.value = '';
    sendText(text);
    input.focus();
  }
  input.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); submit(); }
  });
  document.getElementById('send').addEventListener('click', submit);
  document.getElementById('menu-btn').addEventListener('click', function () {
    menu.style.display = menu.style.display === 'block' ? 'none' : 'block';
  });
  document.getElementById('attach').addEventListener('click', function () { fileInput.click(); });
  fileInput.addEventListener('change', function () {
    var file = fileInput.files[0];
    if (!file) return;
    var query = '?name=' + encodeURIComponent(file.name) + '&mime=' + encodeURIComponent(file.type || '') + '&caption=' + encodeURIComponent(input.value.trim());
    fetch('/api/upload-file' + query, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: file })
      .then(function (r) { return r.json().then(function (j) { if (!r.ok) throw new Error(j.error || r.status); return j; }); })
      .catch(function (e) { showToast('Error: ' + e.message); });
    input.value = '';
    fileInput.value = '';
  });
  log.addEventListener('click', function (e) {
    if (e.target.classList && e.target.classList.contains('tg-spoiler')) e.target.classList.add('shown');
  });

  fetch('/api/state').then(function (r) { return r.json(); }).then(function (state) {
    document.getElementById('bot-name').textContent = state.bot.first_name;
    document.getElementById('avatar').textContent = state.bot.first_name.slice(0, 1);
    setCommands(state.commands);
    if (!state.messages.length) log.appendChild(el('div', 'empty', 'Type /start to talk to the bot'));
    state.messages.forEach(upsert);
    var events = new EventSource('/api/events');
    events.addEventListener('hello', function () { statusEl.textContent = 'bot'; document.body.dataset.live = '1'; });
    events.addEventListener('message', function (e) {
      var view = JSON.parse(e.data);
      if (view.sender === 'bot') { clearTimeout(actionTimer); statusEl.textContent = 'bot'; }
      upsert(view);
    });
    events.addEventListener('edit', function (e) { upsert(JSON.parse(e.data)); });
    events.addEventListener('delete', function (e) {
      var node = log.querySelector('[data-id="' + JSON.parse(e.data).id + '"]');
      if (node) node.remove();
    });
    events.addEventListener('commands', function (e) { setCommands(JSON.parse(e.data)); });
    events.addEventListener('answer', function (e) {
      var a = JSON.parse(e.data);
      if (a.text && a.show_alert) alert(a.text); else if (a.text) showToast(a.text);
    });
    events.addEventListener('action', function (e) {
      statusEl.textContent = JSON.parse(e.data).action === 'typing' ? 'typing…' : 'sending a file…';
      clearTimeout(actionTimer);
      actionTimer = setTimeout(function () { statusEl.textContent = 'bot'; }, 5000);
    });
    events.onerror = function () { statusEl.textContent = 'reconnecting…'; };
  });
})();
`;
