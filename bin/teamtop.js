#!/usr/bin/env node
// Launcher: React must run in production mode (development builds of the reconciler keep
// performance entries and leak in long runs), and NODE_ENV has to be set before React loads.
process.env.NODE_ENV ??= 'production';
await import('../dist/src/cli/main.js');
