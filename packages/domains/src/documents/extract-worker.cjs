// Worker-thread entry that extracts documents' metadata, one job per message (see extraction.ts).
//
// Plain CommonJS on purpose, like questionnaires/parse-worker.cjs: a worker thread runs outside
// jest's SWC transform and, with `execArgv: []`, outside the tsx loader of `npm start`, so this
// file must load under bare Node. It loads the TypeScript (extract.ts) through tsx's API; the
// ESM-only readers (file-type, unpdf, franc-min) are then imported natively.
'use strict';
const { parentPort } = require('node:worker_threads');
const tsx = require('tsx/cjs/api');

const { extractMetadata, sniffContentType } = tsx.require('./extract.ts', __filename);
// One job per message; the thread is kept for the next one (see extraction.ts).
parentPort.on('message', (job) => {
  const run = job.sniffOnly ? sniffContentType(job.data) : extractMetadata(job);
  run.then(
    (outcome) => parentPort.postMessage(outcome),
    (err) =>
      parentPort.postMessage({ ok: false, error: String(err?.message ? err.message : err), metadata: {} }),
  );
});
