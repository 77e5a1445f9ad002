// A real OpenID provider for Pli's tests and `make run` (issue 14, ID-01): `oidc-provider`
// from the npm registry, configured like an eIDAS provider such as FranceConnect+ — the
// authorization code flow with PKCE, `acr` values eidas1..eidas3, and the identity claims
// (given names, family name, birth date, birth place). It is NOT a qualified provider.
//
//   node oidc-provider.mjs --port 4010 --redirect http://localhost:3000/identity/oidc/callback \
//        --keys var/oidc-keys.json [--rotate]
//
// - Clients: `pli-rs` (ID tokens signed RS256) and `pli-es` (ES256), secret `pli-secret`.
// - The sign-in page lists the test persons and lets the tester choose the level reached.
// - Keys: generated into `--keys` on first start; `--rotate` puts new keys first (signing) and
//   keeps the old ones published, as a provider rotating its keys does.
// - Faults, for the tests of the relying party: `POST /_faults` with `tamper` (the next ID
//   token's payload is altered, its signature kept) or `replay` (the next token response
//   carries the previous ID token instead of its own).
import { createServer } from 'node:http';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import Provider from 'oidc-provider';
import { exportJWK, generateKeyPair } from 'jose';

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : fallback;
};
const port = Number(arg('port', '4010'));
const host = arg('host', '127.0.0.1');
const issuer = arg('issuer', `http://${host}:${port}`);
const redirects = args.flatMap((a, i) => (a === '--redirect' ? [args[i + 1]] : []));
const keysFile = arg('keys', 'oidc-keys.json');

async function newKeys() {
  const keys = [];
  for (const alg of ['RS256', 'ES256']) {
    const { privateKey } = await generateKeyPair(alg, { extractable: true });
    const jwk = await exportJWK(privateKey);
    keys.push({ ...jwk, alg, use: 'sig', kid: `${alg.toLowerCase()}-${Date.now()}` });
  }
  return keys;
}

let keys = existsSync(keysFile) ? JSON.parse(readFileSync(keysFile, 'utf8')) : [];
if (keys.length === 0 || args.includes('--rotate')) {
  keys = [...(await newKeys()), ...keys];
  writeFileSync(keysFile, JSON.stringify(keys, null, 2));
}

// The test persons: what an eIDAS provider says of them.
const persons = {
  jeanne: {
    given_name: 'Jeanne Marie',
    family_name: 'DUPONT',
    birthdate: '1985-04-12',
    birthplace: '75056',
    birthcountry: '99100',
  },
  karim: {
    given_name: 'Karim',
    family_name: 'BENALI',
    birthdate: '1979-11-03',
    birthcountry: '99350',
  },
};
const LEVELS = ['eidas1', 'eidas2', 'eidas3'];

const client = (id, alg) => ({
  client_id: id,
  client_secret: 'pli-secret',
  redirect_uris: redirects,
  response_types: ['code'],
  grant_types: ['authorization_code'],
  id_token_signed_response_alg: alg,
  token_endpoint_auth_method: 'client_secret_basic',
});

const provider = new Provider(issuer, {
  clients: [client('pli-rs', 'RS256'), client('pli-es', 'ES256')],
  jwks: { keys },
  acrValues: LEVELS,
  claims: {
    openid: ['sub'],
    profile: ['given_name', 'family_name', 'birthdate', 'birthplace', 'birthcountry'],
  },
  scopes: ['openid', 'profile'],
  pkce: { required: () => true },
  // The identity claims go in the ID token itself (not only at the userinfo endpoint).
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: false } },
  ttl: { IdToken: 120, AccessToken: 120, AuthorizationCode: 60, Interaction: 600, Session: 600, Grant: 600 },
  findAccount: async (ctx, id) =>
    persons[id] && { accountId: id, claims: async () => ({ sub: id, ...persons[id] }) },
  // The person consents at the sign-in page: every request's scopes and claims are granted.
  loadExistingGrant: async (ctx) => {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid profile');
    grant.addOIDCClaims(['given_name', 'family_name', 'birthdate', 'birthplace', 'birthcountry', 'acr']);
    await grant.save();
    return grant;
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  renderError: async (ctx, out) => {
    ctx.type = 'html';
    ctx.body = `<!doctype html><title>Erreur</title><h1>Erreur</h1><pre>${escape(JSON.stringify(out))}</pre>`;
  },
});
provider.proxy = false;

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function form(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return Object.fromEntries(new URLSearchParams(body));
}

function signInPage(uid, requested) {
  const people = Object.entries(persons)
    .map(([id, p]) => `<option value="${id}">${escape(`${p.given_name} ${p.family_name}`)}</option>`)
    .join('');
  const levels = LEVELS.map(
    (l) => `<option value="${l}"${l === requested ? ' selected' : ''}>${l}</option>`,
  ).join('');
  return `<!doctype html><html lang="fr"><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Fournisseur d'identité de test</title>
<body style="font-family: sans-serif; max-width: 30rem; margin: 1rem auto; padding: 0 1rem">
<h1>Fournisseur d'identité de test</h1>
<p><strong>Non qualifié</strong> : un vrai fournisseur OpenID Connect (oidc-provider) pour les tests.</p>
<form method="post" action="/interaction/${uid}">
<p><label>Personne <select name="person">${people}</select></label></p>
<p><label>Niveau atteint <select name="acr">${levels}</select></label></p>
<p><button type="submit">Se connecter</button></p>
</form></body></html>`;
}

let fault = null;
let previousIdToken = null;

// The sign-in page and the faults, in front of the provider's own routes.
provider.use(async (ctx, next) => {
  if (ctx.path === '/_faults' && ctx.method === 'POST') {
    fault = (await form(ctx.req)).mode || null;
    ctx.status = 204;
    return;
  }
  const match = ctx.path.match(/^\/interaction\/([^/]+)$/);
  if (match) {
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    if (ctx.method === 'GET') {
      const requested = details.params.acr_values?.split(' ')[0];
      ctx.type = 'html';
      ctx.body = signInPage(details.uid, requested);
      return;
    }
    const { person, acr } = await form(ctx.req);
    if (!persons[person] || !LEVELS.includes(acr)) {
      ctx.status = 400;
      ctx.body = 'unknown person or level';
      return;
    }
    const redirectTo = await provider.interactionResult(ctx.req, ctx.res, {
      login: { accountId: person, acr, amr: ['pwd'] },
    }, { mergeWithLastSubmission: false });
    ctx.redirect(redirectTo);
    return;
  }
  await next();
  if (ctx.path === '/token' && ctx.status === 200 && ctx.body?.id_token) {
    const own = ctx.body.id_token;
    if (fault === 'tamper') {
      const [header, payload, signature] = own.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url'));
      claims.family_name = 'MALLORY';
      ctx.body = { ...ctx.body, id_token: [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.') };
    } else if (fault === 'replay' && previousIdToken) {
      ctx.body = { ...ctx.body, id_token: previousIdToken };
    }
    fault = null;
    previousIdToken = own;
  }
});

createServer(provider.callback()).listen(port, host, () => {
  console.log(`oidc-provider: ${issuer} (clients pli-rs, pli-es; redirect ${redirects.join(', ')})`);
});
