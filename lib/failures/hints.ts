import type { Failure } from './failure.js';

/**
 * What to check for each failure: the troubleshooting guide as data. The middleware's `hint`, the
 * logger, the CLI and docs/troubleshooting.md all read this one table.
 */
export function hintFor(failure: Failure): string {
  switch (failure.kind) {
    case 'operation_not_defined':
      return 'No path template of the OpenAPI document matches this path (basePath or servers[].url included). Add the path to the document, or set x-google-allow: all to let undefined operations through unchecked.';
    case 'method_not_allowed':
      return `The path matches the template "${failure.template}" but the document defines no operation for this HTTP method on it. Add the method, or check x-http-method-override.`;
    case 'cors_not_allowed':
      return 'An OPTIONS request reached a path without an OPTIONS operation. Set allowCors: true in x-google-endpoints, or define an OPTIONS operation.';
    case 'jwt_missing':
      return 'No token was found where the provider looks for it: by default the Authorization header with the prefix "Bearer " (case sensitive), the X-Goog-Iap-Jwt-Assertion header and the access_token query parameter; x-google-jwt-locations replaces those defaults.';
    case 'jwt_bad_format':
      return 'The token must be three base64url sections joined by two dots (header.payload.signature). Check that the whole token was sent, with nothing before or after it.';
    case 'header_bad_base64':
    case 'payload_bad_base64':
    case 'signature_bad_base64':
      return 'A section of the token is not valid base64url (RFC 4648 section 5: A-Z a-z 0-9 - _, no "+" or "/"). Check how the client encodes the token.';
    case 'header_bad_json':
    case 'payload_bad_json':
      return 'A section of the token does not decode to a JSON object.';
    case 'header_bad_alg':
      return 'The token header must carry "alg" as a string.';
    case 'header_alg_not_supported':
      return 'Supported algorithms: RS256/384/512, PS256/384/512, ES256/384/512, HS256/384/512 and EdDSA. "none" is never accepted.';
    case 'header_bad_kid':
      return 'The token header "kid", when present, must be a string.';
    case 'claim_not_string':
      return `The "${failure.claim}" claim must be a string.`;
    case 'claim_not_integer':
      return `The "${failure.claim}" claim must be a number of seconds since the epoch (NumericDate), not a string.`;
    case 'claim_out_of_range':
      return `The "${failure.claim}" claim must be a non-negative number of seconds below 2^64.`;
    case 'aud_bad_type':
      return 'The "aud" claim must be a string or a list of strings.';
    case 'issuer_not_configured':
      return 'The token "iss" claim must equal the x-google-issuer of a security scheme this operation requires, character for character. On Cloud Run, a Google-signed identity token for the service itself (from --allow-unauthenticated or an IAM invoker) has iss https://accounts.google.com: add a scheme for that issuer or send a token from your own issuer.';
    case 'not_yet_valid':
      return 'The token "nbf" is in the future (60 s of clock skew allowed). Check the clocks of the issuer and of this server.';
    case 'expired':
      return 'The token "exp" has passed (60 s of clock skew allowed). Get a new token; check the clocks of the issuer and of this server.';
    case 'audience_not_allowed':
      return 'The token "aud" must match an entry of x-google-audiences of the same security scheme (the same securityDefinitions object that holds x-google-issuer), or, when that is empty, https://<service name> (the document host). http:// or https:// and one trailing "/" are ignored when comparing.';
    case 'jwks_fetch_failed':
      return 'The provider keys could not be downloaded or read: check x-google-jwks_uri (or the issuer OpenID discovery document), that it answers 200 with a JWKS, an X.509 certificate map or a PEM key, and that this server can reach it.';
    case 'key_not_found':
      return 'No key of the provider matches the token "kid" and "alg": check that the issuer signs with a key published at x-google-jwks_uri, and that a key "alg", when set, equals the token "alg".';
    case 'verification_failed':
    case 'ed25519_signature_length':
      return 'The signature does not verify with any candidate key of the provider: the token was signed by another key, altered, or the key set at x-google-jwks_uri belongs to another issuer.';
    case 'claims_bad_type':
      return 'A claim of the token has the wrong type: "iss", "sub", "jti" and "aud" must be strings ("aud" may be a list), "iat", "nbf" and "exp" numbers of seconds other than 0.';
    case 'issuer_missing':
      return 'The token has no "iss" claim; ESP v1 requires one. Check how the issuer mints the token.';
    case 'email_subject_mismatch':
      return 'The token "iss" looks like an e-mail address (a service account), and such a token must assert itself: "sub" must be absent or equal to "iss". Mint the token with sub = iss.';
    case 'es256_signature_length':
      return 'An ES256 signature must be 64 bytes (r and s, 32 bytes each, not DER). Check how the client signs the token.';
    case 'audience_missing':
      return 'The token has no "aud" claim (or only non-string entries); ESP v1 requires one. Set "aud" to the service name or to an entry of x-google-audiences.';
    case 'subject_missing':
      return 'The token has no "sub" claim; ESP up to v1.36 requires one (later versions do not). Add "sub", or move to a newer ESP.';
    case 'key_uri_unknown':
      return 'ESP v1 does not know where the keys of this issuer are: an earlier OpenID discovery for it failed (ESP v1 remembers that until it restarts). Set x-google-jwks_uri on the security scheme.';
    case 'discovery_fetch_failed':
      return `The OpenID discovery document (<iss>/.well-known/openid-configuration) could not be downloaded${failure.httpStatus ? ` (HTTP ${failure.httpStatus})` : ''}. Set x-google-jwks_uri, or make the document reachable from this server. ESP v1 does not retry until it restarts.`;
    case 'discovery_parse_failed':
      return 'The OpenID discovery document has no string "jwks_uri". Set x-google-jwks_uri on the security scheme.';
    case 'key_fetch_failed':
      return `The keys at x-google-jwks_uri (or the discovered jwks_uri) could not be downloaded${failure.httpStatus ? ` (HTTP ${failure.httpStatus})` : ''}, or the answer was empty. ESP v1 keeps no stale keys: check that the URL answers 200 from this server.`;
    case 'key_json_invalid':
      return 'The key document is not JSON. For RS* and ES256 tokens ESP v1 reads a JWKS or an X.509 certificate map; check x-google-jwks_uri.';
    case 'jwks_keys_missing':
      return 'ES256 tokens need a JWKS ({"keys": [...]}); the key document at x-google-jwks_uri has no "keys".';
    case 'jwks_keys_not_list':
      return 'The "keys" member of the JWKS at x-google-jwks_uri must be a list.';
    case 'jwks_empty':
      return 'The JWKS at x-google-jwks_uri has no keys.';
    case 'kid_not_in_jwks':
      return `No key of the JWKS has the kid "${failure.kid}" with a kty that fits the token alg (ESP v1 ignores keys without kid). The issuer may have rotated its keys; check x-google-jwks_uri.`;
    case 'kid_not_in_x509':
      return `The X.509 certificate map at x-google-jwks_uri has no entry "${failure.kid}". The issuer may have rotated its keys.`;
    case 'x509_extract_failed':
      return `The certificate${failure.kid ? ` "${failure.kid}"` : ''} of the X.509 map at x-google-jwks_uri cannot be read (or the map is empty).`;
    case 'no_key_verifies':
      return 'The token has no kid and no key of the provider verifies its signature (ESP v1 skips JWKS keys without kid): the token was signed by another key, or altered.';
    case 'hs_key_bad_base64':
      return 'For HS* tokens ESP v1 takes the whole key document at x-google-jwks_uri, base64url-decoded, as the secret; that document is not base64url (a JWKS or a certificate map is served for an HS token).';
    case 'insufficient_scope':
      return `The token lacks scopes that the operation's security requirement lists: ${failure.missing.join(' ')}. Scopes are read from the "scope" claim (space separated) or the "scp" claim (list).`;
    case 'api_key_missing':
      return 'Every security alternative of this operation requires an API key: send it in the query parameter "key" or "api_key", the header "x-api-key", or where the apiKey scheme says.';
    case 'api_key_invalid':
      return 'The API key was refused by the apiKey option.';
    case 'internal_error':
      return 'The middleware failed inside while checking this request and refused it (fail closed); the logger has the detail.';
  }
}
