import { serve } from './serve.mjs';

serve('bare express', undefined);
