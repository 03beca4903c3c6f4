// A fake OneBot v11 HTTP API for bench/compare.sh: answers every action with success and
// counts the calls by path (the bots' replies are POST /send_group_msg). GET /_count prints
// the counts as JSON. Run: node bench/fake_onebot_api.js PORT  (prints "ready PORT").
// With LIMITED_GROUP=G, messages to group G are rate limited: one per second is accepted,
// the others get HTTP 429 with Retry-After: 1 (counted as "limited"). A message whose text
// carries "t=<unix ms>" adds its enqueue-to-delivery latency to GET /_count's p50/p99.
'use strict';
const http = require('http');
const counts = {};
let nextId = 1;
const limited = process.env.LIMITED_GROUP ? Number(process.env.LIMITED_GROUP) : null;
let limitedSecond = 0;
const lat = [];
const pct = (p) => { if (!lat.length) return 0; const a = lat.slice().sort((x, y) => x - y); return a[Math.min(a.length - 1, Math.floor(p * a.length))]; };
const server = http.createServer((req, res) => {
  const path = req.url.split('?')[0];
  if (req.method === 'GET' && path === '/_count') {
    res.writeHead(200, {'Content-Type': 'application/json'});
    res.end(JSON.stringify(Object.assign({p50_ms: pct(0.5), p99_ms: pct(0.99), latencies: lat.length}, counts)));
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const action = path.replace(/^\//, '');
    const text = Buffer.concat(chunks).toString();
    const toLimited = action === 'send_group_msg' && limited !== null && text.includes(`"group_id":${limited}`);
    if (action === 'send_group_msg' && (limited !== null || process.env.LATENCY)) {
      if (toLimited) {
        const now = Math.floor(Date.now() / 1000);
        if (now === limitedSecond) {
          counts.limited = (counts.limited || 0) + 1;
          res.writeHead(429, {'Retry-After': '1', 'Content-Length': 0});
          res.end();
          return;
        }
        limitedSecond = now;
        counts.limited_ok = (counts.limited_ok || 0) + 1;
      }
      const m = /t=(\d{13})/.exec(text);
      if (m) lat.push(Date.now() - Number(m[1]));
    }
    counts[action] = (counts[action] || 0) + 1;
    // When the latest accepted message not to the rate-limited group arrived (ms since the
    // epoch): bench/notify_sched.sh times the plain messages by it, not by its own polling.
    if (action === 'send_group_msg' && !toLimited) counts.last_plain_ms = Date.now();
    let data = {message_id: nextId++};
    if (action === 'get_login_info') data = {user_id: 10000, nickname: 'bench-bot'};
    else if (action === 'get_version_info') data = {app_name: 'fake', app_version: '0', protocol_version: 'v11'};
    else if (action.endsWith('_list')) data = [];
    const body = JSON.stringify({status: 'ok', retcode: 0, data});
    res.writeHead(200, {'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body)});
    res.end(body);
  });
});
server.keepAliveTimeout = 60000;
server.listen(Number(process.argv[2] || 0), '127.0.0.1', () => console.log('ready ' + server.address().port));
