// Cross-checks Lianxin's adapters (through lx_adapter_tool) against independent
// implementations: Node's built-in crypto (HMAC-SHA1, SHA-1, Ed25519) and npm @wecom/crypto
// (WXBizMsgCrypt). Random keys and messages; every valid input must be accepted, every
// tampered copy rejected, and Lianxin's encrypted replies must decrypt with the npm package.
//
// Usage: node crosscheck.mjs /path/to/lx_adapter_tool   (prints "N passed, M failed")
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import wecomCrypto from '@wecom/crypto';

const { encrypt: wxEncrypt, decrypt: wxDecrypt, getSignature } = wecomCrypto;
const tool = process.argv[2];
if (!tool) {
  console.error('usage: node crosscheck.mjs <lx_adapter_tool>');
  process.exit(2);
}

const CASES = Number(process.env.CROSSCHECK_CASES || 60);
const requests = [];
const checks = []; // (answer) => failure string or null

function expect(request, check) {
  requests.push(request);
  checks.push(check);
}

// --- random inputs -------------------------------------------------------------------------

const alnum = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const randInt = (lo, hi) => lo + crypto.randomInt(hi - lo + 1);
const randStr = (n, alphabet = alnum) => Array.from({ length: n }, () => alphabet[crypto.randomInt(alphabet.length)]).join('');
const pieces = ['路灯坏了', '村口', '😀', '<xml>', ']]>', '&amp;', '[CQ:at,qq=all]', '"quote"', '\\', '\n', ' ', 'abc', '人大代表', '＠', '\u202e'];
const randText = () => Array.from({ length: randInt(1, 12) }, () => pieces[crypto.randomInt(pieces.length)]).join('');
const randKey = () => crypto.randomBytes(32).toString('base64').slice(0, 43);
const now = Math.floor(Date.now() / 1000);

function flipBase64(s) {
  const i = crypto.randomInt(Math.max(1, s.length - 2));
  const c = s[i] === 'A' ? 'B' : 'A';
  return s.slice(0, i) + c + s.slice(i + 1);
}

// --- WeCom / WeChat encryption --------------------------------------------------------------

for (let i = 0; i < CASES; i++) {
  const token = randStr(randInt(3, 32));
  const aesKey = randKey();
  const receiveId = i % 4 === 0 ? '' : (i % 2 ? 'ww' : 'wx') + crypto.randomBytes(8).toString('hex');
  const msg = randText();
  const timestamp = String(now - randInt(0, 200));
  const nonce = String(randInt(1, 2 ** 31));
  const enc = wxEncrypt(aesKey, msg, receiveId);
  const sig = getSignature(token, timestamp, nonce, enc);
  const base = { op: 'wecom_decrypt', token, aes_key: aesKey, receive_id: receiveId, timestamp, nonce };

  expect({ ...base, msg_signature: sig, encrypt: enc }, (a) =>
    a.ok && a.msg === msg && a.receive_id === receiveId ? null : `wecom_decrypt valid rejected: ${JSON.stringify(a)}`);
  const tampered = flipBase64(enc);
  expect({ ...base, msg_signature: sig, encrypt: tampered }, (a) => (a.ok ? 'tampered ciphertext accepted' : null));
  expect({ ...base, msg_signature: sig.replace(/^./, (c) => (c === '0' ? '1' : '0')), encrypt: enc }, (a) =>
    a.ok ? 'tampered signature accepted' : null);
  const foreign = wxEncrypt(aesKey, msg, receiveId + 'x');
  expect({ ...base, msg_signature: getSignature(token, timestamp, nonce, foreign), encrypt: foreign }, (a) =>
    a.ok ? 'foreign receive id accepted' : null);
  const otherKey = wxEncrypt(randKey(), msg, receiveId);
  expect({ ...base, msg_signature: getSignature(token, timestamp, nonce, otherKey), encrypt: otherKey }, (a) =>
    a.ok && a.msg === msg ? 'ciphertext under another key decrypted to the message' : null);

  // Lianxin encrypts a reply; the npm package must decrypt it and agree on the signature.
  const random = crypto.randomBytes(16);
  expect({ op: 'wecom_encrypt', token, aes_key: aesKey, receive_id: receiveId, random_hex: random.toString('hex'), msg, timestamp, nonce },
    (a) => {
      if (!a.ok) return `wecom_encrypt failed: ${a.error}`;
      const d = wxDecrypt(aesKey, a.encrypt);
      if (d.message !== msg || d.id !== receiveId || !d.random.equals(random)) return 'npm decrypt of Lianxin reply differs';
      if (getSignature(token, timestamp, nonce, a.encrypt) !== a.signature) return 'reply signature differs';
      if (wxEncrypt(aesKey, msg, receiveId, random) !== a.encrypt) return 'ciphertext differs from npm for the same random';
      return null;
    });
}

// --- WeChat plain signature -----------------------------------------------------------------

for (let i = 0; i < CASES; i++) {
  const token = randStr(randInt(3, 32));
  const timestamp = String(now - randInt(0, 200));
  const nonce = String(randInt(1, 2 ** 31));
  const sig = crypto.createHash('sha1').update([token, timestamp, nonce].sort().join('')).digest('hex');
  const base = { op: 'wechat_verify', token, timestamp, nonce, now };
  expect({ ...base, signature: sig }, (a) => (a.ok ? null : `wechat valid signature rejected (${a.status})`));
  expect({ ...base, nonce: nonce + '1', signature: sig }, (a) => (a.ok ? 'wechat tampered nonce accepted' : null));
}

// --- OneBot HMAC-SHA1 -----------------------------------------------------------------------

for (let i = 0; i < CASES; i++) {
  const secret = randStr(randInt(1, 40));
  const selfId = String(randInt(10000, 4000000000));
  const text = randText();
  const body = JSON.stringify({
    time: now, self_id: Number(selfId), post_type: 'message', message_type: i % 2 ? 'group' : 'private', sub_type: 'normal',
    message_id: randInt(-(2 ** 31), 2 ** 31 - 1), group_id: randInt(1, 2 ** 40), user_id: randInt(1, 2 ** 40),
    message: [{ type: 'text', data: { text } }], sender: { nickname: randText() },
  });
  const sig = 'sha1=' + crypto.createHmac('sha1', secret).update(body).digest('hex');
  const base = { op: 'onebot_verify', secret, self_id: selfId };
  const expectedText = text.replace(/\0/g, '').trim();
  expect({ ...base, body, signature: sig }, (a) =>
    a.ok && a.status === 204 && a.texts.length === 1 && a.texts[0] === expectedText ? null : `onebot valid rejected: ${JSON.stringify(a)}`);
  expect({ ...base, body: body.replace('"time"', '"time" '), signature: sig }, (a) =>
    a.status === 401 ? null : `onebot re-serialized body not 401 (${a.status})`);
  expect({ ...base, body, signature: sig.slice(0, -1) + (sig.endsWith('0') ? '1' : '0') }, (a) =>
    a.status === 401 ? null : `onebot tampered signature not 401 (${a.status})`);
}

// --- QQ Ed25519 -----------------------------------------------------------------------------

function qqKeys(secret) {
  let seed = secret;
  while (seed.length < 32) seed += seed;
  seed = Buffer.from(seed.slice(0, 32), 'latin1');
  const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
  const privateKey = crypto.createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  return { privateKey, publicKey: crypto.createPublicKey(privateKey) };
}

for (let i = 0; i < CASES; i++) {
  const secret = randStr(randInt(8, 40));
  const { privateKey, publicKey } = qqKeys(secret);
  const timestamp = String(now - randInt(0, 200));
  const body = JSON.stringify({ op: 0, id: randStr(20), t: 'C2C_MESSAGE_CREATE', d: { content: randText(), id: randStr(30), author: { user_openid: randStr(32) } } });
  const sig = crypto.sign(null, Buffer.from(timestamp + body), privateKey).toString('hex');
  const base = { op: 'qq_verify', secret, timestamp, now };
  expect({ ...base, body, signature: sig }, (a) => (a.ok ? null : `qq valid signature rejected (${a.status})`));
  expect({ ...base, body: body + ' ', signature: sig }, (a) => (a.ok ? 'qq tampered body accepted' : null));
  expect({ ...base, timestamp: String(Number(timestamp) + 1), body, signature: sig }, (a) => (a.ok ? 'qq tampered timestamp accepted' : null));

  const plainToken = randStr(randInt(1, 64));
  const eventTs = String(now);
  expect({ op: 'qq_sign', secret, event_ts: eventTs, plain_token: plainToken }, (a) => {
    if (!a.ok) return `qq_sign failed: ${a.error}`;
    const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
    if (raw !== a.public_key) return 'qq public key differs';
    const ok = crypto.verify(null, Buffer.from(eventTs + plainToken), publicKey, Buffer.from(a.signature, 'hex'));
    return ok ? null : 'Node rejects Lianxin op-13 signature';
  });
}

// --- run -------------------------------------------------------------------------------------

const run = spawnSync(tool, [], { input: requests.map((r) => JSON.stringify(r)).join('\n') + '\n', maxBuffer: 64 << 20 });
if (run.status !== 0) {
  console.error(`lx_adapter_tool exited with ${run.status}: ${run.stderr}`);
  process.exit(1);
}
const answers = run.stdout.toString().split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l));
let passed = 0;
let failed = 0;
checks.forEach((check, i) => {
  const answer = answers[i];
  const problem = answer === undefined ? 'no answer' : check(answer);
  if (problem) {
    failed++;
    if (failed <= 20) console.error(`FAIL #${i} ${requests[i].op}: ${problem}`);
  } else {
    passed++;
  }
});
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
