#!/usr/bin/env node
// Launcher: React must run in production mode. Development builds of the reconciler keep
// performance entries and leak in long runs, and an inherited NODE_ENV (a test runner's "test",
// a shell's "development") would otherwise select them. It has to be set before React loads.
process.env.NODE_ENV = 'production';
await import('../dist/main.js');
