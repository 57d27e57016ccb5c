// Sign the corpus cases with one npm library: node node_libs.js LIBRARY RSA_KEY.pem < cases.json
// (NODE_PATH=interop/.cache/node_modules). Prints {version, requests}: the request as sent, how the
// timestamp and nonce were set, the library's base string where it exposes one, or an error.
'use strict';
const fs = require('fs');
const crypto = require('crypto');
const querystring = require('querystring');
const URL = require('url');

const library = process.argv[2];
const rsaKey = fs.readFileSync(process.argv[3], 'utf8');
const cases = JSON.parse(fs.readFileSync(0, 'utf8'));

function contentHeaders(c) {
  return c.content_type ? [['Content-Type', c.content_type]] : [];
}

// npm oauth-1.0a: the application gives the URL (the library parses its query), the form's
// parameters as an object (querystring.parse keeps a repeated name as an array), and a hash function.
function signOauth10a(c) {
  const OAuth = require('oauth-1.0a');
  const hashes = {
    'HMAC-SHA1': (base, key) => crypto.createHmac('sha1', key).update(base).digest('base64'),
    'HMAC-SHA256': (base, key) => crypto.createHmac('sha256', key).update(base).digest('base64'),
    'RSA-SHA1': (base) => crypto.createSign('RSA-SHA1').update(base).sign(rsaKey, 'base64'),
  };
  const options = {
    consumer: { key: c.credentials.consumer_key, secret: c.credentials.consumer_secret },
    signature_method: c.signature_method,
  };
  if (hashes[c.signature_method]) options.hash_function = hashes[c.signature_method];
  const oauth = OAuth(options);
  oauth.getNonce = () => c.nonce;
  oauth.getTimeStamp = () => parseInt(c.timestamp, 10);
  const request = { url: c.url, method: c.method };
  if (c.content_type === 'application/x-www-form-urlencoded' && c.body) {
    request.data = Object.assign({}, querystring.parse(c.body));
  }
  const token = c.credentials.token
    ? { key: c.credentials.token, secret: c.credentials.token_secret }
    : undefined;
  const data = oauth.authorize(request, token);
  // The base string of the parameters authorize() signed (its result adds oauth_signature).
  const signed = Object.assign({}, data);
  delete signed.oauth_signature;
  const base = oauth.getBaseString(request, signed);
  return {
    method: c.method,
    url: c.url,
    headers: [['Authorization', oauth.toHeader(data).Authorization], ...contentHeaders(c)],
    body: c.body,
    timestamp_nonce: 'fixed (getNonce and getTimeStamp replaced on the instance)',
    library_base_string: base,
  };
}

// npm oauth (node-oauth): the request is captured where the library hands it to http(s).request.
function signOauth(c) {
  const { OAuth } = require('oauth');
  const secret = c.signature_method === 'RSA-SHA1' ? rsaKey : c.credentials.consumer_secret;
  const oa = new OAuth(null, null, c.credentials.consumer_key, secret, '1.0', null, c.signature_method);
  oa._getTimestamp = () => c.timestamp;
  oa._getNonce = () => c.nonce;
  let sent = null;
  oa._createClient = (port, host, method, path, headers, ssl) => {
    sent = { port, host, method, path, headers, ssl, body: '' };
    return { on() {}, write(chunk) { sent.body += chunk; }, end() {} };
  };
  const token = c.credentials.token;
  const tokenSecret = c.credentials.token ? c.credentials.token_secret : '';
  const done = () => {};
  if (c.method === 'GET') {
    oa.get(c.url, token, tokenSecret, done);
  } else if (c.content_type === 'application/x-www-form-urlencoded') {
    oa.post(c.url, token, tokenSecret, Object.assign({}, querystring.parse(c.body || '')),
      c.content_type, done);
  } else {
    oa.post(c.url, token, tokenSecret, c.body, c.content_type, done);
  }
  const scheme = sent.ssl ? 'https' : 'http';
  const defaultPort = sent.ssl ? 443 : 80;
  const port = String(sent.port) === String(defaultPort) ? '' : ':' + sent.port;
  const keep = ['authorization', 'content-type'];
  return {
    method: sent.method,
    url: scheme + '://' + sent.headers.Host.replace(/:\d+$/, '') + port + sent.path,
    headers: Object.entries(sent.headers).filter(([k]) => keep.includes(k.toLowerCase())),
    body: sent.body === '' ? null : sent.body,
    timestamp_nonce: 'fixed (_getTimestamp and _getNonce replaced on the instance)',
  };
}

// npm oauth-sign, fed the way the request library feeds it (request's lib/oauth.js with
// useQuerystring: query and form parsed by querystring, base URI = protocol//host+pathname).
function signOauthSign(c) {
  const oauth = require('oauth-sign');
  const uri = URL.parse(c.url);
  const oa = {
    oauth_consumer_key: c.credentials.consumer_key,
    oauth_nonce: c.nonce,
    oauth_signature_method: c.signature_method,
    oauth_timestamp: c.timestamp,
    oauth_version: '1.0',
  };
  if (c.credentials.token) oa.oauth_token = c.credentials.token;
  const form = c.content_type === 'application/x-www-form-urlencoded' ? c.body || '' : '';
  const baseurl = uri.protocol + '//' + uri.host + uri.pathname;
  const params = querystring.parse([].concat(uri.query || [], form, querystring.stringify(oa)).join('&'));
  const secret = c.signature_method === 'RSA-SHA1' ? rsaKey : c.credentials.consumer_secret;
  const tokenSecret = c.credentials.token ? c.credentials.token_secret : '';
  oa.oauth_signature = oauth.sign(c.signature_method, c.method, baseurl, params, secret, tokenSecret);
  const header = 'OAuth ' + Object.keys(oa).sort().filter((k) => k !== 'oauth_signature')
    .concat(['oauth_signature'])
    .map((k) => k + '="' + oauth.rfc3986(oa[k]) + '"').join(',');
  return {
    method: c.method,
    url: c.url,
    headers: [['Authorization', header], ...contentHeaders(c)],
    body: c.body,
    timestamp_nonce: 'fixed (oauth_timestamp and oauth_nonce given, as request passes them)',
    library_base_string: oauth.generateBase(c.method, baseurl, params),
  };
}

const signers = { 'oauth-1.0a': signOauth10a, oauth: signOauth, 'oauth-sign': signOauthSign };
const out = cases.map((c) => {
  let entry;
  try {
    entry = signers[library](c);
  } catch (error) {
    entry = { error: String(error && error.message ? error.message : error) };
  }
  entry.id = c.id;
  return entry;
});
const version = require(library + '/package.json').version;
process.stdout.write(JSON.stringify({ version, requests: out }));
