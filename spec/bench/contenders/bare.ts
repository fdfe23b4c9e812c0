import { serve } from './serve.js';

serve('bare express', undefined);
