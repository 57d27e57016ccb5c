<?php
// Sign the corpus cases with PECL oauth (Debian php-oauth) under php-cli:
//   php php_pecl_oauth.php RSA_KEY.pem < cases.json
// OAuth::getRequestHeader(method, url, extra) gives the Authorization header; the library reads
// the URL's query itself and takes the form's parameters as a PHP array (one value per name: a
// repeated name keeps the last). The request as sent is the URL and body with that header.
$pem = file_get_contents($argv[1]);
$cases = json_decode(stream_get_contents(STDIN), true);
$methods = [
    'HMAC-SHA1' => OAUTH_SIG_METHOD_HMACSHA1,
    'HMAC-SHA256' => OAUTH_SIG_METHOD_HMACSHA256,
    'RSA-SHA1' => OAUTH_SIG_METHOD_RSASHA1,
    'PLAINTEXT' => OAUTH_SIG_METHOD_PLAINTEXT,
];
$out = [];
foreach ($cases as $c) {
    $entry = ['id' => $c['id']];
    try {
        $cr = $c['credentials'];
        $o = new OAuth($cr['consumer_key'], $cr['consumer_secret'], $methods[$c['signature_method']],
            OAUTH_AUTH_TYPE_AUTHORIZATION);
        if ($c['signature_method'] === 'RSA-SHA1') {
            $o->setRSACertificate($pem);
        }
        if ($cr['token'] !== null) {
            $o->setToken($cr['token'], $cr['token_secret']);
        }
        $o->setTimestamp($c['timestamp']);
        $o->setNonce($c['nonce']);
        $extra = [];
        foreach ($c['form'] as [$name, $value]) {
            $extra[$name] = $value;
        }
        $header = $o->getRequestHeader($c['method'], $c['url'], $extra);
        if ($header === false) {
            throw new Exception('getRequestHeader returned false');
        }
        $headers = [['Authorization', $header]];
        if ($c['content_type'] !== null) {
            $headers[] = ['Content-Type', $c['content_type']];
        }
        $entry += [
            'method' => $c['method'],
            'url' => $c['url'],
            'headers' => $headers,
            'body' => $c['body'],
            'timestamp_nonce' => 'fixed (setTimestamp, setNonce)',
        ];
    } catch (Throwable $e) {
        $entry['error'] = get_class($e) . ': ' . $e->getMessage();
    }
    $out[] = $entry;
}
echo json_encode(['version' => phpversion('oauth'), 'requests' => $out], JSON_UNESCAPED_SLASHES);
