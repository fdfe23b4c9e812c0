import { serve } from './serve.mjs';

// The ceiling for any middleware: one that does nothing, passing on after a promise tick as an
// asynchronous check must.
serve('empty async middleware', (_req, _res, next) => void Promise.resolve().then(() => next()));
