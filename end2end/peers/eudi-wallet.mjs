// A test EU digital identity wallet and two test PID issuers for Pli's OpenID4VP verifier:
// SD-JWT VCs issued and presented with `@sd-jwt/sd-jwt-vc` (OpenWallet Foundation sd-jwt-js)
// and `@sd-jwt/crypto-nodejs`, keys and request objects with `jose`. It is NOT a real wallet.
//
//   node eudi-wallet.mjs --port 4020 [--host 127.0.0.1] [--keys var/eudi-wallet-keys.json] [--base URL]
//
// - Issuers: `BASE/issuers/trusted` and `BASE/issuers/rogue` (the "untrusted issuer"), their
//   metadata at `GET /.well-known/jwt-vc-issuer/issuers/{trusted,rogue}` (draft-ietf-oauth-sd-jwt-vc).
//   A fresh PID (`vct` urn:eudi:pid:1, each claim its own disclosure) is issued at each presentation.
// - Wallet (OpenID4VP 1.0, `redirect_uri:` client, unsigned request object, DCQL, direct_post):
//   `GET /authorize?client_id=..&request_uri=..` is the page a person (Playwright) sees;
//   `POST /_present` {authorize_url, person, issuer, fault, decline} is the same for server tests,
//   answering {status, body, redirect_uri, disclosed, presentation} (502 {error} on wallet errors).
// - Faults: `forged` (family_name disclosure replaced, its digest not in `_sd`), `replay` (the last
//   presentation sent, with this request's state), `untrusted` (rogue issuer), `wrong_nonce`.
// - Keys: an ES256 key per issuer and per person, kept in `--keys` if given (else in memory).
// - BASE is `http://HOST:PORT` unless `--base` says otherwise.
import { createServer } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { ES256, digest } from '@sd-jwt/crypto-nodejs';
import {
  SignJWT, calculateJwkThumbprint, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK,
} from 'jose';

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : fallback;
};
const port = Number(arg('port', '4020'));
const host = arg('host', '127.0.0.1');
const base = arg('base', `http://${host}:${port}`).replace(/\/$/, '');
const keysFile = arg('keys', null);

const VCT = 'urn:eudi:pid:1';
const ISSUERS = ['trusted', 'rogue'];
const FAULTS = ['none', 'forged', 'replay', 'untrusted', 'wrong_nonce'];
const issuerId = (name) => `${base}/issuers/${name}`;

// The test persons: the PID attributes each issuer certifies, all selectively disclosable.
const persons = {
  jeanne: {
    given_name: 'Jeanne Marie',
    family_name: 'DUPONT',
    birthdate: '1985-04-12',
    place_of_birth: { locality: 'Paris', country: 'FR' },
    nationalities: ['FR'],
    personal_administrative_number: 'FR-PID-0001',
    address: { street_address: '1 rue de la Paix', locality: 'Paris', postal_code: '75002', country: 'FR' },
  },
  karim: {
    given_name: 'Karim',
    family_name: 'BENALI',
    birthdate: '1979-11-03',
    place_of_birth: { locality: 'Lyon', country: 'FR' },
    nationalities: ['FR'],
    personal_administrative_number: 'FR-PID-0002',
    address: { street_address: '12 rue de la République', locality: 'Lyon', postal_code: '69002', country: 'FR' },
  },
};
const CLAIMS = Object.keys(persons.jeanne);
const LABELS = {
  given_name: 'Prénom(s) (given names)',
  family_name: 'Nom (family name)',
  birthdate: 'Date de naissance (birth date)',
  place_of_birth: 'Lieu de naissance (place of birth)',
  nationalities: 'Nationalités (nationalities)',
  personal_administrative_number: 'Numéro administratif personnel (personal administrative number)',
  address: 'Adresse (address)',
};

// Keys: {issuers: {trusted, rogue}, holders: {jeanne, karim}}, private P-256 JWKs with a kid.
async function newKey() {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const { kty, crv, x, y, d } = await exportJWK(privateKey);
  return { kty, crv, x, y, d, kid: await calculateJwkThumbprint({ kty, crv, x, y }) };
}
const keys = keysFile && existsSync(keysFile) ? JSON.parse(readFileSync(keysFile, 'utf8')) : {};
let fresh = false;
for (const [group, names] of [['issuers', ISSUERS], ['holders', Object.keys(persons)]]) {
  keys[group] ??= {};
  for (const name of names) if (!keys[group][name]) [keys[group][name], fresh] = [await newKey(), true];
}
if (keysFile && fresh) writeFileSync(keysFile, JSON.stringify(keys, null, 2));
const publicJwk = ({ kty, crv, x, y }) => ({ kty, crv, x, y });
const privateJwk = ({ kty, crv, x, y, d }) => ({ kty, crv, x, y, d });

const b64url = (data) => Buffer.from(data).toString('base64url');
const sha256 = (text) => createHash('sha256').update(text, 'ascii').digest();
// 128-bit salts (the library's own generateSalt(16) gives 16 hex digits, i.e. 64 bits).
const saltGenerator = () => b64url(randomBytes(16));
const now = () => Math.floor(Date.now() / 1000);

class WalletError extends Error {
  constructor(message, status = 502) {
    super(message);
    this.status = status;
  }
}

// The issuer: a fresh SD-JWT VC for the person, bound to the person's holder key.
async function issue(issuer, person) {
  const key = keys.issuers[issuer];
  const sdjwt = new SDJwtVcInstance({
    signer: await ES256.getSigner(privateJwk(key)), signAlg: 'ES256',
    hasher: digest, hashAlg: 'sha-256', saltGenerator,
  });
  const iat = now();
  const payload = {
    iss: issuerId(issuer), iat, exp: iat + 365 * 24 * 3600, vct: VCT,
    cnf: { jwk: publicJwk(keys.holders[person]) }, ...persons[person],
  };
  // typ dc+sd-jwt comes from SDJwtVcInstance; _sd_alg is added by the library.
  return sdjwt.issue(payload, { _sd: CLAIMS, _sd_decoy: 2 }, { header: { kid: key.kid } });
}

// The holder: disclose `names` only, then bind to the verifier's client_id and nonce.
async function present(credential, person, names, { aud, nonce, forged }) {
  const holder = privateJwk(keys.holders[person]);
  const sdjwt = new SDJwtVcInstance({ hasher: digest, kbSigner: await ES256.getSigner(holder), kbSignAlg: 'ES256' });
  const frame = Object.fromEntries(names.map((n) => [n, true]));
  const kbPayload = { iat: now(), aud, nonce };
  if (!forged) return sdjwt.present(credential, frame, { kb: { payload: kbPayload } });
  // Forged: swap the family_name disclosure for one the issuer never signed, then key-bind the
  // altered presentation correctly (sd_hash over exactly what is sent).
  const parts = (await sdjwt.present(credential, frame)).split('~');
  const at = parts.findIndex((p, i) => i > 0 && p && JSON.parse(Buffer.from(p, 'base64url'))[1] === 'family_name');
  if (at < 0) throw new WalletError('forged: the verifier did not ask for family_name', 400);
  parts[at] = b64url(JSON.stringify([saltGenerator(), 'family_name', 'MARTIN']));
  const unbound = parts.join('~');
  const kb = await new SignJWT({ ...kbPayload, sd_hash: b64url(sha256(unbound)) })
    .setProtectedHeader({ alg: 'ES256', typ: 'kb+jwt' })
    .sign(await importJWK(holder, 'ES256'));
  return unbound + kb;
}

// Step 1: the link (http://.../authorize?.., openid4vp://?..) to a checked request object.
async function fetchRequest(link) {
  const at = String(link ?? '').indexOf('?');
  if (at < 0) throw new WalletError('the link has no query');
  const params = new URLSearchParams(String(link).slice(at + 1));
  const clientId = params.get('client_id');
  const requestUri = params.get('request_uri');
  if (!clientId || !requestUri) throw new WalletError('the link lacks client_id or request_uri');
  let res;
  try {
    res = await fetch(requestUri, {
      redirect: 'manual', headers: { accept: 'application/oauth-authz-req+jwt' }, signal: AbortSignal.timeout(10000),
    });
  } catch (e) {
    throw new WalletError(`GET request_uri failed: ${e.cause?.message ?? e.message}`);
  }
  const text = (await res.text()).trim();
  if (res.status !== 200) throw new WalletError(`GET request_uri answered ${res.status}: ${text.slice(0, 500)}`);
  const type = res.headers.get('content-type') ?? '';
  if (!type.startsWith('application/oauth-authz-req+jwt')) throw new WalletError(`request object Content-Type is "${type}"`);
  let header, request;
  try {
    header = decodeProtectedHeader(text);
    request = decodeJwt(text);
  } catch (e) {
    throw new WalletError(`malformed request object: ${e.message}`);
  }
  if (header.alg !== 'none' || text.split('.')[2] !== '') throw new WalletError(`request object alg is "${header.alg}", expected an unsigned one (alg none)`);
  if (header.typ !== 'oauth-authz-req+jwt') throw new WalletError(`request object typ is "${header.typ}"`);
  const { response_uri: responseUri } = request;
  if (request.client_id !== clientId) throw new WalletError(`client_id "${request.client_id}" differs from the link's "${clientId}"`);
  if (!clientId.startsWith('redirect_uri:')) throw new WalletError(`client_id "${clientId}" lacks the redirect_uri: prefix`);
  if (clientId.slice('redirect_uri:'.length) !== responseUri) throw new WalletError(`client_id "${clientId}" does not name response_uri "${responseUri}"`);
  if (request.response_type !== 'vp_token') throw new WalletError(`response_type is "${request.response_type}"`);
  if (request.response_mode !== 'direct_post') throw new WalletError(`response_mode is "${request.response_mode}"`);
  if (typeof request.nonce !== 'string' || !request.nonce) throw new WalletError('the request has no nonce');
  const credentialQuery = (request.dcql_query?.credentials ?? []).find((c) => c.format === 'dc+sd-jwt'
    && (!c.meta?.vct_values || c.meta.vct_values.includes(VCT)));
  if (!credentialQuery?.id) throw new WalletError(`no dc+sd-jwt credential query for ${VCT} in dcql_query`);
  // Exactly the top-level claims named by the query's paths that a PID has, nothing else.
  const names = [...new Set((credentialQuery.claims ?? []).map((c) => c.path?.[0]))].filter((n) => CLAIMS.includes(n));
  return { clientId, requestUri, request, queryId: credentialQuery.id, names };
}

// Steps 4-5: direct_post to response_uri, and what the verifier answered.
async function post(request, fields) {
  if (request.state !== undefined) fields.state = request.state;
  let res;
  try {
    res = await fetch(request.response_uri, {
      method: 'POST', redirect: 'manual', body: new URLSearchParams(fields), signal: AbortSignal.timeout(10000),
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    });
  } catch (e) {
    throw new WalletError(`POST response_uri failed: ${e.cause?.message ?? e.message}`);
  }
  const text = await res.text();
  let body = text;
  try { body = JSON.parse(text); } catch { /* keep the text */ }
  const redirectUri = res.ok && typeof body?.redirect_uri === 'string' ? body.redirect_uri : null;
  return { status: res.status, body, redirect_uri: redirectUri };
}

let last = null; // the last presentation sent: {presentation, disclosed}

async function respond(req, { person = 'jeanne', issuer = 'trusted', fault = 'none', decline = false }) {
  if (!persons[person]) throw new WalletError(`unknown person "${person}"`, 400);
  if (!ISSUERS.includes(issuer)) throw new WalletError(`unknown issuer "${issuer}"`, 400);
  if (!FAULTS.includes(fault)) throw new WalletError(`unknown fault "${fault}"`, 400);
  if (decline) {
    const answer = await post(req.request, { error: 'access_denied', error_description: 'the holder declined to share' });
    return { ...answer, disclosed: [], presentation: null };
  }
  let sent;
  if (fault === 'replay') {
    if (!last) throw new WalletError('replay: no presentation was sent yet', 409);
    sent = last;
  } else {
    const credential = await issue(fault === 'untrusted' ? 'rogue' : issuer, person);
    const nonce = fault === 'wrong_nonce' ? b64url(randomBytes(16)) : req.request.nonce;
    const presentation = await present(credential, person, req.names, { aud: req.clientId, nonce, forged: fault === 'forged' });
    sent = { presentation, disclosed: req.names };
  }
  last = sent;
  const answer = await post(req.request, { vp_token: JSON.stringify({ [req.queryId]: [sent.presentation] }) });
  return { ...answer, ...sent };
}

// The pages.
function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(body) {
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Portefeuille d'identité de test</title></head>
<body style="font-family: sans-serif; max-width: 34rem; margin: 1rem auto; padding: 0 1rem">
<main><h1>Portefeuille d'identité de test (NOT a real wallet)</h1>
${body}</main></body></html>`;
}

function consentPage(ticket, req) {
  const asker = new URL(req.request.response_uri);
  const claims = req.names.map((n) => `<li>${escape(LABELS[n])}</li>`).join('') || '<li>Aucune donnée (nothing)</li>';
  const people = Object.entries(persons)
    .map(([id, p]) => `<option value="${id}">${escape(`${p.given_name} ${p.family_name}`)}</option>`).join('');
  return page(`<p><strong>${escape(asker.host)}</strong> demande votre identité (asks for your identity)&nbsp;:</p>
<ul>${claims}</ul>
<p>Identifiant du vérifieur (verifier's client_id)&nbsp;: <code>${escape(req.clientId)}</code></p>
<form method="post" action="/authorize/present">
<input type="hidden" name="ticket" value="${ticket}">
<input type="hidden" name="client_id" value="${escape(req.clientId)}">
<input type="hidden" name="request_uri" value="${escape(req.requestUri)}">
<p><label for="person">Personne</label> <select id="person" name="person">${people}</select></p>
<p><label for="issuer">Émetteur</label> <select id="issuer" name="issuer">
<option value="trusted">Émetteur de confiance (trusted)</option>
<option value="rogue">Émetteur inconnu (untrusted)</option></select></p>
<p><button type="submit" name="action" value="share">Partager (Share)</button>
<button type="submit" name="action" value="decline">Refuser (Decline)</button></p>
</form>`);
}

function alertPage(message) {
  return page(`<p role="alert">${escape(message)}</p>`);
}

// Request objects fetched for the page, kept for its form (a request_uri may be single-use).
const pending = new Map();

async function readBody(req) {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 1 << 20) throw new WalletError('request body too large', 413);
  }
  return body;
}

function send(res, status, type, body, headers = {}) {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
  res.end(body);
}
const sendJson = (res, status, value) => send(res, status, 'application/json', JSON.stringify(value));
const sendHtml = (res, status, html) => send(res, status, 'text/html; charset=utf-8', html);

async function route(req, res) {
  const url = new URL(req.url, base);
  const path = url.pathname;
  if (req.method === 'GET' && path === '/_health') return send(res, 200, 'text/plain', 'ok');
  const meta = path.match(/^\/\.well-known\/jwt-vc-issuer\/issuers\/(trusted|rogue)$/);
  if (req.method === 'GET' && meta) {
    const key = keys.issuers[meta[1]];
    return sendJson(res, 200, {
      issuer: issuerId(meta[1]),
      jwks: { keys: [{ ...publicJwk(key), kid: key.kid, alg: 'ES256', use: 'sig' }] },
    });
  }
  if (req.method === 'GET' && path === '/authorize') {
    try {
      const request = await fetchRequest(req.url);
      const ticket = b64url(randomBytes(12));
      pending.set(ticket, request);
      setTimeout(() => pending.delete(ticket), 600_000).unref();
      return sendHtml(res, 200, consentPage(ticket, request));
    } catch (e) {
      if (!(e instanceof WalletError)) throw e;
      return sendHtml(res, e.status, alertPage(`Requête refusée par le portefeuille (request refused by the wallet) : ${e.message}`));
    }
  }
  if (req.method === 'POST' && path === '/authorize/present') {
    const form = Object.fromEntries(new URLSearchParams(await readBody(req)));
    const decline = form.action === 'decline';
    try {
      const link = `/authorize?${new URLSearchParams({ client_id: form.client_id ?? '', request_uri: form.request_uri ?? '' })}`;
      const request = pending.get(form.ticket) ?? await fetchRequest(link);
      pending.delete(form.ticket);
      const answer = await respond(request, { person: form.person, issuer: form.issuer, decline });
      if (answer.redirect_uri) return send(res, 303, 'text/plain', '', { location: answer.redirect_uri });
      if (answer.status < 200 || answer.status > 299) {
        const body = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
        return sendHtml(res, 200, alertPage(`Le vérifieur a répondu (the verifier answered) ${answer.status} : ${body}`));
      }
      return sendHtml(res, 200, page(decline
        ? '<p role="status">Partage refusé (Sharing declined)</p>'
        : '<p role="status">Vous pouvez retourner sur votre ordinateur (You may go back to your computer)</p>'));
    } catch (e) {
      if (!(e instanceof WalletError)) throw e;
      return sendHtml(res, e.status, alertPage(`Erreur du portefeuille (wallet error) : ${e.message}`));
    }
  }
  if (req.method === 'POST' && path === '/_present') {
    try {
      let input;
      try { input = JSON.parse(await readBody(req)); } catch { throw new WalletError('the body is not JSON', 400); }
      const request = await fetchRequest(input.authorize_url);
      return sendJson(res, 200, await respond(request, input));
    } catch (e) {
      return sendJson(res, e instanceof WalletError ? e.status : 502, { error: e.message });
    }
  }
  return send(res, 404, 'text/plain', 'not found');
}

createServer((req, res) => {
  route(req, res).catch((e) => {
    console.error('eudi-wallet:', e);
    if (!res.headersSent) send(res, 500, 'text/plain', String(e.message ?? e));
  });
}).listen(port, host, () => {
  console.log(`eudi-wallet listening on http://${host}:${port}`);
});
