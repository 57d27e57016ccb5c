# Sign the corpus cases with the Ruby oauth gem (Debian ruby-oauth):
#   ruby ruby_oauth.rb RSA_KEY.pem < cases.json
# The gem signs a Net::HTTP request object (Consumer#create_signed_request); nothing is sent. The
# request as sent is that object's path and headers on the consumer's site (Net::HTTP writes
# exactly request.path on the request line).
require 'json'
require 'uri'
require 'oauth'
require 'oauth/signature/hmac/sha1'
require 'oauth/signature/plaintext'
require 'oauth/signature/rsa/sha1'

rsa_key = File.read(ARGV[0])
cases = JSON.parse($stdin.read)
out = cases.map do |c|
  begin
    uri = URI.parse(c['url'])
    site = "#{uri.scheme}://#{uri.host}#{uri.port == uri.default_port && !c['url'].include?(":#{uri.port}/") ? '' : ":#{uri.port}"}"
    creds = c['credentials']
    unless %w[HMAC-SHA1 PLAINTEXT RSA-SHA1].include?(c['signature_method'])
      raise NotImplementedError, "ruby oauth #{OAuth::VERSION} has no #{c['signature_method']}"
    end
    secret = c['signature_method'] == 'RSA-SHA1' ? rsa_key : creds['consumer_secret']
    consumer = OAuth::Consumer.new(creds['consumer_key'], secret,
                                   site: site, signature_method: c['signature_method'])
    token = creds['token'] ? OAuth::Token.new(creds['token'], creds['token_secret']) : nil
    path = uri.request_uri
    headers = c['content_type'] ? { 'Content-Type' => c['content_type'] } : {}
    options = { nonce: c['nonce'], timestamp: c['timestamp'] }
    args = c['method'] == 'GET' ? [headers] : [c['body'], headers]
    request = consumer.create_signed_request(c['method'].downcase.to_sym, path, token, options, *args)
    base = consumer.signature_base_string(
      consumer.send(:create_http_request, c['method'].downcase.to_sym, path, *args.map { |a| a.dup }),
      token, options
    )
    http = consumer.http
    port = http.port == (http.use_ssl? ? 443 : 80) && !site.match?(/:\d+\z/) ? '' : ":#{http.port}"
    sent_headers = [['Authorization', request['Authorization']]]
    sent_headers << ['Content-Type', request['Content-Type']] if request['Content-Type']
    {
      'id' => c['id'],
      'method' => request.method,
      'url' => "#{http.use_ssl? ? 'https' : 'http'}://#{http.address}#{port}#{request.path}",
      'headers' => sent_headers,
      'body' => request.body,
      'timestamp_nonce' => 'fixed (options :nonce and :timestamp)',
      'library_base_string' => base
    }
  rescue Exception => e # rubocop:disable Lint/RescueException -- any refusal is data
    { 'id' => c['id'], 'error' => "#{e.class}: #{e.message}" }
  end
end
puts JSON.generate({ 'version' => OAuth::VERSION, 'requests' => out })
