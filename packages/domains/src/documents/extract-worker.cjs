// Worker-thread entry that extracts one document's metadata (see extraction.ts, which starts it).
//
// Plain CommonJS on purpose, like questionnaires/parse-worker.cjs: a worker thread runs outside
// jest's SWC transform and, with `execArgv: []`, outside the tsx loader of `npm start`, so this
// file must load under bare Node. It loads the TypeScript (extract.ts) through tsx's API; the
// ESM-only readers (file-type, unpdf, franc-min) are then imported natively.
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const tsx = require('tsx/cjs/api');

const { extractMetadata, sniffContentType } = tsx.require('./extract.ts', __filename);
const run = workerData.sniffOnly ? sniffContentType(workerData.data) : extractMetadata(workerData);
run.then(
  (outcome) => parentPort.postMessage(outcome),
  (err) =>
    parentPort.postMessage({
      ok: false,
      error: String(err && err.message ? err.message : err),
      metadata: {},
    }),
);
