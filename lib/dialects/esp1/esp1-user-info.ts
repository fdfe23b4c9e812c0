import { encodeBase64Url } from '../../verify/base64url.js';
import { grpcString } from './grpc-json.js';
import type { Esp1Token } from './parse-esp1-token.js';

/**
 * ESP v1's `X-Endpoint-API-UserInfo` (auth/lib/json.cc WriteUserInfoToJson, written by gRPC, then
 * base64url WITH padding): `{"claims":"<payload as gRPC re-writes it>","issuer","id","email",
 * "audiences":[...]}` in that order, empty members left out (`consumer_id` is never set), audiences in
 * byte order with empty ones left out.
 */
export function esp1UserInfo(token: Esp1Token): string {
  const parts: string[] = [];
  const add = (name: string, value: string | undefined) => {
    if (value) parts.push(`"${name}":${grpcString(value)}`);
  };
  add('claims', token.claimsJson);
  add('issuer', token.iss);
  add('id', token.sub);
  add('email', token.email);
  if (token.audienceSet.length) parts.push(`"audiences":[${token.audienceSet.filter((a) => a !== '').map(grpcString).join(',')}]`);
  const encoded = encodeBase64Url(`{${parts.join(',')}}`);
  return encoded + '='.repeat((4 - (encoded.length % 4)) % 4);
}
