// A real OpenID provider (oidc-provider) on loopback for Twofold's SSO tests.
// Usage: node server.js PORT. Prints "ready ISSUER" once listening.
// Test-only routes (loopback only, no auth): POST /test/accounts {id, email, email_verified,
// acr, amr} adds or replaces an account; POST /test/tamper makes the next token response's
// ID token carry a broken signature. Clients register themselves (open dynamic registration,
// RFC 7591) and change their redirect URIs (RFC 7592), as an operator does at Okta or Entra ID.
import http from 'node:http';
import Provider from 'oidc-provider';

const port = Number(process.argv[2]);
const issuer = `http://127.0.0.1:${port}`;
const accounts = new Map();
let tamperNext = false;

const provider = new Provider(issuer, {
  clients: [],
  features: {
    devInteractions: { enabled: false },
    registration: { enabled: true },
    registrationManagement: { enabled: true, rotateRegistrationAccessToken: false },
  },
  conformIdTokenClaims: false,
  claims: { openid: ['sub'], email: ['email', 'email_verified'] },
  cookies: { keys: ['twofold-test-idp-cookie-key'] },
  pkce: { required: () => true },
  acrValues: ['urn:test:pwd', 'urn:test:mfa'],
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, id) {
    const account = accounts.get(id);
    if (!account) return undefined;
    return {
      accountId: id,
      async claims() {
        const claims = { sub: id, email: account.email };
        if (account.email_verified !== undefined) claims.email_verified = account.email_verified;
        return claims;
      },
    };
  },
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email');
    await grant.save();
    return grant;
  },
});
provider.proxy = false;

// Break the next ID token's signature (flip a character of its last segment).
provider.use(async (ctx, next) => {
  await next();
  if (ctx.path === '/token' && tamperNext && ctx.body && ctx.body.id_token) {
    tamperNext = false;
    const [head, body, sig] = ctx.body.id_token.split('.');
    const flipped = (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1);
    ctx.body = { ...ctx.body, id_token: [head, body, flipped].join('.') };
  }
});

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res, status, type, text) {
  res.writeHead(status, { 'content-type': type });
  res.end(text);
}

const callback = provider.callback();

http
  .createServer(async (req, res) => {
    try {
      const url = new URL(req.url, issuer);
      if (req.method === 'POST' && url.pathname === '/test/accounts') {
        const account = JSON.parse(await readBody(req));
        accounts.set(account.id, account);
        return send(res, 204, 'text/plain', '');
      }
      if (req.method === 'POST' && url.pathname === '/test/tamper') {
        tamperNext = true;
        return send(res, 204, 'text/plain', '');
      }
      const login = url.pathname.match(/^\/interaction\/([^/]+)(\/login)?$/);
      if (login && req.method === 'GET' && !login[2]) {
        const details = await provider.interactionDetails(req, res);
        return send(
          res,
          200,
          'text/html; charset=utf-8',
          `<!doctype html><title>Test IdP sign-in</title><h1>Test IdP sign-in</h1>
<form method="post" action="/interaction/${details.uid}/login">
<label>Account <input name="login" autocomplete="username"></label>
<button type="submit">Sign in at the IdP</button></form>`,
        );
      }
      if (login && req.method === 'POST' && login[2]) {
        const form = new URLSearchParams(await readBody(req));
        const id = form.get('login') || '';
        const account = accounts.get(id);
        if (!account) return send(res, 400, 'text/plain', 'unknown account');
        const result = {
          login: {
            accountId: id,
            ...(account.acr ? { acr: account.acr } : {}),
            ...(account.amr ? { amr: account.amr } : {}),
          },
        };
        return await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
      }
      return callback(req, res);
    } catch (error) {
      send(res, 500, 'text/plain', String(error && error.stack ? error.stack : error));
    }
  })
  .listen(port, '127.0.0.1', () => {
    process.stdout.write(`ready ${issuer}\n`);
  });
