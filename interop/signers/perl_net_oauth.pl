#!/usr/bin/perl
# Sign the corpus cases with Net::OAuth (Debian libnet-oauth-perl):
#   perl perl_net_oauth.pl RSA_KEY.pem < cases.json
# The application gives Net::OAuth the URL (whose query it reads itself) and the form's
# parameters as extra_params, a hash (so a repeated name keeps one value: the last one given).
# The request as sent is that URL and body with the Authorization header Net::OAuth writes.
use strict;
use warnings;
use JSON::PP;
use Net::OAuth;
use Crypt::OpenSSL::RSA;

$Net::OAuth::PROTOCOL_VERSION = Net::OAuth::PROTOCOL_VERSION_1_0;
local $/;
open(my $kf, '<', $ARGV[0]) or die "no key: $!";
my $pem = <$kf>;
my $cases = JSON::PP->new->utf8->decode(<STDIN>);
my @out;
for my $c (@$cases) {
    my %entry = (id => $c->{id});
    eval {
        my $cr = $c->{credentials};
        my %extra = map { $_->[0] => $_->[1] } @{ $c->{form} };
        my %args = (
            consumer_key     => $cr->{consumer_key},
            consumer_secret  => $cr->{consumer_secret},
            request_url      => $c->{url},
            request_method   => $c->{method},
            signature_method => $c->{signature_method},
            timestamp        => $c->{timestamp},
            nonce            => $c->{nonce},
            version          => '1.0',
            extra_params     => \%extra,
        );
        my $type = 'consumer';
        if (defined $cr->{token}) {
            $type = 'protected resource';
            $args{token}        = $cr->{token};
            $args{token_secret} = $cr->{token_secret};
        }
        if ($c->{signature_method} eq 'RSA-SHA1') {
            my $key = Crypt::OpenSSL::RSA->new_private_key($pem);
            $key->use_sha1_hash();
            $key->use_pkcs1_padding();
            $args{signature_key} = $key;
        }
        my $request = Net::OAuth->request($type)->new(%args);
        $request->sign;
        my @headers = (['Authorization', $request->to_authorization_header]);
        push @headers, ['Content-Type', $c->{content_type}] if defined $c->{content_type};
        %entry = (
            %entry,
            method              => $c->{method},
            url                 => $c->{url},
            headers             => \@headers,
            body                => $c->{body},
            timestamp_nonce     => 'fixed (timestamp and nonce arguments)',
            library_base_string => $request->signature_base_string,
        );
        1;
    } or do {
        my $error = $@ || 'unknown error';
        $error =~ s/\s+at \S+ line \d+.*//s;
        $entry{error} = $error;
    };
    push @out, \%entry;
}
print JSON::PP->new->utf8->canonical->encode({ version => "$Net::OAuth::VERSION", requests => \@out });
