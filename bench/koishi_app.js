// The peer for bench/compare.sh (issue 9, item 3): a tiny Koishi 4 app with the OneBot
// adapter in HTTP mode, answering every group message that reaches it through the OneBot
// HTTP API at API (the counting fake, bench/fake_onebot_api.js).
//   node bench/koishi_app.js PORT API_PORT [SECRET]   (run with NODE_PATH=bench/.peers/koishi/node_modules)
// With SECRET, the adapter checks each event's X-Signature (HMAC-SHA1 of the raw body).
// Prints "ready PORT" once the adapter's route is up. Events: POST http://127.0.0.1:PORT/onebot
'use strict';
const { App, Logger } = require('koishi');
const port = Number(process.argv[2]);
const apiPort = Number(process.argv[3]);
const secret = process.argv[4] || undefined;
const load = (name) => { const m = require(name); return m.default || m; };
Logger.levels.base = 1;  // errors only
const app = new App();
app.plugin(load('@koishijs/plugin-server'), { host: '127.0.0.1', port });
app.plugin(load('@koishijs/plugin-http'));
app.plugin(load('koishi-plugin-adapter-onebot'), {
  protocol: 'http', selfId: '10000', endpoint: `http://127.0.0.1:${apiPort}`, path: '/onebot', secret,
});
app.on('message', (session) => {
  if (session.guildId) session.send('收到，我们会尽快处理。');
});
app.on('login-updated', (session) => {
  if (session.bot.status === 1) console.log('ready ' + port);
});
app.start().then(() => console.log('started ' + port));
