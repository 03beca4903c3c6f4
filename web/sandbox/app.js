// The sandbox page: simulated chats side by side, polling Lianxin's sandbox API. Every word
// shown comes from the message catalogue (the JSON block #lx-texts); no inline scripts.
(function () {
  'use strict';
  var texts = {};
  try { texts = JSON.parse(document.getElementById('lx-texts').textContent); } catch (e) { texts = {}; }
  function t(key, params) {
    var s = texts[key] || key;
    if (params) Object.keys(params).forEach(function (k) { s = s.split('{' + k + '}').join(String(params[k])); });
    return s;
  }
  function api(method, path, body) {
    var opt = { method: method, headers: {} };
    if (body !== undefined) { opt.headers['Content-Type'] = 'application/json'; opt.body = JSON.stringify(body); }
    return fetch(path, opt).then(function (r) {
      return r.text().then(function (txt) {
        var j = null;
        try { j = JSON.parse(txt); } catch (e) { j = null; }
        if (!r.ok) {
          var msg = j && j.error && j.error.message ? j.error.message : ('HTTP ' + r.status);
          var err = new Error(msg); err.status = r.status; throw err;
        }
        return j;
      });
    });
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function option(select, value, label) {
    var o = el('option', null, label); o.value = value; select.appendChild(o);
  }

  var setup = null;
  var panes = {};

  function residentName(id) {
    var r = (setup.residents || []).filter(function (x) { return x.id === id; })[0];
    return r ? r.name : id;
  }

  function Pane(kind) {
    var root = document.getElementById('pane-' + kind);
    this.kind = kind;
    this.root = root;
    this.select = root.querySelector('.chat-select');
    this.who = root.querySelector('.who-select');
    this.list = root.querySelector('.transcript');
    this.form = root.querySelector('.composer');
    this.last = '';
    this.busy = false;
    var self = this;
    this.select.addEventListener('change', function () { self.reset(); });
    this.form.addEventListener('submit', function (ev) { ev.preventDefault(); self.send(); });
  }
  Pane.prototype.chat = function () { return this.select.value; };
  Pane.prototype.me = function () {
    return this.kind === 'group' ? (this.who ? this.who.value : '') : this.chat();
  };
  Pane.prototype.reset = function () {
    this.last = '';
    this.list.textContent = '';
    this.list.appendChild(el('li', 'muted', t('sandbox.empty')));
    this.poll();
  };
  Pane.prototype.add = function (m) {
    var empty = this.list.querySelector('.muted');
    if (empty) empty.remove();
    var mine = m.dir === 'in' && m.from === this.me();
    var li = el('li', m.dir === 'out' ? 'bot' : (mine ? 'me' : 'other'));
    li.appendChild(el('span', 'name', m.dir === 'out' ? t('sandbox.bot') : (m.name || m.from)));
    var text = m.text || '';
    if (m.dir === 'in' && m.mention) text = t('sandbox.mention') + ' ' + text;
    if (m.image) text = (text ? text + ' ' : '') + t('sandbox.photo');
    li.appendChild(el('span', 'bubble', text));
    this.list.appendChild(li);
    this.list.scrollTop = this.list.scrollHeight;
  };
  Pane.prototype.poll = function () {
    var self = this;
    var chat = this.chat();
    if (!chat || this.busy) return;
    this.busy = true;
    var q = '/sandbox/api/messages?chat=' + encodeURIComponent(chat) + (this.last ? '&after=' + encodeURIComponent(this.last) : '');
    api('GET', q).then(function (j) {
      if (self.chat() !== chat) return;
      (j.messages || []).forEach(function (m) { self.add(m); });
      if (j.last) self.last = j.last;
    }).catch(function () {}).then(function () { self.busy = false; });
  };
  Pane.prototype.send = function () {
    var input = this.form.querySelector('input[name=text]');
    var text = input.value.trim();
    var image = this.form.querySelector('input[name=image]');
    var mention = this.form.querySelector('input[name=mention]');
    var withImage = image ? image.checked : false;
    if (!text && !withImage) return;
    var body;
    if (this.kind === 'group') {
      body = { type: 'group', chat: this.chat(), sender: this.who.value, name: residentName(this.who.value), text: text,
               mention: mention ? mention.checked : false, image: withImage };
    } else {
      var label = this.select.options[this.select.selectedIndex];
      body = { type: 'private', chat: this.chat(), sender: this.chat(), name: label ? label.textContent : '', text: text };
    }
    var self = this;
    input.value = '';
    if (image) image.checked = false;
    api('POST', '/sandbox/api/messages', body).then(function () { self.poll(); }).catch(function (e) {
      input.value = text;
      status(t('sandbox.send_failed', { reason: e.message }));
    });
  };

  function status(s) { document.getElementById('quirk-status').textContent = s; }

  function showClock(c) {
    if (c && c.local) document.getElementById('clock-now').textContent = t('sandbox.clock.now', { time: c.local });
  }

  function fill(kind, items, valueKey, label) {
    var p = panes[kind];
    items.forEach(function (x) { option(p.select, x[valueKey], label(x)); });
    p.reset();
  }

  function renderCases(list) {
    var ul = document.getElementById('case-list');
    ul.textContent = '';
    if (!list.length) { ul.appendChild(el('li', 'muted', t('sandbox.cases.empty'))); return; }
    list.forEach(function (c) {
      var li = el('li');
      var head = el('div');
      head.appendChild(el('strong', null, c.number));
      head.appendChild(el('span', 'state', c.status || c.state));
      head.appendChild(document.createTextNode(' ' + ((c.category && c.category.name) || '') + ' · ' + ((c.village && c.village.name) || '')));
      li.appendChild(head);
      li.appendChild(el('div', null, c.summary || ''));
      var links = el('div');
      if (c.track_url) {
        var a = el('a', null, t('sandbox.cases.track'));
        a.href = c.track_url; a.target = '_blank'; a.rel = 'noopener noreferrer';
        links.appendChild(a);
      }
      if (c.deputy) {
        var dep = (setup.deputies || []).filter(function (d) { return d.code === c.deputy; })[0];
        links.appendChild(document.createTextNode(t('sandbox.cases.deputy') + '：' + (c.deputy_name || c.deputy) + ' '));
        if (dep) {
          var b = el('button', null, t('sandbox.cases.open_deputy'));
          b.type = 'button';
          b.addEventListener('click', function () { panes.deputy.select.value = dep.chat; panes.deputy.reset(); });
          links.appendChild(b);
        }
      }
      li.appendChild(links);
      var details = el('details');
      details.appendChild(el('summary', null, t('sandbox.cases.log')));
      var ol = el('ol');
      (c.log || []).forEach(function (e) {
        var when = new Date(e.at * 1000 + 8 * 3600 * 1000).toISOString().slice(0, 16).replace('T', ' ');
        var key = 'web.step.' + e.what;
        var what = texts[key] ? texts[key] : e.what;
        ol.appendChild(el('li', null, when + ' ' + what + ((e.by && e.by.name) ? '（' + e.by.name + '）' : '') + (e.why ? '：' + e.why : '')));
      });
      details.appendChild(ol);
      li.appendChild(details);
      ul.appendChild(li);
    });
  }

  function pollCases() { api('GET', '/sandbox/api/cases').then(function (j) { renderCases(j.cases || []); }).catch(function () {}); }
  function pollClock() { api('GET', '/sandbox/api/clock').then(showClock).catch(function () {}); }

  function wire() {
    Array.prototype.forEach.call(document.querySelectorAll('[data-clock-seconds],[data-clock-days]'), function (b) {
      b.addEventListener('click', function () {
        var body = b.dataset.clockDays ? { working_days: Number(b.dataset.clockDays) } : { advance_seconds: Number(b.dataset.clockSeconds) };
        api('POST', '/sandbox/api/clock', body).then(function (c) {
          showClock(c); status(t('sandbox.clock.moved', { time: c.local }));
        }).catch(function (e) { status(e.message); });
      });
    });
    document.getElementById('quirk-duplicate').addEventListener('click', function () {
      api('POST', '/sandbox/api/quirks', { kind: 'duplicate' }).then(function (j) {
        status(t('sandbox.quirks.duplicate_done', { n: j.duplicates }));
      }).catch(function (e) { status(e.message); });
    });
    document.getElementById('quirk-rate').addEventListener('click', function () {
      api('POST', '/sandbox/api/quirks', { kind: 'rate_limit', chat: panes.handler.chat(), limit: 1, window_seconds: 20, seconds: 120 })
        .then(function () { status(t('sandbox.quirks.rate_limit_done')); }).catch(function (e) { status(e.message); });
    });
    document.getElementById('quirk-redis').addEventListener('click', function () {
      api('POST', '/sandbox/api/quirks', { kind: 'redis_outage', seconds: 3 })
        .then(function (j) { status(t('sandbox.quirks.redis_done', { seconds: j.seconds })); }).catch(function (e) { status(e.message); });
    });
  }

  function start() {
    ['group', 'deputy', 'handler', 'committee'].forEach(function (k) { panes[k] = new Pane(k); });
    wire();
    api('GET', '/sandbox/api/setup').then(function (s) {
      setup = s;
      (s.residents || []).forEach(function (r) { option(panes.group.who, r.id, r.name); });
      panes.group.who.addEventListener('change', function () { panes.group.reset(); });
      fill('group', s.groups || [], 'id', function (g) { return g.name; });
      fill('deputy', s.deputies || [], 'chat', function (d) { return d.name + '（' + d.code + '）'; });
      fill('handler', s.handlers || [], 'chat', function (h) { return h.name; });
      fill('committee', s.committee || [], 'chat', function (c) { return c.name + '（' + c.chat + '）'; });
      showClock(s.clock);
      setInterval(function () { Object.keys(panes).forEach(function (k) { panes[k].poll(); }); }, 1500);
      setInterval(pollCases, 3000);
      setInterval(pollClock, 5000);
      pollCases();
    }).catch(function (e) { status(e.message); });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start); else start();
})();
