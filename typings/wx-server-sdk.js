// Run-time twin of wx-server-sdk.d.ts. tsconfig.base.json maps `wx-server-sdk` to
// ./typings/wx-server-sdk for the type checker; tsx honours that mapping too when started from a
// folder whose tsconfig extends the base (e.g. `cd tools && npx tsx cli.ts`), and then lands here.
// Hand back the real SDK (same module instance as require('wx-server-sdk')).
module.exports = require('wx-server-sdk/index.js');
