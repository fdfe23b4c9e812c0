// Next.js (App Router) on the Edge runtime: app/v1/shelves/[shelf]/route.ts
import { endpointsAuth } from 'espresso-jwt';
import spec from './openapi.json' with { type: 'json' };

export const runtime = 'edge';

const auth = endpointsAuth(spec);

// Next.js passes { params } after the request; fetchHandler hands it on after `auth`.
export const GET = auth.fetchHandler(async (request, info, { params }: { params: Promise<{ shelf: string }> }) => {
  const { shelf } = await params;
  return Response.json({ shelf, email: info?.claims.email ?? null });
});
