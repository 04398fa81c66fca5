// A worker thread does not inherit the main thread's tsx loader (nor `--import tsx` in its
// execArgv on Node 20): like bin/, this entry registers tsx, then loads the TypeScript.
import { register } from 'tsx/esm/api';

register();
await import('./encoder-worker.ts');
