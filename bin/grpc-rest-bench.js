#!/usr/bin/env node
// Runs the TypeScript sources directly: no build step stands between a clone and a run.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
